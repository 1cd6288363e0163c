import { fold, type Decider } from '../shared/decider';
import type { Command, Event } from '../shared/message';
import { RuleViolation } from '../shared/errors';

/**
 * Given/when/then for deciders:
 *   spec.given(created, closed).when(close()).thenThrows('request-already-closed')
 *   spec.given(created).when(close()).then([closedEvent])
 */
export const DeciderSpecification = {
  for<C extends Command, E extends Event, S, Ctx>(decider: Decider<C, E, S, Ctx>, defaultContext?: Ctx) {
    const run = (given: readonly E[], command: C, context: Ctx | undefined) =>
      decider.decide(command, fold(decider, given), (context ?? defaultContext) as Ctx);

    const given = (...events: (E | readonly E[])[]) => {
      const history = events.flat() as E[];
      let context: Ctx | undefined;
      const stage = {
        withContext(ctx: Ctx) {
          context = ctx;
          return stage;
        },
        when(command: C) {
          return {
            then(expected: readonly E[]) {
              expect(run(history, command, context)).toEqual(expected);
            },
            thenNothingHappens() {
              expect(run(history, command, context)).toEqual([]);
            },
            thenThrows(code: string) {
              let caught: unknown;
              try {
                run(history, command, context);
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(RuleViolation);
              expect((caught as RuleViolation).code).toBe(code);
            },
            /** For assertions on part of the outcome (e.g. generated data the test cannot predict). */
            thenEvents(assert: (events: readonly E[]) => void) {
              assert(run(history, command, context));
            },
          };
        },
      };
      return stage;
    };
    return { given };
  },
};
