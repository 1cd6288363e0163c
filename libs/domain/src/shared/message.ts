/** Roles an authenticated user can have. `system` is the platform itself (schedulers, mail import). */
export type Role = 'admin' | 'agent' | 'auditor' | 'reporter' | 'system';

export type Channel = 'api' | 'phone' | 'email' | 'web' | 'system';

export interface Actor {
  readonly id: string;
  readonly role: Role;
}

/**
 * What every command carries besides its data. The decider reads time and the actor from here,
 * never from a clock or a session, so the same command always decides the same way.
 */
export interface CommandMetadata {
  readonly now: string;
  readonly actor: Actor;
  readonly channel: Channel;
  readonly correlationId: string;
  readonly causationId?: string;
}

export type Command<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}>;

/** A domain event as the decider returns it. Storage adds ids and metadata (actor, time, channel). */
export type Event<Type extends string = string, Data = unknown> = Readonly<{
  type: Type;
  data: Data;
}>;

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };
