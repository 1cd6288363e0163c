import { isEmailAddress, normalizeEmail } from '../shared/email';
import type { CommandMetadata } from '../shared/message';
import { forbidden, invalid } from '../shared/errors';

/**
 * Checks shared by the configuration, agent, contact and company deciders. Not exported from the
 * package: the application authorises through the deciders, never around them.
 */

/** Configuration and user administration belong to admins; `allowSystem` lets the platform bootstrap itself. */
export const requireAdmin = (metadata: CommandMetadata, options: { allowSystem?: boolean } = {}): void => {
  const { role } = metadata.actor;
  if (role === 'admin') return;
  if (role === 'system' && options.allowSystem) return;
  throw forbidden('admin-only', 'Only an administrator may do this');
};

/**
 * Auditors and reporters read; they never change contacts or companies. Agents, admins and the
 * platform (mail import creates contacts) may.
 */
export const requireWriter = (metadata: CommandMetadata): void => {
  const { role } = metadata.actor;
  if (role === 'admin' || role === 'agent' || role === 'system') return;
  throw forbidden('read-only-role', `The ${role} role may only read`);
};

/** Names are stored trimmed; a name of only spaces is no name. */
export const requireName = (raw: string | undefined, what: string): string => {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (name.length === 0) throw invalid('name-required', `The ${what} needs a name`);
  return name;
};

/** Same name, ignoring case and surrounding spaces: "Closed" and " closed" would confuse people. */
export const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Addresses are stored normalised; agents, contacts and the address reservation all agree on what one is. */
export const requireEmailAddress = (raw: string): string => {
  const email = normalizeEmail(typeof raw === 'string' ? raw : '');
  if (!isEmailAddress(email)) throw invalid('invalid-email', `"${String(raw)}" is not an email address`);
  return email;
};
