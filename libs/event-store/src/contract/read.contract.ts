import { describe, expect, it } from '@jest/globals';
import { EventStore, ReadAllOptions, RecordedEvent } from '../event-store.port';
import { aCategory, aStream, aType, anEvent, expectIncreasingPositions, idsOf, someEvents } from './contract-fixtures';

/** Reading one stream, the global log, and its head. */
export function readContract(store: () => EventStore): void {
  describe('readStream', () => {
    async function streamOf5(): Promise<{ stream: string; ids: string[] }> {
      const stream = aStream();
      const events = someEvents(5);
      await store().append(stream, events, 'no_stream');
      return { stream, ids: idsOf(events) };
    }

    it('starts at fromRevision, inclusive', async () => {
      const { stream, ids } = await streamOf5();
      const read = await store().readStream(stream, { fromRevision: 2n });
      expect(idsOf(read)).toEqual(ids.slice(2));
      expect(read.map((e) => e.revision)).toEqual([2n, 3n, 4n]);
    });

    it('reads nothing from a revision past the end', async () => {
      const { stream } = await streamOf5();
      await expect(store().readStream(stream, { fromRevision: 5n })).resolves.toEqual([]);
    });

    it('stops at maxCount', async () => {
      const { stream, ids } = await streamOf5();
      expect(idsOf(await store().readStream(stream, { maxCount: 2 }))).toEqual(ids.slice(0, 2));
      expect(idsOf(await store().readStream(stream, { fromRevision: 1n, maxCount: 3 }))).toEqual(ids.slice(1, 4));
    });

    it('reads backwards from the end by default, or from fromRevision inclusive', async () => {
      const { stream, ids } = await streamOf5();
      const reversed = [...ids].reverse();
      expect(idsOf(await store().readStream(stream, { direction: 'backwards' }))).toEqual(reversed);
      expect(idsOf(await store().readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([ids[4]]);
      expect(idsOf(await store().readStream(stream, { direction: 'backwards', fromRevision: 2n }))).toEqual(
        reversed.slice(2),
      );
    });
  });

  describe('readAll', () => {
    /** Pages through the whole log after `after` with the given options. */
    async function readAllPages(options: ReadAllOptions, pageSize: number): Promise<RecordedEvent[][]> {
      const pages: RecordedEvent[][] = [];
      let fromPosition = options.fromPosition;
      for (;;) {
        const page = await store().readAll({ ...options, fromPosition, maxCount: pageSize });
        if (page.length === 0) return pages;
        pages.push(page);
        fromPosition = page[page.length - 1].position;
      }
    }

    it('pages through the log in position order, each page starting after the given position', async () => {
      const category = aCategory();
      const written = [...someEvents(3), ...someEvents(2)];
      const head = await store().headPosition();
      await store().append(aStream(category), written.slice(0, 3), 'no_stream');
      await store().append(aStream(category), written.slice(3), 'no_stream');

      const pages = await readAllPages({ fromPosition: head, filter: { streamCategories: [category] } }, 2);

      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(idsOf(pages.flat())).toEqual(idsOf(written));
      expectIncreasingPositions(pages.flat());
    });

    it('excludes the event at fromPosition itself', async () => {
      const category = aCategory();
      const stream = aStream(category);
      const events = someEvents(3);
      await store().append(stream, events, 'no_stream');
      const [first] = await store().readStream(stream);

      const read = await store().readAll({ fromPosition: first.position, filter: { streamCategories: [category] } });

      expect(idsOf(read)).toEqual(idsOf(events.slice(1)));
    });

    it('without a filter, returns our events in order among whatever else the log holds', async () => {
      const head = await store().headPosition();
      const a = aStream();
      const b = aStream();
      const events = someEvents(4);
      await store().append(a, events.slice(0, 2), 'no_stream');
      await store().append(b, events.slice(2), 'no_stream');

      const read = await store().readAll({ fromPosition: head });

      expectIncreasingPositions(read);
      expect(idsOf(read.filter((e) => e.streamId === a || e.streamId === b))).toEqual(idsOf(events));
      if (head !== undefined) expect(read.every((e) => e.position > head)).toBe(true);
    });

    it('filters by stream category', async () => {
      const wanted = aCategory();
      const other = aCategory();
      const mine = someEvents(2);
      await store().append(aStream(wanted), mine.slice(0, 1), 'no_stream');
      await store().append(aStream(other), someEvents(2), 'no_stream');
      await store().append(aStream(wanted), mine.slice(1), 'no_stream');

      const read = await store().readAll({ filter: { streamCategories: [wanted] } });

      expect(idsOf(read)).toEqual(idsOf(mine));
    });

    it('filters by several categories, merging them in position order', async () => {
      const [c1, c2] = [aCategory(), aCategory()];
      const events = someEvents(4);
      const head = await store().headPosition();
      await store().append(aStream(c1), [events[0]], 'no_stream');
      await store().append(aStream(c2), [events[1]], 'no_stream');
      await store().append(aStream(aCategory()), someEvents(1), 'no_stream');
      await store().append(aStream(c1), [events[2]], 'no_stream');
      await store().append(aStream(c2), [events[3]], 'no_stream');

      const read = await store().readAll({ fromPosition: head, filter: { streamCategories: [c1, c2] } });
      expect(idsOf(read)).toEqual(idsOf(events));
      const paged = await readAllPages({ fromPosition: head, filter: { streamCategories: [c1, c2] } }, 3);
      expect(idsOf(paged.flat())).toEqual(idsOf(events));
    });

    it('filters by event type, across streams and categories', async () => {
      const [opened, closed, noted] = [aType('Opened'), aType('Closed'), aType('Noted')];
      const head = await store().headPosition();
      const s1 = aStream();
      const s2 = aStream();
      const written = [
        anEvent({ type: opened }),
        anEvent({ type: noted }),
        anEvent({ type: closed }),
        anEvent({ type: opened }),
      ];
      await store().append(s1, written.slice(0, 3), 'no_stream');
      await store().append(s2, written.slice(3), 'no_stream');

      const openedOnly = await store().readAll({ fromPosition: head, filter: { eventTypes: [opened] } });
      const openedOrClosed = await store().readAll({ fromPosition: head, filter: { eventTypes: [opened, closed] } });

      expect(idsOf(openedOnly)).toEqual(idsOf([written[0], written[3]]));
      expect(idsOf(openedOrClosed)).toEqual(idsOf([written[0], written[2], written[3]]));
    });

    it('with categories and types, returns the events matching both', async () => {
      const [wanted, other] = [aCategory(), aCategory()];
      const [t1, t2] = [aType(), aType()];
      const match = anEvent({ type: t1 });
      await store().append(aStream(wanted), [match, anEvent({ type: t2 })], 'no_stream');
      await store().append(aStream(other), [anEvent({ type: t1 })], 'no_stream');

      const read = await store().readAll({ filter: { streamCategories: [wanted], eventTypes: [t1] } });

      expect(idsOf(read)).toEqual([match.id]);
    });

    it('stops at maxCount', async () => {
      const category = aCategory();
      await store().append(aStream(category), someEvents(5), 'no_stream');
      await expect(store().readAll({ maxCount: 3, filter: { streamCategories: [category] } })).resolves.toHaveLength(3);
    });
  });

  describe('headPosition', () => {
    it('is at least the position of the last append, and grows with the next one', async () => {
      const first = await store().append(aStream(), someEvents(2), 'no_stream');
      const afterFirst = await store().headPosition();
      expect(afterFirst !== undefined && afterFirst >= first.position).toBe(true);

      const second = await store().append(aStream(), [anEvent()], 'no_stream');
      const afterSecond = await store().headPosition();
      expect(afterSecond !== undefined && afterSecond >= second.position && afterSecond > afterFirst!).toBe(true);
    });

    it('reading after the head gives nothing we wrote', async () => {
      const category = aCategory();
      await store().append(aStream(category), someEvents(2), 'no_stream');
      const head = await store().headPosition();
      const after = store().readAll({ fromPosition: head, filter: { streamCategories: [category] } });
      await expect(after).resolves.toEqual([]);
    });
  });
}
