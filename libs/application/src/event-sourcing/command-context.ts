import type { Actor, Channel, CommandMetadata } from '@helpdesk/domain';

/** Everything about a command that is not its data: who, when, through what, and the HTTP preconditions. */
export interface CommandContext {
  readonly actor: Actor;
  readonly channel: Channel;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly now: Date;
  /** A retried command with the same key (from the same actor) must not produce events twice. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string };
  /** From If-Match: the revision the caller last saw of the addressed stream. */
  readonly expectedRevision?: bigint;
}

export const commandMetadata = (ctx: CommandContext): CommandMetadata => ({
  now: ctx.now.toISOString(),
  actor: ctx.actor,
  channel: ctx.channel,
  correlationId: ctx.correlationId,
  ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
});

/** What is stored with every event, so that history says who did it, when, through which channel, and why. */
export type StoredEventMetadata = {
  readonly actorId: string;
  readonly actorRole: string;
  readonly channel: Channel;
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId?: string;
  /** Kept for the audit trail; the key's record (and the answer to a retry) lives in its own stream. */
  readonly idempotencyKey?: string;
  readonly schemaVersion: number;
};

export const storedMetadata = (ctx: CommandContext): StoredEventMetadata => ({
  actorId: ctx.actor.id,
  actorRole: ctx.actor.role,
  channel: ctx.channel,
  occurredAt: ctx.now.toISOString(),
  correlationId: ctx.correlationId,
  ...(ctx.causationId ? { causationId: ctx.causationId } : {}),
  ...(ctx.idempotency ? { idempotencyKey: ctx.idempotency.key } : {}),
  schemaVersion: 1,
});
