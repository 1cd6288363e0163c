import { describe, expect, it } from '@jest/globals';
import { countedTicketsIn, ticketsIn } from '../contract/contract-fixtures';
import { CollectionDefinition } from '../document-store.port';
import {
  assertNoParallelArrays,
  indexSpec,
  planDefinitionChange,
  sameDefinition,
  textIndexSpec,
  validateDefinition,
} from './definitions';
import { infoOf } from './testing/fixtures';

describe('collection definitions', () => {
  it('are validated and copied', () => {
    const definition = { name: 'tickets', indexes: [{ name: 'by_status', fields: ['status', 'updatedAt'] }] };
    const { name, definition: copy } = validateDefinition(definition);
    expect(name).toBe('tickets');
    expect(copy).toEqual({ indexes: [{ name: 'by_status', fields: ['status', 'updatedAt'] }], counters: [] });
    definition.indexes[0].fields.push('number');
    expect(copy.indexes[0].fields).toEqual(['status', 'updatedAt']);

    const refused: unknown[] = [
      null,
      { name: 'a.b', indexes: [] },
      { name: 'system', indexes: {} },
      { name: 'x', indexes: [{ name: 'i', fields: [] }] },
      { name: 'x', indexes: [{ name: 'i', fields: ['a', 'a'] }] },
      { name: 'x', indexes: [{ name: 'i', fields: ['a.b'] }] },
      { name: 'x', indexes: [{ name: 'i', fields: ['a'] }, { name: 'i', fields: ['b'] }] },
      { name: 'x', indexes: [{ name: 'i', fields: Array.from({ length: 9 }, (_, i) => `f${i}`) }] },
      { name: 'x', indexes: [], counters: {} },
      { name: 'x', indexes: [], text: { fields: [] } },
      { name: 'x', indexes: [], text: { fields: ['a', 'a'] } },
    ];
    for (const bad of refused) expect(() => validateDefinition(bad as CollectionDefinition)).toThrow(TypeError);
  });

  it('are compared by names and fields in order, and their changes planned', () => {
    const base = validateDefinition(countedTicketsIn('t')).definition;
    expect(sameDefinition(base, validateDefinition(countedTicketsIn('t')).definition)).toBe(true);
    expect(sameDefinition(base, validateDefinition(ticketsIn('t')).definition)).toBe(false);

    const wanted = validateDefinition({
      name: 't',
      indexes: [{ name: 'by_status', fields: ['status'] }, { name: 'by_owner', fields: ['ownerId', 'status', 'updatedAt'] }],
      counters: [{ name: 'by_status', fields: ['status'] }, { name: 'by_priority', fields: ['priority'] }],
      text: { fields: ['subject'] },
    }).definition;
    const change = planDefinitionChange(base, wanted);
    expect(change.dropIndexes.map((i) => i.name)).toEqual(['by_status', 'by_due', 'by_number', 'by_tag']);
    expect(change.createIndexes.map((i) => i.name)).toEqual(['by_status']);
    expect(change.dropCounters.map((c) => c.name)).toEqual(['by_owner_status', 'by_tag', 'by_priority_status']);
    expect(change.buildCounters.map((c) => c.name)).toEqual(['by_priority']);
    expect(change.text).toBe('rebuild');
    expect(change.newlyWatched).toEqual([]);
    expect([...planDefinitionChange(undefined, base).newlyWatched].sort()).toEqual(['dueAt', 'number', 'ownerId', 'priority', 'status', 'tags', 'updatedAt']);
    expect(planDefinitionChange(base, base)).toMatchObject({ dropIndexes: [], createIndexes: [], dropCounters: [], buildCounters: [], text: 'keep' });
  });

  it('refuse an index or counter with two fields holding arrays', () => {
    const definition = validateDefinition(countedTicketsIn('t')).definition;
    expect(() => assertNoParallelArrays('t', definition, new Set(['tags']))).not.toThrow();
    expect(() => assertNoParallelArrays('t', definition, new Set(['tags', 'updatedAt']))).toThrow(/both hold arrays/);
  });

  it('know what a field holds: arrays found, scalars watched, or unknown', () => {
    const info = infoOf(countedTicketsIn('t'), { arrays: ['tags'] });
    expect(info.holds('tags')).toBe('array');
    expect(info.holds('status')).toBe('scalar');
    expect(info.holds('priority')).toBe('scalar');
    expect(info.holds('subject')).toBe('unknown');
    expect(info.watchedFields).not.toContain('tags');
    expect(info.multikeyOf({ name: 'by_tag', fields: ['tags', 'updatedAt'] })).toBe('tags');
  });

  it('become MongoDB indexes on d.<field> then _id, and one text index weighted by order', () => {
    expect(indexSpec({ name: 'by_owner', fields: ['ownerId', 'status'] })).toEqual({
      key: { 'd.ownerId': 1, 'd.status': 1, _id: 1 },
      name: 'i_by_owner',
    });
    expect(textIndexSpec(['subject', 'body'])).toEqual({
      key: { 'd.subject': 'text', 'd.body': 'text', 'x.p0': 'text', 'x.p1': 'text' },
      name: 't_text',
      weights: { 'd.subject': 20, 'd.body': 10, 'x.p0': 2, 'x.p1': 1 },
      default_language: 'none',
      language_override: 'read-store-language',
    });
  });
});
