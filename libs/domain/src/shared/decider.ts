import type { Command, Event } from './message';

/**
 * A decider is three pure functions. `context` is reference data the caller has already loaded
 * (statuses, categories, agents ...): passed in, so the decider stays free of I/O.
 */
export interface Decider<C extends Command, E extends Event, S, Ctx = void> {
  readonly initialState: () => S;
  readonly decide: (command: C, state: S, context: Ctx) => readonly E[];
  readonly evolve: (state: S, event: E) => S;
}

export const fold = <E extends Event, S>(decider: Pick<Decider<any, E, S, any>, 'evolve' | 'initialState'>, events: readonly E[]): S =>
  events.reduce(decider.evolve, decider.initialState());
