/**
 * How a dropped subscription is retried: exponential backoff with jitter, capped, from the last position it
 * delivered (or the last checkpoint the server sent). The attempt count starts again at 1 as soon as the new
 * subscription delivers an event or a checkpoint.
 */
export interface ResubscribePolicy {
  /** Delay before the first resubscription. */
  readonly initialDelayMs: number;
  /** Cap on the delay. */
  readonly maxDelayMs: number;
  /** Growth per consecutive failure. */
  readonly factor: number;
  /** 0..1: the delay is spread uniformly over ±jitter of its value, so that many subscribers do not reconnect in step. */
  readonly jitter: number;
  /** Consecutive failed attempts after which the subscription gives up and its iteration throws the last error. */
  readonly maxAttempts: number;
}

export const DEFAULT_RESUBSCRIBE_POLICY: ResubscribePolicy = {
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  factor: 2,
  jitter: 0.2,
  maxAttempts: Number.POSITIVE_INFINITY,
};

export function resubscribePolicy(overrides: Partial<ResubscribePolicy> = {}): ResubscribePolicy {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const policy: ResubscribePolicy = { ...DEFAULT_RESUBSCRIBE_POLICY, ...given };
  const { initialDelayMs, maxDelayMs, factor, jitter, maxAttempts } = policy;
  if (!(initialDelayMs >= 0 && maxDelayMs >= initialDelayMs && factor >= 1 && jitter >= 0 && jitter <= 1 && maxAttempts >= 1)) {
    throw new RangeError(`Invalid resubscribe policy ${JSON.stringify(policy)}`);
  }
  return policy;
}

/** The delay before attempt `attempt` (1-based). `random` is injectable for tests. */
export function resubscribeDelay(attempt: number, policy: ResubscribePolicy, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1);
  const base = Math.min(policy.maxDelayMs, exponential);
  const spread = base * policy.jitter;
  const delay = base - spread + random() * 2 * spread;
  return Math.round(Math.min(policy.maxDelayMs, Math.max(0, delay)));
}
