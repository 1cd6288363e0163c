import { SYSTEM_ACTOR, type Actor } from '../shared/message';
import { ada, bob } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { eachRuleIsReportedAs } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import type { ChooseDefaultCategory, DefineCategory, SeedCategories, UpdateCategory } from './category.commands';
import { categoryDecider } from './category.decider';
import type { CategoryDefined, CategoryEvent, CategoryUpdated, DefaultCategoryChosen } from './category.events';

const { given } = DeciderSpecification.for(categoryDecider);
const { command } = commandsFrom(ada);

// commands
const define = (data: Partial<DefineCategory['data']> = {}, actor?: Actor) =>
  command<DefineCategory>('DefineCategory', { categoryId: 'sales', name: 'Sales', ...data }, actor);
const update = (categoryId: string, data: Omit<Partial<UpdateCategory['data']>, 'categoryId'> = {}, actor?: Actor) =>
  command<UpdateCategory>('UpdateCategory', { categoryId, ...data }, actor);
const chooseDefault = (categoryId: string, actor?: Actor) => command<ChooseDefaultCategory>('ChooseDefaultCategory', { categoryId }, actor);
const seed = (actor?: Actor) => command<SeedCategories>('SeedCategories', {}, actor);

// events
type Shape = { parentId?: string | null; restricted?: boolean; memberIds?: string[] };
const defined = (categoryId: string, name: string, shape: Shape = {}): CategoryDefined => ({
  type: 'CategoryDefined',
  data: { categoryId, name, parentId: shape.parentId ?? null, restricted: shape.restricted ?? false, memberIds: shape.memberIds ?? [] },
});
const updated = (categoryId: string, name: string, shape: Shape = {}): CategoryUpdated => ({
  type: 'CategoryUpdated',
  data: { categoryId, name, parentId: shape.parentId ?? null, restricted: shape.restricted ?? false, memberIds: shape.memberIds ?? [] },
});
const defaultChosen = (categoryId: string): DefaultCategoryChosen => ({ type: 'DefaultCategoryChosen', data: { categoryId } });

// histories: Sales > Sales EU > Sales EU North, and Support at the top
const sales: CategoryEvent[] = [defined('sales', 'Sales'), defaultChosen('sales')];
const salesEu = defined('sales-eu', 'Sales EU', { parentId: 'sales' });
const salesEuNorth = defined('sales-eu-north', 'North', { parentId: 'sales-eu' });
const support = defined('support', 'Support', { restricted: true, memberIds: ['bob', 'cy'] });
const tree: CategoryEvent[] = [...sales, salesEu, salesEuNorth, support];

describe('category decider', () => {
  describe('DefineCategory', () => {
    it('defines the first category and makes it the default', () => given().when(define()).then(sales));

    it('defines a further category without changing the default', () =>
      given(sales).when(define({ categoryId: 'support', name: 'Support', restricted: true, memberIds: ['bob', 'cy'] })).then([support]));

    it('defines a subcategory', () =>
      given(sales).when(define({ categoryId: 'sales-eu', name: 'Sales EU', parentId: 'sales' })).then([salesEu]));

    it('drops duplicate members, keeping the first of each', () =>
      given(sales)
        .when(define({ categoryId: 'support', name: 'Support', restricted: true, memberIds: ['bob', 'cy', 'bob'] }))
        .then([support]));

    it('trims the name', () => given().when(define({ name: '  Sales ' })).then(sales));

    it('allows a name already used in another branch', () =>
      given(tree)
        .when(define({ categoryId: 'support-north', name: 'north', parentId: 'support' }))
        .then([defined('support-north', 'north', { parentId: 'support' })]));

    it('refuses anyone but an admin', () => given().when(define({}, bob)).thenThrows('admin-only'));

    it('refuses an empty name', () => given().when(define({ name: ' ' })).thenThrows('name-required'));

    it('refuses a name a sibling has, whatever the case', () =>
      given(tree).when(define({ categoryId: 'eu2', name: 'SALES eu', parentId: 'sales' })).thenThrows('category-name-taken'));

    it('refuses a name a top-level category has, for a top-level category', () =>
      given(tree).when(define({ categoryId: 'other', name: 'support' })).thenThrows('category-name-taken'));

    it('refuses an id already used', () => given(sales).when(define({ name: 'Other' })).thenThrows('category-exists'));

    it('refuses an unknown parent', () => given(sales).when(define({ categoryId: 'x', name: 'X', parentId: 'nope' })).thenThrows('unknown-category'));

    it('refuses itself as parent', () => given(sales).when(define({ categoryId: 'x', name: 'X', parentId: 'x' })).thenThrows('category-cycle'));

    it('refuses members who are not agents the caller knows', () =>
      given(sales)
        .withContext({ agentIds: new Set(['bob']) })
        .when(define({ categoryId: 'x', name: 'X', memberIds: ['bob', 'ghost'] }))
        .thenThrows('unknown-agent'));

    it('accepts members who are known agents', () =>
      given(sales)
        .withContext({ agentIds: new Set(['bob', 'cy']) })
        .when(define({ categoryId: 'support', name: 'Support', restricted: true, memberIds: ['bob', 'cy'] }))
        .then([support]));
  });

  describe('UpdateCategory', () => {
    it('renames a category, with its full new values', () =>
      given(tree).when(update('support', { name: 'Helpdesk' })).then([updated('support', 'Helpdesk', { restricted: true, memberIds: ['bob', 'cy'] })]));

    it('moves a category under another', () =>
      given(tree).when(update('support', { parentId: 'sales' })).then([updated('support', 'Support', { parentId: 'sales', restricted: true, memberIds: ['bob', 'cy'] })]));

    it('moves a subcategory to the top level', () =>
      given(tree).when(update('sales-eu', { parentId: null })).then([updated('sales-eu', 'Sales EU')]));

    it('replaces the members, dropping duplicates', () =>
      given(tree)
        .when(update('support', { memberIds: ['dee', 'bob', 'dee'] }))
        .then([updated('support', 'Support', { restricted: true, memberIds: ['dee', 'bob'] })]));

    it('lifts the restriction', () =>
      given(tree).when(update('support', { restricted: false })).then([updated('support', 'Support', { memberIds: ['bob', 'cy'] })]));

    it('does nothing when nothing changes', () =>
      given(tree).when(update('support', { name: 'Support', restricted: true, memberIds: ['bob', 'cy'] })).thenNothingHappens());

    it('treats the same members in another order as no change', () =>
      given(tree).when(update('support', { memberIds: ['cy', 'bob', 'cy'] })).thenNothingHappens());

    it('refuses anyone but an admin', () => given(tree).when(update('support', { name: 'x' }, bob)).thenThrows('admin-only'));

    it('refuses an unknown category', () => given(tree).when(update('nope', { name: 'x' })).thenThrows('unknown-category'));

    it('refuses an empty name', () => given(tree).when(update('support', { name: '' })).thenThrows('name-required'));

    it('refuses a name a sibling has', () => given(tree).when(update('support', { name: 'Sales' })).thenThrows('category-name-taken'));

    it('refuses a move next to a sibling of the same name', () =>
      given(tree, defined('north', 'North')).when(update('north', { parentId: 'sales-eu' })).thenThrows('category-name-taken'));

    it('refuses an unknown parent', () => given(tree).when(update('support', { parentId: 'nope' })).thenThrows('unknown-category'));

    it('refuses itself as parent', () => given(tree).when(update('sales', { parentId: 'sales' })).thenThrows('category-cycle'));

    it('refuses one of its descendants as parent', () =>
      given(tree).when(update('sales', { parentId: 'sales-eu-north' })).thenThrows('category-cycle'));

    it('refuses new members who are not known agents', () =>
      given(tree).withContext({ agentIds: new Set(['bob', 'cy']) }).when(update('support', { memberIds: ['bob', 'ghost'] })).thenThrows('unknown-agent'));
  });

  describe('ChooseDefaultCategory', () => {
    it('makes a category the default', () => given(tree).when(chooseDefault('support')).then([defaultChosen('support')]));

    it('does nothing when it already is the default', () => given(tree).when(chooseDefault('sales')).thenNothingHappens());

    it('refuses anyone but an admin', () => given(tree).when(chooseDefault('support', bob)).thenThrows('admin-only'));

    it('refuses an unknown category', () => given(tree).when(chooseDefault('nope')).thenThrows('unknown-category'));
  });

  describe('SeedCategories', () => {
    const seeded = [defined('general', 'General'), defaultChosen('general')];

    it('installs General as the default category', () => given().when(seed()).then(seeded));

    it('may be run by the system actor', () => given().when(seed(SYSTEM_ACTOR)).then(seeded));

    it('does nothing once any category exists', () => given(sales).when(seed()).thenNothingHappens());

    it('refuses an agent', () => given().when(seed(bob)).thenThrows('admin-only'));
  });

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs(categoryDecider, [
      ['admin-only', 'forbidden', [], define({}, bob)],
      ['name-required', 'invalid', [], define({ name: '' })],
      ['category-name-taken', 'conflict', tree, define({ categoryId: 'x', name: 'Support' })],
      ['category-exists', 'conflict', tree, define({ name: 'Other' })],
      ['unknown-category (the parent)', 'invalid', tree, define({ categoryId: 'x', name: 'X', parentId: 'nope' })],
      ['unknown-category (the category itself)', 'not-found', tree, update('nope', { name: 'X' })],
      ['category-cycle', 'invalid', tree, update('sales', { parentId: 'sales-eu' })],
    ]));
});
