import type { Role } from '../shared/message';

/** The roles a person can hold; `system` is the platform's own and never an agent's. */
export type AgentRole = Exclude<Role, 'system'>;
export const AGENT_ROLES: readonly AgentRole[] = ['admin', 'agent', 'auditor', 'reporter'];

export const isAgentRole = (value: unknown): value is AgentRole => AGENT_ROLES.includes(value as AgentRole);
