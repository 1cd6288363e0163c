import type { Actor } from '../shared/message';

/** The people of the catalog deciders' specs, one of each role (the request specs have their own cast). */
export const ada: Actor = { id: 'ada', role: 'admin' };
export const bob: Actor = { id: 'bob', role: 'agent' };
/** A second agent, for the rules about acting on someone else's things. */
export const cy: Actor = { id: 'cy', role: 'agent' };
export const audrey: Actor = { id: 'audrey', role: 'auditor' };
export const rex: Actor = { id: 'rex', role: 'reporter' };
