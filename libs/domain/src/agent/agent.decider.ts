import { requireAdmin, requireEmailAddress, requireName } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { assertNever, conflict, forbidden, invalid, notFound } from '../shared/errors';
import type { CommandMetadata } from '../shared/message';
import type { AgentCommand } from './agent.commands';
import type { AgentEvent } from './agent.events';
import { isAgentRole, type AgentRole } from './agent.role';
import { evolveAgentState, initialAgentState, type AgentState, type ExistingAgent } from './agent.state';

const existing = (state: AgentState): ExistingAgent => {
  if (state.kind === 'none') throw notFound('unknown-agent', 'There is no such agent');
  return state;
};

const requireRole = (role: unknown): AgentRole => {
  if (!isAgentRole(role)) throw invalid('invalid-role', `"${String(role)}" is not a role (admin, agent, auditor or reporter)`);
  return role;
};

/** Otherwise an admin could leave the system with nobody able to administer it, themself included. */
const requireNotSelf = (metadata: CommandMetadata, agent: ExistingAgent, what: string): void => {
  if (metadata.actor.id === agent.id) throw invalid('cannot-lock-out-self', `An administrator cannot ${what} themself`);
};

const requireSelf = (metadata: CommandMetadata, agentId: string): void => {
  if (metadata.actor.id !== agentId) throw forbidden('own-favourites-only', 'Agents manage only their own favourites');
};

const decide = (command: AgentCommand, state: AgentState): readonly AgentEvent[] => {
  switch (command.type) {
    case 'RegisterAgent': {
      // The system actor registers the first admin when the platform is installed.
      requireAdmin(command.metadata, { allowSystem: true });
      const { agentId } = command.data;
      if (state.kind === 'existing') throw conflict('agent-exists', `Agent ${agentId} already exists`);
      const name = requireName(command.data.name, 'agent');
      const email = requireEmailAddress(command.data.email);
      const role = requireRole(command.data.role);
      return [{ type: 'AgentRegistered', data: { agentId, name, email, role } }];
    }
    case 'UpdateAgent': {
      requireAdmin(command.metadata);
      const agent = existing(state);
      const name = command.data.name === undefined ? agent.name : requireName(command.data.name, 'agent');
      const email = command.data.email === undefined ? agent.email : requireEmailAddress(command.data.email);
      const role = command.data.role === undefined ? agent.role : requireRole(command.data.role);
      if (agent.role === 'admin' && role !== 'admin') requireNotSelf(command.metadata, agent, 'demote');
      if (name === agent.name && email === agent.email && role === agent.role) return [];
      return [{ type: 'AgentUpdated', data: { agentId: agent.id, name, email, role } }];
    }
    case 'DeactivateAgent': {
      requireAdmin(command.metadata);
      const agent = existing(state);
      requireNotSelf(command.metadata, agent, 'deactivate');
      if (!agent.active) return [];
      return [{ type: 'AgentDeactivated', data: { agentId: agent.id } }];
    }
    case 'ReactivateAgent': {
      requireAdmin(command.metadata);
      const agent = existing(state);
      if (agent.active) return [];
      return [{ type: 'AgentReactivated', data: { agentId: agent.id } }];
    }
    case 'IssueToken': {
      // The system actor issues the first admin's token when the platform is installed.
      requireAdmin(command.metadata, { allowSystem: true });
      const agent = existing(state);
      if (!agent.active) throw conflict('agent-inactive', `${agent.name} is deactivated and cannot get a token`);
      const { tokenId, tokenHash } = command.data;
      if (agent.tokens[tokenId]) throw conflict('token-exists', `Token ${tokenId} already exists`);
      if (typeof tokenHash !== 'string' || tokenHash.trim().length === 0) {
        throw invalid('invalid-token-hash', 'A token needs its hash');
      }
      const label = typeof command.data.label === 'string' ? command.data.label.trim() : '';
      return [
        { type: 'AgentTokenIssued', data: { agentId: agent.id, tokenId, tokenHash, label, issuedAt: command.metadata.now } },
      ];
    }
    case 'RevokeToken': {
      const { actor } = command.metadata;
      const agent = existing(state);
      if (actor.role !== 'admin' && actor.id !== agent.id) {
        throw forbidden('own-tokens-only', 'Only an administrator or the agent themself may revoke a token');
      }
      const token = agent.tokens[command.data.tokenId];
      if (!token || token.revoked) throw notFound('unknown-token', `There is no active token ${command.data.tokenId}`);
      return [{ type: 'AgentTokenRevoked', data: { agentId: agent.id, tokenId: command.data.tokenId } }];
    }
    case 'AddFavourite': {
      const agent = existing(state);
      requireSelf(command.metadata, agent.id);
      const { requestId } = command.data;
      if (agent.favourites.includes(requestId)) return [];
      return [{ type: 'FavouriteAdded', data: { agentId: agent.id, requestId } }];
    }
    case 'RemoveFavourite': {
      const agent = existing(state);
      requireSelf(command.metadata, agent.id);
      const { requestId } = command.data;
      if (!agent.favourites.includes(requestId)) return [];
      return [{ type: 'FavouriteRemoved', data: { agentId: agent.id, requestId } }];
    }
    default:
      return assertNever(command);
  }
};

/** Stream `agent-<agentId>`: who the agent is, what they may do, how they sign in, what they follow. */
export const agentDecider: Decider<AgentCommand, AgentEvent, AgentState> = {
  initialState: initialAgentState,
  decide,
  evolve: evolveAgentState,
};
