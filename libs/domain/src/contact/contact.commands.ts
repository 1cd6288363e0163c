import type { Command } from '../shared/message';

/**
 * Every address must also be claimed on its `contactemail-` stream in the same append
 * (ClaimContactEmail): that is what keeps an address on one contact only.
 */
export type CreateContact = Command<
  'CreateContact',
  { contactId: string; name: string; emails: string[]; phone?: string | null; companyId?: string | null }
>;
/** Omitted fields keep their value; `phone: null` (or blank) removes the number. */
export type UpdateContact = Command<'UpdateContact', { name?: string; phone?: string | null }>;
export type AddContactEmail = Command<'AddContactEmail', { email: string }>;
export type RemoveContactEmail = Command<'RemoveContactEmail', { email: string }>;
/** null: the contact belongs to no company. The company's existence is checked by the caller. */
export type SetContactCompany = Command<'SetContactCompany', { companyId: string | null }>;

export type ContactCommand = CreateContact | UpdateContact | AddContactEmail | RemoveContactEmail | SetContactCompany;
