import { describe, expect, it } from '@jest/globals';
import { ticketsIn } from '../contract/contract-fixtures';
import { UnindexedQueryError } from '../document-store.port';
import { encodeCursor } from './cursor';
import {
  buildSnippet,
  normalise,
  PREFIX_MAX,
  planSearch,
  searchString,
  searchTerms,
  termsFilter,
  textKeys,
  wordsOf,
} from './text-search';
import { infoOf, stored } from './testing/fixtures';
import { matches } from './testing/mongo-semantics';

const FIELDS = ['subject', 'body'];
const info = infoOf(ticketsIn('tickets'), { arrays: ['tags'] });

describe('text search', () => {
  describe('normalising', () => {
    it('folds case and diacritics as the text index does', () => {
      expect(normalise('Crème BRÛLÉE')).toBe('creme brulee');
      expect(normalise('Ça')).toBe('ca');
      expect(normalise('ZOË')).toBe('zoe');
      // Decomposed input too.
      expect(normalise('Cafe\u0301')).toBe('cafe');
    });

    it('cuts text into runs of letters and digits, with their positions', () => {
      expect(wordsOf('x-ray NEAR the door!')).toEqual([
        { start: 0, end: 1, key: 'x' },
        { start: 2, end: 5, key: 'ray' },
        { start: 6, end: 10, key: 'near' },
        { start: 11, end: 14, key: 'the' },
        { start: 15, end: 19, key: 'door' },
      ]);
      expect(wordsOf('«»—…  ')).toEqual([]);
      expect(wordsOf('Order 1234')).toMatchObject([{ key: 'order' }, { key: '1234' }]);
    });
  });

  describe('sanitising queries', () => {
    it('keeps letters and digits only: operators, quotes and punctuation are never syntax', () => {
      const hostile = ['foo"bar', 'AND', '-printer', 'NEAR(', 'x*', '"', "'", '(', 'a OR', 'subject:foo', '^foo', 'foo AND', '*', '"""', '\\', ')(', '$where', '{"$gt": ""}', '.*', '\u0000'];
      for (const query of hostile) {
        const terms = searchTerms(query);
        if (terms === undefined) continue;
        for (const term of [...terms.exact, terms.prefix]) expect(term).toMatch(/^[\p{L}\p{N}]+$/u);
        expect(searchString(terms)).toMatch(/^[\p{L}\p{N} ]+$/u);
      }
      expect(searchTerms('-printer')).toEqual({ exact: [], prefix: 'printer' });
      expect(searchTerms('foo"bar')).toEqual({ exact: ['foo'], prefix: 'bar' });
      expect(searchTerms('  ')).toBeUndefined();
      expect(searchTerms('*')).toBeUndefined();
      expect(searchTerms('missing invo')).toEqual({ exact: ['missing'], prefix: 'invo' });
      expect(searchTerms('CRÈME')).toEqual({ exact: [], prefix: 'creme' });
      expect(searchTerms('a a b')).toEqual({ exact: ['a'], prefix: 'b' });
      expect(() => searchTerms(42 as unknown as string)).toThrow(TypeError);
    });

    it('uses at most 16 terms, and finds a long last term by its stored prefix', () => {
      const terms = searchTerms(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '))!;
      expect([...terms.exact, terms.prefix]).toHaveLength(16);
      expect(searchString({ exact: ['missing'], prefix: 'internationalis' })).toBe(`missing internationalis ${'internationalis'.slice(0, PREFIX_MAX)}`);
    });
  });

  describe('stored text keys', () => {
    it('carry the distinct words, and per field the prefixes of its words (strings and arrays of strings)', () => {
      const keys = textKeys({ subject: 'Printer jammed', body: ['Jammed again', 42, 'Café'], other: 'ignored' }, FIELDS);
      expect(keys.w).toEqual(['printer', 'jammed', 'again', 'cafe']);
      expect((keys.p0 as string).split(' ')).toEqual(['p', 'pr', 'pri', 'prin', 'print', 'printe', 'j', 'ja', 'jam', 'jamm', 'jamme']);
      expect((keys.p1 as string).split(' ')).toEqual(['j', 'ja', 'jam', 'jamm', 'jamme', 'a', 'ag', 'aga', 'agai', 'c', 'ca', 'caf']);
      expect(textKeys({ subject: 'Internationalisation' }, FIELDS).p0).toBe(
        Array.from({ length: PREFIX_MAX }, (_, i) => 'internationalisation'.slice(0, i + 1)).join(' '),
      );
      expect(textKeys({}, FIELDS)).toEqual({ w: [], p0: '', p1: '' });
    });
  });

  describe('the query', () => {
    it('finds candidates with $text, keeps those with every term and a word beginning with the last, best first', () => {
      const plan = planSearch(info, 'missing invo', { status: 'open' })!;
      expect(plan.pipeline(undefined, 6)).toEqual([
        {
          $match: {
            $text: { $search: 'missing invo' },
            $and: [{ 'x.w': { $all: ['missing'] } }, { 'x.w': { $regex: '^invo' } }, { 'd.status': 'open' }],
          },
        },
        { $project: { _id: 1, d: 1, s: { $meta: 'textScore' } } },
        { $sort: { s: -1, _id: 1 } },
        { $limit: 6 },
      ]);
      expect(plan.pipeline([1.5, 't9'], 6)[2]).toEqual({ $match: { $or: [{ s: { $lt: 1.5 } }, { s: 1.5, _id: { $gt: 't9' } }] } });
    });

    it('keeps exactly the documents with every whole term and the last as a prefix (model)', () => {
      const documents = [
        stored({ id: 'hit', subject: 'Missing invoice', body: 'Sent twice.' }, FIELDS),
        stored({ id: 'prefixOfWhole', subject: 'Missingness of invoices' }, FIELDS),
        stored({ id: 'array', subject: 'x', body: ['nothing', 'MISSING INVOICE'] }, FIELDS),
        stored({ id: 'accents', subject: 'Crème brûlée', body: 'Café' }, FIELDS),
      ];
      const found = (query: string) => {
        const terms = searchTerms(query)!;
        return documents.filter((d) => termsFilter(terms).every((f) => matches(d, f))).map((d) => d._id);
      };
      expect(found('missing invo')).toEqual(['hit', 'array']);
      expect(found('miss invoice')).toEqual([]);
      expect(found('invo')).toEqual(['hit', 'prefixOfWhole', 'array']);
      expect(found('CRÈME')).toEqual(['accents']);
      expect(found('brulee cafe')).toEqual(['accents']);
    });

    it('refuses a collection without text fields, and searches nothing for a query without words', () => {
      expect(() => planSearch(infoOf({ name: 'plain', indexes: [] }), 'x', undefined)).toThrow(UnindexedQueryError);
      expect(planSearch(info, ' "" ', undefined)).toBeUndefined();
    });

    it('binds cursors to the terms and the filter', () => {
      const shape = planSearch(info, 'network', undefined)!.shape;
      expect(planSearch(info, 'NETWORK', undefined)!.shape).toBe(shape);
      expect(planSearch(info, 'outage', undefined)!.shape).not.toBe(shape);
      expect(planSearch(info, 'network', { status: 'open' })!.shape).not.toBe(shape);
      expect(encodeCursor(shape, [1, 'a'])).not.toBe(encodeCursor(planSearch(info, 'outage', undefined)!.shape, [1, 'a']));
    });
  });

  describe('snippets', () => {
    const terms = (query: string) => searchTerms(query)!;

    it('mark the matches between « and », whole words and the prefix, as written', () => {
      const ticket = { subject: 'Invoice', body: 'The invoice for March never arrived at our office in Lyon.' };
      expect(buildSnippet(ticket, FIELDS, terms('march'))).toBe('The invoice for «March» never arrived at our office in Lyon.');
      expect(buildSnippet(ticket, FIELDS, terms('invoice mar'))).toBe('The «invoice» for «March» never arrived at our office in Lyon.');
      expect(buildSnippet({ subject: 'Café order' }, FIELDS, terms('cafe'))).toBe('«Café» order');
    });

    it('come from the string with the most terms found, array elements included', () => {
      const thread = { subject: 'Thread', body: ['First message about a broken monitor', 'Second message: still broken'] };
      expect(buildSnippet(thread, FIELDS, terms('monitor'))).toBe('First message about a broken «monitor»');
      expect(buildSnippet(thread, FIELDS, terms('still broken'))).toBe('Second message: «still» «broken»');
    });

    it('cut long text to twelve words around the matches, marked with …', () => {
      const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
      words[25] = 'needle';
      const snippet = buildSnippet({ body: words.join(' ') }, FIELDS, terms('needle'));
      expect(snippet.startsWith('…')).toBe(true);
      expect(snippet.endsWith('…')).toBe(true);
      expect(snippet).toContain('«needle»');
      expect(snippet.replace(/…/g, '').trim().split(' ')).toHaveLength(12);
      expect(buildSnippet({ other: 1 }, FIELDS, terms('x'))).toBe('');
    });
  });
});
