import { fold, type Decider } from '../shared/decider';
import { RuleViolation, type RuleKind } from '../shared/errors';
import type { Command, Event } from '../shared/message';

/** The rule `decider` says no with to `command` after `history`, or undefined when it accepts the command. */
export const violationOf = <C extends Command, E extends Event, S, Ctx>(
  decider: Decider<C, E, S, Ctx>,
  history: readonly E[],
  command: C,
  context?: Ctx,
): RuleViolation | undefined => {
  try {
    decider.decide(command, fold(decider, history), context as Ctx);
  } catch (error) {
    if (error instanceof RuleViolation) return error;
  }
  return undefined;
};

/** One case a rule: its code (a note in brackets may follow), how it is reported, and a history and command that break it. */
export type RuleCase<C, E> = readonly [code: string, kind: RuleKind, history: readonly E[], command: C];

/**
 * The kind decides the HTTP status, so it is part of the contract too: one test a case, checking
 * that the command breaks that very rule and that the rule is reported as that kind.
 *   describe('how each rule is reported', () => eachRuleIsReportedAs(statusDecider, [['admin-only', 'forbidden', [], define({}, bob)]]));
 */
export const eachRuleIsReportedAs = <C extends Command, E extends Event, S, Ctx>(decider: Decider<C, E, S, Ctx>, cases: readonly RuleCase<C, E>[]) =>
  it.each(cases)('%s is %s', (label, kind, history, command) => {
    const violation = violationOf(decider, history, command);
    const code = label.replace(/ \(.*\)$/, '');
    expect({ code: violation?.code, kind: violation?.kind }).toEqual({ code, kind });
  });
