import type { BaseStatus } from '../catalog/catalog';
import { SYSTEM_ACTOR, type Actor } from '../shared/message';
import { ada, bob } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { eachRuleIsReportedAs } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import type { ChooseAcceptStatus, ChooseDefaultStatus, DefineStatus, SeedStatuses, UpdateStatus } from './status.commands';
import { statusDecider } from './status.decider';
import type { AcceptStatusChosen, DefaultStatusChosen, StatusDefined, StatusEvent, StatusUpdated } from './status.events';

const { given } = DeciderSpecification.for(statusDecider);
const { command } = commandsFrom(ada);

// commands
const define = (data: Partial<DefineStatus['data']> = {}, actor?: Actor) =>
  command<DefineStatus>('DefineStatus', { statusId: 'in-queue', name: 'In queue', base: 'open', ...data }, actor);
const update = (data: Partial<UpdateStatus['data']> = {}, actor?: Actor) =>
  command<UpdateStatus>('UpdateStatus', { statusId: 'in-queue', ...data }, actor);
const chooseDefault = (statusId: string, actor?: Actor) => command<ChooseDefaultStatus>('ChooseDefaultStatus', { statusId }, actor);
const chooseAccept = (statusId: string, actor?: Actor) => command<ChooseAcceptStatus>('ChooseAcceptStatus', { statusId }, actor);
const seed = (actor?: Actor) => command<SeedStatuses>('SeedStatuses', {}, actor);

// events
const defined = (
  statusId: string,
  name: string,
  base: BaseStatus,
  flags: { queue?: boolean; newRequestOnReply?: boolean } = {},
): StatusDefined => ({
  type: 'StatusDefined',
  data: { statusId, name, base, queue: flags.queue ?? false, newRequestOnReply: flags.newRequestOnReply ?? false },
});
const defaultChosen = (base: BaseStatus, statusId: string): DefaultStatusChosen => ({
  type: 'DefaultStatusChosen',
  data: { base, statusId },
});
const acceptChosen = (statusId: string): AcceptStatusChosen => ({ type: 'AcceptStatusChosen', data: { statusId } });
const updated = (statusId: string, name: string, flags: { queue?: boolean; newRequestOnReply?: boolean } = {}): StatusUpdated => ({
  type: 'StatusUpdated',
  data: { statusId, name, queue: flags.queue ?? false, newRequestOnReply: flags.newRequestOnReply ?? false },
});

// histories
const inQueue: StatusEvent[] = [defined('in-queue', 'In queue', 'open', { queue: true }), defaultChosen('open', 'in-queue')];
const working: StatusEvent[] = [defined('working', 'Working', 'open')];
const closed: StatusEvent[] = [defined('done', 'Done', 'closed'), defaultChosen('closed', 'done')];

describe('status decider', () => {
  describe('DefineStatus', () => {
    it('defines the first status of a base and makes it the default of that base', () =>
      given().when(define({ queue: true })).then([defined('in-queue', 'In queue', 'open', { queue: true }), defaultChosen('open', 'in-queue')]));

    it('defines a further status of a base without changing the default', () =>
      given(inQueue).when(define({ statusId: 'working', name: 'Working' })).then(working));

    it('takes queue and newRequestOnReply as false when omitted', () =>
      given(closed).when(define({ statusId: 'archived', name: 'Archived', base: 'closed' })).then([defined('archived', 'Archived', 'closed')]));

    it('keeps the flags it is given', () =>
      given(closed)
        .when(define({ statusId: 'archived', name: 'Archived', base: 'closed', newRequestOnReply: true }))
        .then([defined('archived', 'Archived', 'closed', { newRequestOnReply: true })]));

    it('trims the name', () =>
      given(inQueue).when(define({ statusId: 'working', name: '  Working  ' })).then(working));

    it('refuses anyone but an admin', () => given().when(define({}, bob)).thenThrows('admin-only'));

    it('refuses the system actor (it may only seed)', () => given().when(define({}, SYSTEM_ACTOR)).thenThrows('admin-only'));

    it('refuses an empty name', () => given().when(define({ name: '   ' })).thenThrows('name-required'));

    it('refuses a name another status has, whatever the case', () =>
      given(inQueue).when(define({ statusId: 'other', name: 'IN QUEUE ', base: 'closed' })).thenThrows('status-name-taken'));

    it('refuses an id already used', () =>
      given(inQueue).when(define({ name: 'Something else' })).thenThrows('status-exists'));

    it('refuses the deleted base', () => given().when(define({ base: 'deleted' })).thenThrows('system-base-status'));

    it('refuses the merged base', () => given().when(define({ base: 'merged' })).thenThrows('system-base-status'));

    it('refuses a base that does not exist', () =>
      given().when(define({ base: 'pending' as BaseStatus })).thenThrows('unknown-base-status'));
  });

  describe('UpdateStatus', () => {
    it('renames a status, with its full new values', () =>
      given(inQueue).when(update({ name: 'Queued' })).then([updated('in-queue', 'Queued', { queue: true })]));

    it('changes the flags and keeps the name', () =>
      given(inQueue)
        .when(update({ queue: false, newRequestOnReply: true }))
        .then([updated('in-queue', 'In queue', { newRequestOnReply: true })]));

    it('may change only the case of its own name', () =>
      given(inQueue).when(update({ name: 'In Queue' })).then([updated('in-queue', 'In Queue', { queue: true })]));

    it('does nothing when nothing changes', () =>
      given(inQueue).when(update({ name: ' In queue ', queue: true })).thenNothingHappens());

    it('refuses anyone but an admin', () => given(inQueue).when(update({ name: 'Queued' }, bob)).thenThrows('admin-only'));

    it('refuses an unknown status', () => given(inQueue).when(update({ statusId: 'nope', name: 'x' })).thenThrows('unknown-status'));

    it('refuses an empty name', () => given(inQueue).when(update({ name: '' })).thenThrows('name-required'));

    it('refuses a name another status has', () =>
      given(inQueue, working).when(update({ statusId: 'working', name: 'in queue' })).thenThrows('status-name-taken'));
  });

  describe('ChooseDefaultStatus', () => {
    it('makes a status the default of its base', () =>
      given(inQueue, working).when(chooseDefault('working')).then([defaultChosen('open', 'working')]));

    it('does nothing when the status already is the default', () =>
      given(inQueue).when(chooseDefault('in-queue')).thenNothingHappens());

    it('refuses anyone but an admin', () => given(inQueue, working).when(chooseDefault('working', bob)).thenThrows('admin-only'));

    it('refuses an unknown status', () => given(inQueue).when(chooseDefault('nope')).thenThrows('unknown-status'));
  });

  describe('ChooseAcceptStatus', () => {
    it('makes an open status the accept status', () =>
      given(inQueue, working).when(chooseAccept('working')).then([acceptChosen('working')]));

    it('does nothing when the status already is the accept status', () =>
      given(inQueue, working, acceptChosen('working')).when(chooseAccept('working')).thenNothingHappens());

    it('refuses a status that is not open', () => given(closed).when(chooseAccept('done')).thenThrows('status-not-open'));

    it('refuses anyone but an admin', () => given(working).when(chooseAccept('working', bob)).thenThrows('admin-only'));

    it('refuses an unknown status', () => given(inQueue).when(chooseAccept('nope')).thenThrows('unknown-status'));
  });

  describe('SeedStatuses', () => {
    const seeded: StatusEvent[] = [
      defined('new', 'New', 'open', { queue: true }),
      defaultChosen('open', 'new'),
      defined('in-progress', 'In progress', 'open'),
      acceptChosen('in-progress'),
      defined('waiting', 'Waiting for customer', 'open'),
      defined('closed', 'Closed', 'closed'),
      defaultChosen('closed', 'closed'),
      defined('postponed', 'Postponed', 'postponed'),
      defaultChosen('postponed', 'postponed'),
      defined('deleted', 'Deleted', 'deleted', { newRequestOnReply: true }),
      defaultChosen('deleted', 'deleted'),
      defined('merged', 'Merged', 'merged'),
      defaultChosen('merged', 'merged'),
    ];

    it('installs the standard statuses, a default for every base and the accept status', () =>
      given().when(seed()).then(seeded));

    it('may be run by the system actor', () => given().when(seed(SYSTEM_ACTOR)).then(seeded));

    it('does nothing once any status exists', () => given(closed).when(seed()).thenNothingHappens());

    it('does nothing when run twice', () => given(seeded).when(seed()).thenNothingHappens());

    it('refuses an agent', () => given().when(seed(bob)).thenThrows('admin-only'));

    it('leaves the seeded deleted status editable by an admin', () =>
      given(seeded)
        .when(update({ statusId: 'deleted', newRequestOnReply: false }))
        .then([updated('deleted', 'Deleted')]));
  });

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs(statusDecider, [
      ['admin-only', 'forbidden', [], define({}, bob)],
      ['name-required', 'invalid', [], define({ name: '' })],
      ['status-name-taken', 'conflict', inQueue, define({ statusId: 'x' })],
      ['status-exists', 'conflict', inQueue, define({ name: 'Other' })],
      ['system-base-status', 'invalid', [], define({ base: 'deleted' })],
      ['unknown-status', 'not-found', [], update({ name: 'x' })],
      ['status-not-open', 'invalid', closed, chooseAccept('done')],
    ]));
});
