import { describe, expect, it } from '@jest/globals';
import {
  commitOrUndefined,
  comparePositions,
  decodeMetadata,
  encodeMetadata,
  METADATA_ENVELOPE,
  NO_POSITION,
  positionOfResolved,
  resumePosition,
  toActualRevision,
  toBigInt,
  toEventData,
  toRecordedEvent,
  toStreamState,
} from './mapping';

describe('bigint hygiene', () => {
  it('accepts bigints, safe integer numbers (client 1.x bugs) and decimal strings (gRPC)', () => {
    expect(toBigInt(5n, 'x')).toBe(5n);
    expect(toBigInt(5, 'x')).toBe(5n);
    expect(toBigInt('18446744073709551615', 'x')).toBe(18446744073709551615n);
    expect(toBigInt('-1', 'x')).toBe(-1n);
  });

  it('refuses what is not an exact integer', () => {
    for (const value of [1.5, Number.MAX_SAFE_INTEGER + 2, '12a', undefined, null, {}]) {
      expect(() => toBigInt(value, 'a revision')).toThrow(TypeError);
    }
  });
});

describe('expected revision -> streamState', () => {
  it('maps the port values one to one', () => {
    expect(toStreamState('any')).toBe('any');
    expect(toStreamState('no_stream')).toBe('no_stream');
    expect(toStreamState('stream_exists')).toBe('stream_exists');
    expect(toStreamState(0n)).toBe(0n);
    expect(toStreamState(41n)).toBe(41n);
  });

  it('refuses a plain number, a negative revision and unknown words', () => {
    expect(() => toStreamState(1 as unknown as bigint)).toThrow(TypeError);
    expect(() => toStreamState(-1n)).toThrow(TypeError);
    expect(() => toStreamState('exists' as never)).toThrow(TypeError);
  });

  it("reads the client's actual state: 'no_stream', -1 and absent mean no stream", () => {
    expect(toActualRevision('no_stream')).toBe('no_stream');
    expect(toActualRevision(-1n)).toBe('no_stream');
    expect(toActualRevision('-1')).toBe('no_stream');
    expect(toActualRevision(undefined)).toBe('no_stream');
    expect(toActualRevision(3n)).toBe(3n);
    expect(toActualRevision(3)).toBe(3n);
  });
});

describe('positions', () => {
  it('resumes a stored port position as {commit, prepare} = position', () => {
    expect(resumePosition(1234n)).toEqual({ commit: 1234n, prepare: 1234n });
  });

  it("takes the event's commit position, normalised to bigint", () => {
    expect(positionOfResolved({ event: { position: { commit: 10, prepare: '9' } } })).toEqual({ commit: 10n, prepare: 9n });
    expect(positionOfResolved({ commitPosition: 77 })).toEqual({ commit: 77n, prepare: 77n });
  });

  it('treats 2^64-1 (old servers on stream reads) and absence as no position', () => {
    expect(positionOfResolved({ event: { position: { commit: NO_POSITION, prepare: NO_POSITION } } })).toBeUndefined();
    expect(positionOfResolved({})).toBeUndefined();
    expect(commitOrUndefined({ commit: NO_POSITION, prepare: NO_POSITION })).toBeUndefined();
    expect(commitOrUndefined({ commit: '42', prepare: '42' })).toBe(42n);
  });

  it('orders by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 2n }, { commit: 2n, prepare: 2n })).toBe(0);
  });
});

describe('metadata', () => {
  it('sends all-string metadata as is, to a single append and as multi-append properties', () => {
    const metadata = { actor: 'agent-1', correlationId: 'c' };
    expect(encodeMetadata(metadata, 'json')).toEqual(metadata);
    expect(encodeMetadata(metadata, 'properties')).toEqual(metadata);
  });

  it('wraps metadata with non-string values for a multi-append (the client accepts strings only)', () => {
    const metadata = { actorId: 'a', schemaVersion: 1, nested: { x: [1, null] } };
    expect(encodeMetadata(metadata, 'json')).toEqual(metadata);
    expect(encodeMetadata(metadata, 'properties')).toEqual({ [METADATA_ENVELOPE]: JSON.stringify(metadata) });
  });

  it('wraps metadata whose keys the reader would strip', () => {
    const metadata = { '$schema.name': 'mine' };
    expect(encodeMetadata(metadata, 'json')).toEqual({ [METADATA_ENVELOPE]: JSON.stringify(metadata) });
  });

  it('sends no metadata for none or empty', () => {
    expect(encodeMetadata(undefined, 'json')).toBeUndefined();
    expect(encodeMetadata({}, 'properties')).toBeUndefined();
  });

  it("reads back what was written, without the server's $schema.* keys", () => {
    const metadata = { actorId: 'a', schemaVersion: 1 };
    const asProperties = encodeMetadata(metadata, 'properties')!;
    const asStored = { ...asProperties, '$schema.name': 'Opened', '$schema.data-format': 'Json' };
    expect(decodeMetadata(asStored)).toEqual(metadata);
    expect(decodeMetadata({ actor: 'x', '$schema.name': 'T', '$schema.data-format': 'Json' })).toEqual({ actor: 'x' });
    expect(decodeMetadata(encodeMetadata({ '$schema.name': 'mine' }, 'json'))).toEqual({ '$schema.name': 'mine' });
  });

  it('reads absent, binary and non-object metadata as {}', () => {
    expect(decodeMetadata(undefined)).toEqual({});
    expect(decodeMetadata(new Uint8Array([1, 2, 3]))).toEqual({});
    expect(decodeMetadata(Buffer.from('{"a":"b"}'))).toEqual({ a: 'b' });
    expect(decodeMetadata(2)).toEqual({});
    expect(decodeMetadata(['a'])).toEqual({});
  });
});

describe('events', () => {
  it('writes JSON events with the given UUID', () => {
    const id = '6f1c2c55-8d0b-4a8e-9a55-3b8f0e9e4c11';
    expect(toEventData({ id, type: 'Opened', data: '42', metadata: { a: 'b' } }, 'json')).toEqual({
      id,
      contentType: 'application/json',
      type: 'Opened',
      data: '42',
      metadata: { a: 'b' },
    });
  });

  const recorded = {
    streamId: 'request-1',
    id: '6F1C2C55-8D0B-4A8E-9A55-3B8F0E9E4C11',
    revision: 3,
    type: 'Opened',
    data: { n: 1 },
    metadata: { actor: 'a', '$schema.name': 'Opened' },
    isJson: true,
    created: new Date('2026-01-02T03:04:05.678Z'),
    position: { commit: 900n, prepare: 900n },
  };

  it("maps the client's recorded event to the port's", () => {
    expect(toRecordedEvent({ event: recorded })).toEqual({
      id: '6f1c2c55-8d0b-4a8e-9a55-3b8f0e9e4c11',
      streamId: 'request-1',
      revision: 3n,
      position: 900n,
      type: 'Opened',
      data: { n: 1 },
      metadata: { actor: 'a' },
      recordedAt: '2026-01-02T03:04:05.678Z',
    });
  });

  it('reads binary data as JSON when it is, as bytes otherwise', () => {
    const json = toRecordedEvent({ event: { ...recorded, isJson: false, data: Buffer.from('[1,2]') } });
    expect(json?.data).toEqual([1, 2]);
    const bytes = new Uint8Array([0xff, 0x00]);
    expect(toRecordedEvent({ event: { ...recorded, isJson: false, data: bytes } })?.data).toBe(bytes);
  });

  it('skips unresolved links and refuses events without a $all position', () => {
    expect(toRecordedEvent({ link: {} })).toBeUndefined();
    expect(() => toRecordedEvent({ event: { ...recorded, position: undefined } })).toThrow(/22\.6/);
    expect(() => toRecordedEvent({ event: { ...recorded, created: 'nonsense' } })).toThrow(/creation time/);
  });
});
