import { agentDecider } from '../agent/agent.decider';
import type { AgentCommand } from '../agent/agent.commands';
import type { AgentEvent } from '../agent/agent.events';
import { categoryDecider } from '../category/category.decider';
import type { CategoryCommand } from '../category/category.commands';
import { priorityDecider } from '../priority/priority.decider';
import type { PriorityCommand } from '../priority/priority.commands';
import type { Decider } from '../shared/decider';
import { SYSTEM_ACTOR, type Command, type Event } from '../shared/message';
import { statusDecider } from '../status/status.decider';
import type { StatusCommand } from '../status/status.commands';
import { ada, bob } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { emptyCatalog } from './catalog';
import { evolveCatalog, foldCatalog, isCatalogEvent, type CatalogEvent } from './catalog.evolve';
import { catalogSeedCommands } from './catalog.seed';

const { meta } = commandsFrom(ada, { channel: 'system', correlationId: 'install' });

/** Runs commands through a decider as the application would: each one sees the events before it. */
const history = <C extends Command, E extends Event, S>(decider: Decider<C, E, S, any>, commands: readonly C[]): E[] => {
  const events: E[] = [];
  let state = decider.initialState();
  for (const command of commands) {
    for (const event of decider.decide(command, state, undefined)) {
      events.push(event);
      state = decider.evolve(state, event);
    }
  }
  return events;
};

const [seedStatuses, seedCategories, seedPriorities] = catalogSeedCommands(meta(SYSTEM_ACTOR));

const statuses = history(statusDecider, [
  seedStatuses,
  { type: 'DefineStatus', data: { statusId: 'resolved', name: 'Resolved', base: 'closed', newRequestOnReply: true }, metadata: meta() },
  { type: 'ChooseDefaultStatus', data: { statusId: 'resolved' }, metadata: meta() },
  { type: 'UpdateStatus', data: { statusId: 'waiting', name: 'Waiting for reply', queue: true }, metadata: meta() },
  { type: 'ChooseAcceptStatus', data: { statusId: 'waiting' }, metadata: meta() },
  { type: 'ChooseAcceptStatus', data: { statusId: 'in-progress' }, metadata: meta() },
] satisfies StatusCommand[]);

const categories = history(categoryDecider, [
  seedCategories,
  { type: 'DefineCategory', data: { categoryId: 'billing', name: 'Billing', restricted: true, memberIds: ['bob'] }, metadata: meta() },
  { type: 'DefineCategory', data: { categoryId: 'refunds', name: 'Refunds', parentId: 'billing' }, metadata: meta() },
  { type: 'UpdateCategory', data: { categoryId: 'billing', memberIds: ['bob', 'cy', 'bob'] }, metadata: meta() },
] satisfies CategoryCommand[]);

const priorities = history(priorityDecider, [
  seedPriorities,
  { type: 'DefinePriority', data: { priorityId: 'critical', name: 'Critical', deadlineMinutes: 60 }, metadata: meta() },
  { type: 'UpdatePriority', data: { priorityId: 'low', deadlineMinutes: null }, metadata: meta() },
  { type: 'ChooseDefaultPriority', data: { priorityId: 'low' }, metadata: meta() },
] satisfies PriorityCommand[]);

const hash = (c: string) => c.repeat(64);

const adaStream = history(agentDecider, [
  { type: 'RegisterAgent', data: { agentId: 'ada', name: 'Ada Admin', email: 'ada@example.com', role: 'admin' }, metadata: meta(SYSTEM_ACTOR) },
  { type: 'IssueToken', data: { tokenId: 'ada-1', tokenHash: hash('a'), label: 'bootstrap' }, metadata: meta(SYSTEM_ACTOR) },
] satisfies AgentCommand[]);

const bobStream = history(agentDecider, [
  { type: 'RegisterAgent', data: { agentId: 'bob', name: 'Bob Baker', email: 'bob@example.com', role: 'agent' }, metadata: meta() },
  { type: 'IssueToken', data: { tokenId: 'bob-1', tokenHash: hash('b'), label: 'laptop' }, metadata: meta() },
  { type: 'IssueToken', data: { tokenId: 'bob-2', tokenHash: hash('c'), label: 'phone' }, metadata: meta() },
  { type: 'AddFavourite', data: { requestId: 'req-7' }, metadata: meta(bob) },
  { type: 'DeactivateAgent', data: {}, metadata: meta() },
  { type: 'RevokeToken', data: { tokenId: 'bob-2' }, metadata: meta() },
  { type: 'ReactivateAgent', data: {}, metadata: meta() },
  { type: 'UpdateAgent', data: { role: 'auditor' }, metadata: meta() },
] satisfies AgentCommand[]);

const cyStream = history(agentDecider, [
  { type: 'RegisterAgent', data: { agentId: 'cy', name: 'Cy Clerk', email: 'cy@example.com', role: 'agent' }, metadata: meta() },
  { type: 'IssueToken', data: { tokenId: 'cy-1', tokenHash: hash('d'), label: 'laptop' }, metadata: meta() },
  { type: 'DeactivateAgent', data: {}, metadata: meta() },
] satisfies AgentCommand[]);

/** Streams are read one after another; the order between streams does not matter to the catalog. */
const everything: CatalogEvent[] = [...statuses, ...categories, ...priorities, ...adaStream, ...bobStream, ...cyStream];

describe('evolveCatalog', () => {
  const catalog = foldCatalog(everything);

  it('holds every status, with updates applied and the base kept', () => {
    expect(Object.keys(catalog.statuses).sort()).toEqual(
      ['closed', 'deleted', 'in-progress', 'merged', 'new', 'postponed', 'resolved', 'waiting'].sort(),
    );
    expect(catalog.statuses['waiting']).toEqual({ id: 'waiting', name: 'Waiting for reply', base: 'open', queue: true, newRequestOnReply: false });
    expect(catalog.statuses['resolved']).toEqual({ id: 'resolved', name: 'Resolved', base: 'closed', queue: false, newRequestOnReply: true });
  });

  it('knows the default of every base', () =>
    expect(catalog.defaultStatusIds).toEqual({
      open: 'new',
      closed: 'resolved',
      postponed: 'postponed',
      deleted: 'deleted',
      merged: 'merged',
    }));

  it('knows the accept status last chosen', () => expect(catalog.acceptStatusId).toBe('in-progress'));

  it('holds the category tree with members', () => {
    expect(catalog.categories).toEqual({
      general: { id: 'general', name: 'General', parentId: null, restricted: false, memberIds: [] },
      billing: { id: 'billing', name: 'Billing', parentId: null, restricted: true, memberIds: ['bob', 'cy'] },
      refunds: { id: 'refunds', name: 'Refunds', parentId: 'billing', restricted: false, memberIds: [] },
    });
    expect(catalog.defaultCategoryId).toBe('general');
  });

  it('holds the priorities with their deadlines and the default', () => {
    expect(catalog.priorities).toEqual({
      low: { id: 'low', name: 'Low', deadlineMinutes: null, rank: 1 },
      medium: { id: 'medium', name: 'Medium', deadlineMinutes: 1440, rank: 2 },
      high: { id: 'high', name: 'High', deadlineMinutes: 240, rank: 3 },
      critical: { id: 'critical', name: 'Critical', deadlineMinutes: 60, rank: 4 },
    });
    expect(catalog.defaultPriorityId).toBe('low');
  });

  it('holds every agent with role and whether they are active', () =>
    expect(catalog.agents).toEqual({
      ada: { id: 'ada', name: 'Ada Admin', email: 'ada@example.com', role: 'admin', active: true },
      bob: { id: 'bob', name: 'Bob Baker', email: 'bob@example.com', role: 'auditor', active: true },
      cy: { id: 'cy', name: 'Cy Clerk', email: 'cy@example.com', role: 'agent', active: false },
    }));

  it('authenticates only live tokens: revoked ones are gone, a reactivated agent’s come back, a deactivated agent’s do not', () =>
    expect(catalog.tokens).toEqual({
      [hash('a')]: { agentId: 'ada', tokenId: 'ada-1' },
      [hash('b')]: { agentId: 'bob', tokenId: 'bob-1' },
    }));

  describe('tokens', () => {
    const registered = (agentId: string): AgentEvent => ({
      type: 'AgentRegistered',
      data: { agentId, name: agentId, email: `${agentId}@example.com`, role: 'agent' },
    });
    const issued = (agentId: string, tokenId: string, tokenHash: string): AgentEvent => ({
      type: 'AgentTokenIssued',
      data: { agentId, tokenId, tokenHash, label: '', issuedAt: '2026-03-01T09:00:00.000Z' },
    });
    const revoked = (agentId: string, tokenId: string): AgentEvent => ({ type: 'AgentTokenRevoked', data: { agentId, tokenId } });
    const deactivated = (agentId: string): AgentEvent => ({ type: 'AgentDeactivated', data: { agentId } });
    const reactivated = (agentId: string): AgentEvent => ({ type: 'AgentReactivated', data: { agentId } });

    it('adds an issued token', () =>
      expect(foldCatalog([registered('dee'), issued('dee', 't1', hash('1'))]).tokens).toEqual({ [hash('1')]: { agentId: 'dee', tokenId: 't1' } }));

    it('removes a revoked token', () =>
      expect(foldCatalog([registered('dee'), issued('dee', 't1', hash('1')), revoked('dee', 't1')]).tokens).toEqual({}));

    it('drops every token of a deactivated agent and only theirs', () =>
      expect(
        foldCatalog([registered('dee'), registered('eve'), issued('dee', 't1', hash('1')), issued('eve', 't2', hash('2')), deactivated('dee')]).tokens,
      ).toEqual({ [hash('2')]: { agentId: 'eve', tokenId: 't2' } }));

    it('restores the tokens on reactivation', () =>
      expect(foldCatalog([registered('dee'), issued('dee', 't1', hash('1')), deactivated('dee'), reactivated('dee')]).tokens).toEqual({
        [hash('1')]: { agentId: 'dee', tokenId: 't1' },
      }));

    it('does not restore a token revoked while the agent was deactivated', () =>
      expect(
        foldCatalog([registered('dee'), issued('dee', 't1', hash('1')), deactivated('dee'), revoked('dee', 't1'), reactivated('dee')]).tokens,
      ).toEqual({}));

    it('keeps a token issued to an inactive agent out until reactivation', () => {
      const before = [registered('dee'), deactivated('dee'), issued('dee', 't1', hash('1'))];
      expect(foldCatalog(before).tokens).toEqual({});
      expect(foldCatalog([...before, reactivated('dee')]).tokens).toEqual({ [hash('1')]: { agentId: 'dee', tokenId: 't1' } });
    });
  });

  it('ignores favourites', () => {
    const before = foldCatalog(adaStream);
    expect(evolveCatalog(before, { type: 'FavouriteAdded', data: { agentId: 'ada', requestId: 'req-1' } })).toEqual(before);
  });

  it('starts from a plain empty catalog', () => expect(evolveCatalog(emptyCatalog(), statuses[0]!).statuses['new']?.name).toBe('New'));

  it('never changes the catalog it is given', () => {
    const before = foldCatalog(everything.slice(0, 20));
    const copy = structuredClone(before);
    everything.slice(20).reduce(evolveCatalog, before);
    expect(before).toEqual(copy);
  });

  it('folds the same history to the same catalog every time', () => expect(foldCatalog(everything)).toEqual(catalog));

  it('passes over events it has no use for, from the same stream categories', () => {
    const before = foldCatalog(adaStream);
    expect(evolveCatalog(before, { type: 'TemplateDefined', data: {} } as unknown as CatalogEvent)).toEqual(before);
  });

  it('tells catalog events from others', () => {
    expect(everything.every(isCatalogEvent)).toBe(true);
    expect(isCatalogEvent({ type: 'RequestCreated', data: {} })).toBe(false);
    expect(isCatalogEvent({ type: 'toString', data: {} })).toBe(false);
  });
});
