import { describe, expect, it } from '@jest/globals';
import { compileFilter, escapeRegex, EXCLUDE_SYSTEM_EVENTS, toClientFilter } from './filters';

/** The server evaluates the regexes (.NET); their subset here behaves the same in JavaScript. */
const serverMatches = (compiled: ReturnType<typeof compileFilter>, streamId: string, type: string): boolean => {
  if (compiled.kind === 'nothing') return false;
  const subject = compiled.server.filterOn === 'streamName' ? streamId : type;
  return new RegExp(compiled.server.regex).test(subject);
};

describe('filter mapping', () => {
  it('without a filter, asks the server to exclude system event types', () => {
    const compiled = compileFilter(undefined);
    expect(compiled).toMatchObject({ kind: 'some', server: EXCLUDE_SYSTEM_EVENTS });
    expect(serverMatches(compiled, 'request-1', 'Opened')).toBe(true);
    expect(serverMatches(compiled, '$$request-1', '$metadata')).toBe(false);
    expect(compileFilter({})).toMatchObject({ server: EXCLUDE_SYSTEM_EVENTS });
  });

  it('maps categories to a stream-name regex that is exactly the port category', () => {
    const compiled = compileFilter({ streamCategories: ['request', 'config'] });
    expect(compiled).toMatchObject({ server: { filterOn: 'streamName', regex: '^(?:request|config)(?:-|$)' } });
    for (const [stream, expected] of [
      ['request-1', true],
      ['request-a-b', true],
      ['config', true],
      ['requests-1', false],
      ['xrequest-1', false],
      ['$ce-request', false],
    ] as const) {
      expect(serverMatches(compiled, stream, 'T')).toBe(expected);
      if (compiled.kind === 'some') expect(compiled.matches(stream, 'T')).toBe(expected);
    }
  });

  it('maps event types to an exact-name regex, not a prefix', () => {
    const compiled = compileFilter({ eventTypes: ['Opened', 'Closed'] });
    expect(compiled).toMatchObject({ server: { filterOn: 'eventType', regex: '^(?:Opened|Closed)$' } });
    expect(serverMatches(compiled, 's-1', 'Opened')).toBe(true);
    expect(serverMatches(compiled, 's-1', 'OpenedV2')).toBe(false);
    expect(serverMatches(compiled, 's-1', 'ReOpened')).toBe(false);
  });

  it('with both, lets the server filter types and checks categories here: both must match', () => {
    const compiled = compileFilter({ streamCategories: ['request'], eventTypes: ['Opened'] });
    if (compiled.kind !== 'some') throw new Error('expected a filter');
    expect(compiled.server).toEqual({ filterOn: 'eventType', regex: '^(?:Opened)$' });
    expect(compiled.matches('request-1', 'Opened')).toBe(true);
    expect(compiled.matches('contact-1', 'Opened')).toBe(false);
    expect(compiled.matches('request-1', 'Closed')).toBe(false);
  });

  it('treats an empty list as matching nothing, without a server filter', () => {
    expect(compileFilter({ streamCategories: [] })).toEqual({ kind: 'nothing' });
    expect(compileFilter({ eventTypes: [], streamCategories: ['a'] })).toEqual({ kind: 'nothing' });
  });

  it('always drops $ event types client-side, whatever the server was asked', () => {
    const compiled = compileFilter({ streamCategories: ['eventid'] });
    if (compiled.kind !== 'some') throw new Error('expected a filter');
    expect(compiled.matches('eventid-1', '$EventIdReserved')).toBe(false);
  });

  it('escapes regex metacharacters so that names match literally', () => {
    const compiled = compileFilter({ eventTypes: ['a.b', 'c|d', 'e(f)+'] });
    expect(serverMatches(compiled, 's', 'a.b')).toBe(true);
    expect(serverMatches(compiled, 's', 'axb')).toBe(false);
    expect(serverMatches(compiled, 's', 'c')).toBe(false);
    expect(serverMatches(compiled, 's', 'e(f)+')).toBe(true);
    expect(escapeRegex('^$.|?*+()[]{}\\')).toBe('\\^\\$\\.\\|\\?\\*\\+\\(\\)\\[\\]\\{\\}\\\\');
  });

  it('refuses empty or non-string names', () => {
    expect(() => compileFilter({ eventTypes: [''] })).toThrow(TypeError);
    expect(() => compileFilter({ streamCategories: [1 as unknown as string] })).toThrow(TypeError);
  });

  it('builds the client filter object with a checkpoint hook', () => {
    const hook = () => undefined;
    expect(toClientFilter({ filterOn: 'streamName', regex: '^a' }, hook)).toEqual({
      filterOn: 'streamName',
      regex: '^a',
      checkpointInterval: 1,
      checkpointReached: hook,
    });
    expect(toClientFilter(EXCLUDE_SYSTEM_EVENTS)).not.toHaveProperty('checkpointReached');
  });
});
