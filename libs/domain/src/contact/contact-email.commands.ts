import type { Command } from '../shared/message';

/** Sent with CreateContact (one per address) and AddContactEmail. */
export type ClaimContactEmail = Command<'ClaimContactEmail', { email: string; contactId: string }>;
/** Sent with RemoveContactEmail, so the address can go to another contact. */
export type ReleaseContactEmail = Command<'ReleaseContactEmail', { email: string; contactId: string }>;

export type ContactEmailCommand = ClaimContactEmail | ReleaseContactEmail;
