import { SYSTEM_ACTOR, type Actor } from '../shared/message';
import { ada, bob } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { eachRuleIsReportedAs } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import type { ChooseDefaultPriority, DefinePriority, SeedPriorities, UpdatePriority } from './priority.commands';
import { priorityDecider } from './priority.decider';
import type { DefaultPriorityChosen, PriorityDefined, PriorityEvent, PriorityUpdated } from './priority.events';

const { given } = DeciderSpecification.for(priorityDecider);
const { command } = commandsFrom(ada);

// commands
const define = (data: Partial<DefinePriority['data']> = {}, actor?: Actor) =>
  command<DefinePriority>('DefinePriority', { priorityId: 'urgent', name: 'Urgent', deadlineMinutes: 60, ...data }, actor);
const update = (data: Partial<UpdatePriority['data']> = {}, actor?: Actor) =>
  command<UpdatePriority>('UpdatePriority', { priorityId: 'urgent', ...data }, actor);
const chooseDefault = (priorityId: string, actor?: Actor) => command<ChooseDefaultPriority>('ChooseDefaultPriority', { priorityId }, actor);
const seed = (actor?: Actor) => command<SeedPriorities>('SeedPriorities', {}, actor);

// events
const defined = (priorityId: string, name: string, deadlineMinutes: number | null, rank: number): PriorityDefined => ({
  type: 'PriorityDefined',
  data: { priorityId, name, deadlineMinutes, rank },
});
const updated = (priorityId: string, name: string, deadlineMinutes: number | null, rank: number): PriorityUpdated => ({
  type: 'PriorityUpdated',
  data: { priorityId, name, deadlineMinutes, rank },
});
const defaultChosen = (priorityId: string): DefaultPriorityChosen => ({ type: 'DefaultPriorityChosen', data: { priorityId } });

// histories
const urgent: PriorityEvent[] = [defined('urgent', 'Urgent', 60, 1), defaultChosen('urgent')];
const someday = defined('someday', 'Someday', null, 2);

describe('priority decider', () => {
  describe('DefinePriority', () => {
    it('defines the first priority, ranks it 1 and makes it the default', () => given().when(define()).then(urgent));

    it('ranks a further priority above every existing one and keeps the default', () =>
      given(urgent).when(define({ priorityId: 'someday', name: 'Someday', deadlineMinutes: null })).then([someday]));

    it('keeps the rank it is given', () =>
      given(urgent)
        .when(define({ priorityId: 'someday', name: 'Someday', deadlineMinutes: null, rank: 0 }))
        .then([defined('someday', 'Someday', null, 0)]));

    it('trims the name', () => given().when(define({ name: ' Urgent  ' })).then(urgent));

    it('refuses anyone but an admin', () => given().when(define({}, bob)).thenThrows('admin-only'));

    it('refuses an empty name', () => given().when(define({ name: '' })).thenThrows('name-required'));

    it('refuses a name another priority has, whatever the case', () =>
      given(urgent).when(define({ priorityId: 'x', name: 'URGENT' })).thenThrows('priority-name-taken'));

    it('refuses an id already used', () => given(urgent).when(define({ name: 'Other' })).thenThrows('priority-exists'));

    it('refuses a deadline of zero minutes', () => given().when(define({ deadlineMinutes: 0 })).thenThrows('invalid-deadline'));

    it('refuses a negative deadline', () => given().when(define({ deadlineMinutes: -5 })).thenThrows('invalid-deadline'));

    it('refuses a fractional deadline', () => given().when(define({ deadlineMinutes: 1.5 })).thenThrows('invalid-deadline'));

    it('refuses a fractional rank', () => given().when(define({ rank: 2.5 })).thenThrows('invalid-rank'));
  });

  describe('UpdatePriority', () => {
    it('changes the deadline, with the full new values', () =>
      given(urgent).when(update({ deadlineMinutes: 30 })).then([updated('urgent', 'Urgent', 30, 1)]));

    it('removes the deadline', () => given(urgent).when(update({ deadlineMinutes: null })).then([updated('urgent', 'Urgent', null, 1)]));

    it('renames and reranks', () => given(urgent).when(update({ name: 'Critical', rank: 9 })).then([updated('urgent', 'Critical', 60, 9)]));

    it('does nothing when nothing changes', () =>
      given(urgent).when(update({ name: 'Urgent', deadlineMinutes: 60, rank: 1 })).thenNothingHappens());

    it('refuses anyone but an admin', () => given(urgent).when(update({ rank: 3 }, bob)).thenThrows('admin-only'));

    it('refuses an unknown priority', () => given(urgent).when(update({ priorityId: 'nope', rank: 3 })).thenThrows('unknown-priority'));

    it('refuses an empty name', () => given(urgent).when(update({ name: '  ' })).thenThrows('name-required'));

    it('refuses a name another priority has', () =>
      given(urgent, someday).when(update({ name: 'someday' })).thenThrows('priority-name-taken'));

    it('refuses an invalid deadline', () => given(urgent).when(update({ deadlineMinutes: 0 })).thenThrows('invalid-deadline'));

    it('refuses an invalid rank', () => given(urgent).when(update({ rank: Number.NaN })).thenThrows('invalid-rank'));
  });

  describe('ChooseDefaultPriority', () => {
    it('makes a priority the default', () => given(urgent, someday).when(chooseDefault('someday')).then([defaultChosen('someday')]));

    it('does nothing when it already is the default', () => given(urgent).when(chooseDefault('urgent')).thenNothingHappens());

    it('refuses anyone but an admin', () => given(urgent, someday).when(chooseDefault('someday', bob)).thenThrows('admin-only'));

    it('refuses an unknown priority', () => given(urgent).when(chooseDefault('nope')).thenThrows('unknown-priority'));
  });

  describe('SeedPriorities', () => {
    const seeded: PriorityEvent[] = [
      defined('low', 'Low', 4320, 1),
      defined('medium', 'Medium', 1440, 2),
      defined('high', 'High', 240, 3),
      defaultChosen('medium'),
    ];

    it('installs Low, Medium and High with Medium as the default', () => given().when(seed()).then(seeded));

    it('may be run by the system actor', () => given().when(seed(SYSTEM_ACTOR)).then(seeded));

    it('does nothing once any priority exists', () => given(urgent).when(seed()).thenNothingHappens());

    it('refuses an agent', () => given().when(seed(bob)).thenThrows('admin-only'));
  });

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs(priorityDecider, [
      ['admin-only', 'forbidden', [], define({}, bob)],
      ['name-required', 'invalid', [], define({ name: '' })],
      ['priority-name-taken', 'conflict', urgent, define({ priorityId: 'x' })],
      ['priority-exists', 'conflict', urgent, define({ name: 'Other' })],
      ['invalid-deadline', 'invalid', [], define({ deadlineMinutes: -1 })],
      ['invalid-rank', 'invalid', [], define({ rank: 0.5 })],
      ['unknown-priority', 'not-found', [], update({ rank: 1 })],
    ]));
});
