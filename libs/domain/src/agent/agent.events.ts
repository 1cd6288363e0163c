import type { Event } from '../shared/message';
import type { AgentRole } from './agent.role';

/** One stream per agent, `agent-<agentId>`: profile, role, access tokens and favourites. */
export type AgentRegistered = Event<'AgentRegistered', { agentId: string; name: string; email: string; role: AgentRole }>;
/** Carries the full new values. */
export type AgentUpdated = Event<'AgentUpdated', { agentId: string; name: string; email: string; role: AgentRole }>;
/** A deactivated agent keeps their history but can no longer sign in: their tokens stop working. */
export type AgentDeactivated = Event<'AgentDeactivated', { agentId: string }>;
/** Tokens that were not revoked work again. */
export type AgentReactivated = Event<'AgentReactivated', { agentId: string }>;
/** Only the sha256 hash of the token is ever recorded; the token itself is shown once, by the application. */
export type AgentTokenIssued = Event<
  'AgentTokenIssued',
  { agentId: string; tokenId: string; tokenHash: string; label: string; issuedAt: string }
>;
export type AgentTokenRevoked = Event<'AgentTokenRevoked', { agentId: string; tokenId: string }>;
export type FavouriteAdded = Event<'FavouriteAdded', { agentId: string; requestId: string }>;
export type FavouriteRemoved = Event<'FavouriteRemoved', { agentId: string; requestId: string }>;

export type AgentEvent =
  | AgentRegistered
  | AgentUpdated
  | AgentDeactivated
  | AgentReactivated
  | AgentTokenIssued
  | AgentTokenRevoked
  | FavouriteAdded
  | FavouriteRemoved;
export type AgentEventType = AgentEvent['type'];
