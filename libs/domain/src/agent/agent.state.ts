import { assertNever } from '../shared/errors';
import type { AgentEvent } from './agent.events';
import type { AgentRole } from './agent.role';

export interface AgentToken {
  readonly tokenHash: string;
  readonly label: string;
  readonly issuedAt: string;
  readonly revoked: boolean;
}

export interface ExistingAgent {
  readonly kind: 'existing';
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: AgentRole;
  readonly active: boolean;
  /** By token id; revoked tokens stay, so an id is never reused. */
  readonly tokens: Readonly<Record<string, AgentToken>>;
  /** Request ids, in the order they were added. */
  readonly favourites: readonly string[];
}

export type AgentState = { readonly kind: 'none' } | ExistingAgent;

export const initialAgentState = (): AgentState => ({ kind: 'none' });

export const evolveAgentState = (state: AgentState, event: AgentEvent): AgentState => {
  if (event.type === 'AgentRegistered') {
    const { agentId, name, email, role } = event.data;
    return { kind: 'existing', id: agentId, name, email, role, active: true, tokens: {}, favourites: [] };
  }
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'AgentUpdated': {
      const { name, email, role } = event.data;
      return { ...state, name, email, role };
    }
    case 'AgentDeactivated':
      return { ...state, active: false };
    case 'AgentReactivated':
      return { ...state, active: true };
    case 'AgentTokenIssued': {
      const { tokenId, tokenHash, label, issuedAt } = event.data;
      return { ...state, tokens: { ...state.tokens, [tokenId]: { tokenHash, label, issuedAt, revoked: false } } };
    }
    case 'AgentTokenRevoked': {
      const token = state.tokens[event.data.tokenId];
      if (!token) return state;
      return { ...state, tokens: { ...state.tokens, [event.data.tokenId]: { ...token, revoked: true } } };
    }
    case 'FavouriteAdded':
      return state.favourites.includes(event.data.requestId)
        ? state
        : { ...state, favourites: [...state.favourites, event.data.requestId] };
    case 'FavouriteRemoved':
      return { ...state, favourites: state.favourites.filter((id) => id !== event.data.requestId) };
    default:
      return assertNever(event);
  }
};
