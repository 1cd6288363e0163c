import type { Event } from '../shared/message';

/**
 * One stream per normalised address (`contactemail-<sha256 of it>`, named by the application): the
 * reservation that keeps an address on one contact only. Appended atomically with the contact's event.
 */
export type ContactEmailClaimed = Event<'ContactEmailClaimed', { email: string; contactId: string }>;
export type ContactEmailReleased = Event<'ContactEmailReleased', { email: string; contactId: string }>;

export type ContactEmailEvent = ContactEmailClaimed | ContactEmailReleased;
export type ContactEmailEventType = ContactEmailEvent['type'];
