import type { Command } from '../shared/message';
import type { AgentRole } from './agent.role';

export type RegisterAgent = Command<'RegisterAgent', { agentId: string; name: string; email: string; role: AgentRole }>;
/** Omitted fields keep their value. */
export type UpdateAgent = Command<'UpdateAgent', { name?: string; email?: string; role?: AgentRole }>;
export type DeactivateAgent = Command<'DeactivateAgent', Record<string, never>>;
export type ReactivateAgent = Command<'ReactivateAgent', Record<string, never>>;
/** The application makes the token and its id, and passes only the sha256 hash (hex) here. */
export type IssueToken = Command<'IssueToken', { tokenId: string; tokenHash: string; label: string }>;
export type RevokeToken = Command<'RevokeToken', { tokenId: string }>;
export type AddFavourite = Command<'AddFavourite', { requestId: string }>;
export type RemoveFavourite = Command<'RemoveFavourite', { requestId: string }>;

export type AgentCommand =
  | RegisterAgent
  | UpdateAgent
  | DeactivateAgent
  | ReactivateAgent
  | IssueToken
  | RevokeToken
  | AddFavourite
  | RemoveFavourite;
