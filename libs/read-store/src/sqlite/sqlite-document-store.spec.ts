import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { at, aTicket, countedTicketsIn, modelCountBy, put, Ticket, ticketCounters, ticketsIn } from '../contract/contract-fixtures';
import { describeDocumentStoreContract } from '../contract/document-store.contract';
import { FindOptions, UnindexedQueryError } from '../document-store.port';
import { keyColumnValue, sqlName } from './sql-names';
import { SqliteDocumentStore, SqliteDocumentStoreOptions } from './sqlite-document-store';

/** Real files under the OS temp folder, removed after the run. */
const folders: string[] = [];
const aDatabaseFile = (): string => {
  const folder = mkdtempSync(join(tmpdir(), 'read-store-'));
  folders.push(folder);
  return join(folder, 'read.db');
};
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describeDocumentStoreContract('SqliteDocumentStore', async () => {
  const store = new SqliteDocumentStore({ path: aDatabaseFile() });
  return { store, dispose: () => store.close() };
});

describeDocumentStoreContract('SqliteDocumentStore, writes without a background thread', async () => {
  const store = new SqliteDocumentStore({ path: aDatabaseFile(), backgroundWrites: false });
  return { store, dispose: () => store.close() };
});

describe('SqliteDocumentStore on a file', () => {
  const opened: SqliteDocumentStore[] = [];
  const raws: Database.Database[] = [];
  const open = (options: Partial<SqliteDocumentStoreOptions> & { path: string }): SqliteDocumentStore => {
    const store = new SqliteDocumentStore(options);
    opened.push(store);
    return store;
  };
  /** A plain connection to the file, to look at what the store wrote. */
  const raw = (path: string): Database.Database => {
    const db = new Database(path);
    raws.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of raws.splice(0)) db.close();
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  const tickets = 'tickets';
  async function ticketStore(documents: readonly Ticket[] = [], path = aDatabaseFile()): Promise<SqliteDocumentStore> {
    const store = open({ path });
    await store.ensureCollection(ticketsIn(tickets));
    if (documents.length > 0) await put(store, tickets, documents);
    return store;
  }

  it('keeps documents, checkpoints, indexes and text across close and reopen', async () => {
    const path = aDatabaseFile();
    const first = new SqliteDocumentStore({ path });
    await first.ensureCollection(ticketsIn(tickets));
    const docs = [
      aTicket({ status: 'open', tags: ['vip'], subject: 'Printer jammed' }),
      aTicket({ status: 'closed', tags: ['billing'], subject: 'Invoice' }),
    ];
    await first.transaction(async (writer) => {
      for (const d of docs) writer.upsert(tickets, d.id, d);
      writer.setCheckpoint('tickets', 42n);
    });
    await first.close();

    const reopened = open({ path });

    await expect(reopened.listCollections()).resolves.toEqual([tickets]);
    await expect(reopened.get(tickets, docs[0].id)).resolves.toEqual(docs[0]);
    await expect(reopened.checkpoint('tickets')).resolves.toBe(42n);
    await expect(reopened.find(tickets, { filter: { tags: 'billing' }, limit: 5 })).resolves.toEqual({ items: [docs[1]] });
    expect(reopened.explainFind(tickets, { filter: { tags: 'vip' }, limit: 5 }).join(' | ')).toMatch(/SEARCH k USING PRIMARY KEY/);
    await expect(reopened.search(tickets, 'print', { limit: 5 })).resolves.toMatchObject({ items: [{ document: docs[0] }] });
    await reopened.ensureCollection(ticketsIn(tickets));
    await expect(reopened.count(tickets)).resolves.toBe(2);
  });

  it('runs in WAL mode and refuses an in-memory database', () => {
    const path = aDatabaseFile();
    open({ path, synchronous: 'FULL' });
    expect(raw(path).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(() => new SqliteDocumentStore({ path: ':memory:' })).toThrow(/file/);
  });

  describe('query plans', () => {
    /**
     * Every step over a collection's documents goes through an index (a multikey side table, k, is itself an
     * index: a WITHOUT ROWID table keyed by the index's fields); no temporary sort unless the query needs one.
     */
    function expectIndexed(plan: string[], options: { sorts?: boolean } = {}): void {
      const text = plan.join(' | ');
      for (const step of plan) {
        if (/^SCAN (d|"?c:)/.test(step)) expect(step).toMatch(/USING (COVERING )?INDEX/);
      }
      if (!options.sorts) expect(text).not.toMatch(/TEMP B-TREE/);
      expect(text).toMatch(/SEARCH|USING (COVERING )?INDEX|VIRTUAL TABLE|SCAN k/);
    }

    async function manyTickets(): Promise<{ store: SqliteDocumentStore; cursorOf: (o: FindOptions) => Promise<string> }> {
      const docs = Array.from({ length: 60 }, (_, i) =>
        aTicket({
          status: ['open', 'closed', 'pending'][i % 3],
          ownerId: i % 4 === 0 ? null : `agent-${i % 5}`,
          updatedAt: new Date(Date.UTC(2024, 0, 1, 0, i % 20)).toISOString(),
          dueAt: i % 6 === 0 ? null : new Date(Date.UTC(2024, 1, 1, 0, i)).toISOString(),
          tags: i % 2 ? ['vip', `t${i % 7}`] : [`t${i % 7}`],
          subject: `Request ${i} about printers`,
        }),
      );
      const store = await ticketStore(docs);
      const cursorOf = async (options: FindOptions): Promise<string> => (await store.find(tickets, options)).nextCursor!;
      return { store, cursorOf };
    }

    it('walks one index range for each kind of query find serves, first page and later ones', async () => {
      const { store, cursorOf } = await manyTickets();
      const queries: FindOptions[] = [
        { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 5 },
        { filter: { ownerId: null, status: 'open' }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 5 },
        { filter: { ownerId: 'agent-1' }, sort: [{ field: 'status', direction: 'asc' }, { field: 'updatedAt', direction: 'asc' }], limit: 5 },
        { filter: { status: 'open', updatedAt: { gte: '2024-01-01T00:05:00.000Z', lt: '2024-01-01T00:15:00.000Z' } }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 5 },
        { filter: { dueAt: { lt: '2024-02-01T00:40:00.000Z' } }, sort: [{ field: 'dueAt', direction: 'asc' }], limit: 5 },
        { filter: { dueAt: { gte: '2024-02-01T00:10:00.000Z' } }, sort: [{ field: 'dueAt', direction: 'desc' }], limit: 5 },
        { sort: [{ field: 'number', direction: 'desc' }], limit: 5 },
        { filter: { tags: 'vip' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 5 },
        { filter: { status: 'open', subject: 'Request 3 about printers' }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 5 },
        { limit: 5 },
      ];
      for (const query of queries) {
        expectIndexed(store.explainFind(tickets, query));
        expectIndexed(store.explainFind(tickets, { ...query, cursor: await cursorOf(query) }));
      }
    });

    it('seeks to the cursor instead of walking from the start of the range', async () => {
      const { store, cursorOf } = await manyTickets();
      const query: FindOptions = { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 5 };
      // The seek is on the key columns (EXPLAIN prints <= as <).
      expect(store.explainFind(tickets, query).join(' | ')).toBe(`SEARCH d USING INDEX i:${tickets}:by_status (k:status=?)`);
      expect(store.explainFind(tickets, { ...query, cursor: await cursorOf(query) }).join(' | ')).toBe(
        `SEARCH d USING INDEX i:${tickets}:by_status (k:status=? AND k:updatedAt<?)`,
      );
      const range: FindOptions = { filter: { dueAt: { gte: '2024-02-01T00:10:00.000Z', lt: '2024-02-01T00:50:00.000Z' } }, sort: [{ field: 'dueAt', direction: 'asc' }], limit: 5 };
      expect(store.explainFind(tickets, { ...range, cursor: await cursorOf(range) }).join(' | ')).toBe(
        `SEARCH d USING INDEX i:${tickets}:by_due (k:dueAt>? AND k:dueAt<?)`,
      );
      const tagged: FindOptions = { filter: { tags: 'vip' }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 5 };
      expect(store.explainFind(tickets, { ...tagged, cursor: await cursorOf(tagged) })[0]).toBe(
        'SEARCH k USING PRIMARY KEY (k0=? AND k1>?)',
      );
    });

    it('sorts in memory only the range of an index: for `in` (several ranges), or for id order over a range', async () => {
      const { store } = await manyTickets();
      const plan = store.explainFind(tickets, {
        filter: { status: { in: ['open', 'pending'] } },
        sort: [{ field: 'updatedAt', direction: 'desc' }],
        limit: 5,
      });
      expectIndexed(plan, { sorts: true });
      expect(plan.join(' | ')).toContain(`SEARCH d USING INDEX i:${tickets}:by_status (k:status=?)`);
      expectIndexed(store.explainFind(tickets, { filter: { tags: { in: ['vip', 't1'] } }, limit: 5 }), { sorts: true });
      const range = { status: 'open', updatedAt: { gte: '2024-01-01T00:05:00.000Z', lt: '2024-01-01T00:15:00.000Z' } };
      expectIndexed(store.explainFind(tickets, { filter: range, limit: 5 }), { sorts: true });
    });

    it('prefers, at equal prefixes, the index that walks fewer ranges', async () => {
      const { store } = await manyTickets();
      const plan = store.explainFind(tickets, {
        filter: { tags: { in: ['t1', 't2'] }, status: { in: ['open', 'closed', 'pending'] } },
        sort: [{ field: 'updatedAt', direction: 'desc' }],
        limit: 5,
      });
      expect(plan[0]).toBe('SEARCH k USING PRIMARY KEY (k0=?)');
    });

    it('counts, groups and searches over index ranges', async () => {
      const { store } = await manyTickets();
      expectIndexed(store.explainCount(tickets, { status: 'open', ownerId: 'agent-1' }));
      expectIndexed(store.explainCount(tickets, { tags: 'vip' }));
      expectIndexed(store.explainCountBy(tickets, 'status'));
      // Keys come from the index itself: counting never reads a document.
      expect(store.explainCount(tickets, { status: 'open', ownerId: 'agent-1' }).join()).toContain('COVERING INDEX');
      expectIndexed(store.explainCountBy(tickets, 'status', { ownerId: 'agent-2' }));
      expect(store.explainCountBy(tickets, 'tags')).toEqual(['SCAN k']);
      // The FTS index is walked newest first and cut at the cap: no sort, and documents read by rowid.
      expectIndexed(store.explainSearch(tickets, 'printers', { filter: { status: 'open' }, limit: 5 }));
    });
  });

  describe('multikey indexes', () => {
    /** What the side table must hold: a row per distinct element (or one null row), with the other keys. */
    function expectedKeys(documents: readonly Ticket[]): unknown[] {
      return documents
        .flatMap((d) => {
          const tags = d.tags && d.tags.length > 0 ? [...new Set(d.tags)] : [null];
          return tags.map((tag) => ({ k0: tag ?? -Infinity, k1: d.updatedAt, id: d.id }));
        })
        .sort((a, b) => (a.id + String(a.k0) < b.id + String(b.k0) ? -1 : 1));
    }
    const sideTable = (path: string): unknown[] =>
      raw(path)
        .prepare(`SELECT k0, k1, id FROM ${sqlName.keys(tickets, 'by_tag')}`)
        .all()
        .sort((a: any, b: any) => (a.id + String(a.k0) < b.id + String(b.k0) ? -1 : 1));

    it('keeps the side table equal to the arrays through inserts, changes, replays and deletes', async () => {
      const path = aDatabaseFile();
      let docs = [
        aTicket({ tags: ['a', 'b'] }),
        aTicket({ tags: ['b', 'b', 'c'] }),
        aTicket({ tags: [] }),
        aTicket(),
        aTicket({ tags: ['a'] }),
      ];
      const store = await ticketStore(docs, path);
      expect(sideTable(path)).toEqual(expectedKeys(docs));

      docs = [
        { ...docs[0], tags: ['c'] },
        { ...docs[1], tags: ['b', 'c'], updatedAt: '2024-05-05T00:00:00.000Z' },
        { ...docs[2], tags: ['z'] },
        { ...docs[3], tags: [] },
        docs[4],
      ];
      await put(store, tickets, docs);
      await put(store, tickets, docs);
      expect(sideTable(path)).toEqual(expectedKeys(docs));

      await store.transaction(async (writer) => {
        writer.delete(tickets, docs[0].id);
        writer.delete(tickets, docs[3].id);
      });
      expect(sideTable(path)).toEqual(expectedKeys([docs[1], docs[2], docs[4]]));
    });

    it('turns an index multikey when the first array arrives, filling it from the documents already there', async () => {
      const path = aDatabaseFile();
      const scalar = aTicket({ tags: 'vip' as unknown as string[] });
      const store = await ticketStore([scalar, aTicket()], path);
      expect(store.explainFind(tickets, { filter: { tags: 'vip' }, limit: 5 }).join()).toContain(`i:${tickets}:by_tag`);

      const array = aTicket({ tags: ['vip', 'legal'] });
      await put(store, tickets, [array]);

      expect(store.explainFind(tickets, { filter: { tags: 'vip' }, limit: 5 }).join()).toContain('SEARCH k USING PRIMARY KEY');
      const found = await store.find<Ticket>(tickets, { filter: { tags: 'vip' }, limit: 5 });
      expect(found.items.map((t) => t.id)).toEqual([scalar.id, array.id]);
      expect(raw(path).prepare(`SELECT name FROM sqlite_schema WHERE name = ?`).get(`i:${tickets}:by_tag`)).toBeUndefined();
    });

    it('forgets a conversion its transaction rolled back', async () => {
      const path = aDatabaseFile();
      const store = await ticketStore([aTicket({ tags: 'vip' as unknown as string[] })], path);
      await expect(
        store.transaction(async (writer) => {
          writer.upsert(tickets, 'array', aTicket({ id: 'array', tags: ['vip'] }));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');

      expect(store.explainFind(tickets, { filter: { tags: 'vip' }, limit: 5 }).join()).toContain(`i:${tickets}:by_tag`);
      await expect(store.count(tickets, { tags: 'vip' })).resolves.toBe(1);
      await put(store, tickets, [aTicket({ id: 'array', tags: ['vip'] })]);
      await expect(store.count(tickets, { tags: 'vip' })).resolves.toBe(2);
    });

    it('refuses two array fields in one index (parallel arrays)', async () => {
      const store = await ticketStore([aTicket({ tags: ['a'] })]);
      const parallel = { ...aTicket(), tags: ['a'], updatedAt: ['x', 'y'] };
      await expect(put(store, tickets, [parallel])).rejects.toThrow(/parallel|both hold arrays/);
      await expect(store.count(tickets)).resolves.toBe(1);
    });
  });

  describe('full-text index', () => {
    it('stays consistent with its external content through updates and deletes', async () => {
      const path = aDatabaseFile();
      const docs = Array.from({ length: 40 }, (_, i) => aTicket({ subject: `Subject ${i}`, body: i % 2 ? `Body ${i}` : ['line', `${i}`] }));
      const store = await ticketStore(docs, path);
      await put(store, tickets, docs.slice(0, 20).map((d) => ({ ...d, subject: `Changed ${d.subject}` })));
      await store.transaction(async (writer) => {
        for (const d of docs.slice(10, 30)) writer.delete(tickets, d.id);
      });
      const fts = sqlName.text(tickets);
      expect(() => raw(path).prepare(`INSERT INTO ${fts} (${fts}, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
      await expect(store.search(tickets, 'changed', { limit: 100 })).resolves.toMatchObject({ items: { length: 10 } });
    });

    it('ranks the newest matches only, up to its cap, and pages through exactly those', async () => {
      const store = open({ path: aDatabaseFile(), searchCandidates: 3 });
      await store.ensureCollection({ name: 'notes', indexes: [], text: { fields: ['title', 'text'] } });
      // Created oldest first; the oldest have the best matches (the word in the title, twice).
      const notes = Array.from({ length: 5 }, (_, i) => ({ id: `n${i}`, title: i < 2 ? 'printer printer' : 'other', text: 'printer' }));
      for (const note of notes) await put(store, 'notes', [note]);
      // An update keeps a document's place: n4 stays the newest even after n0 is rewritten.
      await put(store, 'notes', [{ ...notes[0]!, text: 'printer again' }]);

      const first = await store.search<{ id: string }>('notes', 'printer', { limit: 2 });
      expect(first.items.map((h) => h.document.id)).toEqual(['n2', 'n3']);
      const second = await store.search<{ id: string }>('notes', 'printer', { limit: 2, cursor: first.nextCursor });
      expect(second.items.map((h) => h.document.id)).toEqual(['n4']);
      expect(second.nextCursor).toBeUndefined();

      const uncapped = open({ path: aDatabaseFile(), searchCandidates: 100 });
      await uncapped.ensureCollection({ name: 'notes', indexes: [], text: { fields: ['title', 'text'] } });
      await put(uncapped, 'notes', notes);
      const all = await uncapped.search<{ id: string }>('notes', 'printer', { limit: 10 });
      expect(all.items.map((h) => h.document.id)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
      expect(all.items[0]!.score).toBeGreaterThan(all.items[2]!.score);
    });

    it('takes the last term as a whole word when that alone fills the candidates, else as a prefix', async () => {
      const notes = [
        { id: 'n0', title: 'print queue' },
        { id: 'n1', title: 'print again' },
        { id: 'n2', title: 'printer jam' },
      ];
      const capped = open({ path: aDatabaseFile(), searchCandidates: 2 });
      await capped.ensureCollection({ name: 'notes', indexes: [], text: { fields: ['title'] } });
      for (const note of notes) await put(capped, 'notes', [note]);
      const ids = async (store: SqliteDocumentStore, query: string) =>
        (await store.search<{ id: string }>('notes', query, { limit: 10 })).items.map((h) => h.document.id).sort();
      expect(await ids(capped, 'print')).toEqual(['n0', 'n1']);
      expect(await ids(capped, 'prin')).toEqual(['n1', 'n2']);

      const roomy = open({ path: aDatabaseFile(), searchCandidates: 3 });
      await roomy.ensureCollection({ name: 'notes', indexes: [], text: { fields: ['title'] } });
      for (const note of notes) await put(roomy, 'notes', [note]);
      expect(await ids(roomy, 'print')).toEqual(['n0', 'n1', 'n2']);
    });

    it('caps after the filter: the newest matches that pass it', async () => {
      const store = open({ path: aDatabaseFile(), searchCandidates: 2 });
      const docs = Array.from({ length: 6 }, (_, i) => aTicket({ subject: `Printer ${i}`, status: i % 2 === 0 ? 'open' : 'closed' }));
      await store.ensureCollection(ticketsIn(tickets));
      for (const doc of docs) await put(store, tickets, [doc]);
      const hits = await store.search<Ticket>(tickets, 'printer', { limit: 10, filter: { status: 'open' } });
      expect(hits.items.map((h) => h.document.subject).sort()).toEqual(['Printer 2', 'Printer 4']);
    });

    it('indexes the documents already there when text fields are added or changed', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      await store.ensureCollection({ name: 'notes', indexes: [] });
      await put(store, 'notes', [{ id: 'n1', title: 'Quarterly report', text: 'numbers' } as { id: string }]);
      await store.ensureCollection({ name: 'notes', indexes: [], text: { fields: ['title'] } });
      await expect(store.search('notes', 'quarter', { limit: 5 })).resolves.toMatchObject({ items: [{ document: { id: 'n1' } }] });
      await store.ensureCollection({ name: 'notes', indexes: [], text: { fields: ['text'] } });
      await expect(store.search('notes', 'quarter', { limit: 5 })).resolves.toEqual({ items: [] });
      await expect(store.search('notes', 'numbers', { limit: 5 })).resolves.toMatchObject({ items: [{ snippet: '«numbers»' }] });
    });
  });

  describe('collections on disk', () => {
    it('recreates an index whose fields changed and drops one no longer declared', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      await store.ensureCollection({ name: 'x', indexes: [{ name: 'a', fields: ['p'] }, { name: 'b', fields: ['q'] }] });
      await store.ensureCollection({ name: 'x', indexes: [{ name: 'a', fields: ['p', 'r'] }] });
      const indexes = raw(path)
        .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'c:x' AND sql IS NOT NULL`)
        .all() as { name: string; sql: string }[];
      expect(indexes.map((i) => i.name)).toEqual(['i:x:a']);
      // p has a key column (declared when the table was made); r, declared later, is keyed by its expression.
      expect(indexes[0].sql).toContain(`("k:p", coalesce(json_extract(doc, '$.r'), -9e999), id)`);
    });

    it('upgrades a file made with triggers per multikey index (schema 1) to one set per collection', async () => {
      const path = aDatabaseFile();
      const first = new SqliteDocumentStore({ path });
      await first.ensureCollection(ticketsIn(tickets));
      const tagged = aTicket({ tags: ['a', 'b'] });
      await put(first, tickets, [tagged]);
      await first.close();
      // What schema 1 made: the side table's own triggers, whose OR IGNORE gave way to the upsert's ABORT.
      const keys = sqlName.keys(tickets, 'by_tag');
      const rows = `SELECT DISTINCT j.value, coalesce(json_extract(new.doc, '$.updatedAt'), -9e999), new.id FROM json_each(new.doc, '$.tags') AS j`;
      const old = raw(path);
      old.exec(`
        DROP TRIGGER "t:${tickets}:insert"; DROP TRIGGER "t:${tickets}:update"; DROP TRIGGER "t:${tickets}:delete";
        CREATE TRIGGER "m:${tickets}:by_tag:insert" AFTER INSERT ON "c:${tickets}" BEGIN INSERT OR IGNORE INTO ${keys} (k0, k1, id) ${rows}; END;
        CREATE TRIGGER "m:${tickets}:by_tag:update" AFTER UPDATE OF doc ON "c:${tickets}" BEGIN
          DELETE FROM ${keys} WHERE id = old.id; INSERT OR IGNORE INTO ${keys} (k0, k1, id) ${rows.replace('DISTINCT ', '')}; END;
        CREATE TRIGGER "m:${tickets}:by_tag:delete" AFTER DELETE ON "c:${tickets}" BEGIN DELETE FROM ${keys} WHERE id = old.id; END;
        PRAGMA user_version = 1;
      `);
      old.close();

      const store = open({ path });
      const triggers = raw(path).prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name`).pluck().all();
      expect(triggers).toEqual(['delete', 'insert', 'update'].map((e) => `t:${tickets}:${e}`));
      expect(raw(path).pragma('user_version', { simple: true })).toBe(3);
      await put(store, tickets, [{ ...tagged, tags: ['c', 'c', 'a'] }]);
      await expect(store.countBy(tickets, 'tags')).resolves.toEqual({ a: 1, c: 1 });
    });

    it('keys documents from their objects exactly as SQLite keys their JSON', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      const fields = ['a', 'b'];
      await store.ensureCollection({ name: 'k', indexes: [{ name: 'by_a', fields: ['a'] }], counters: [{ name: 'by_b', fields: ['b'] }] });
      const values: unknown[] = [
        'text', '', 'é ✓ 😀', 'lone \ud800 surrogate', '["looks like an array"]', 0, -0, 7, -3.25, 0.1, 1 / 3, 2 ** 53, 1e21, 2 ** 60, -(2 ** 70), 1e300, 5e-324, Number.NaN, Infinity,
        true, false, null, undefined, [], ['x', 'y', 'x'], [1, [2], { c: 'd' }, null], { nested: { deep: [1.5] } }, new Date(0),
      ];
      const documents = values.flatMap((value, i) => [
        { id: `a${i}`, a: value, b: 'fixed' },
        { id: `b${i}`, a: 'fixed', b: value },
      ]);
      await store.transaction(async (writer) => {
        for (const document of documents) writer.upsert('k', document.id, document);
      });
      await store.write!({ documents: new Map([['k', new Map(documents.map((d) => [`${d.id}-w`, d]))]]) });
      const rows = raw(path)
        .prepare(
          `SELECT id, ${fields.map((f) => `"k:${f}" IS ${keyColumnValue('doc', f)} AS same_${f}, typeof("k:${f}") AS type_${f}, typeof(${keyColumnValue('doc', f)}) AS sql_${f}`).join(', ')} FROM "c:k"`,
        )
        .all() as Record<string, unknown>[];
      expect(rows).toHaveLength(documents.length * 2);
      for (const row of rows) {
        for (const f of fields) {
          expect({ id: row.id, field: f, same: row[`same_${f}`] }).toEqual({ id: row.id, field: f, same: 1 });
          const [stored, sql] = [row[`type_${f}`], row[`sql_${f}`]];
          if (stored !== sql) expect([stored, sql]).toEqual(['real', 'integer']);
        }
      }
    });

    it('keys a row inserted by SQL from outside the store as if its fields were missing, counters included', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      await store.ensureCollection(countedTicketsIn(tickets));
      await put(store, tickets, [aTicket({ status: 'open', tags: ['vip'] })]);
      raw(path).prepare(`INSERT INTO "c:${tickets}" (id, doc) VALUES (?, ?)`).run('forged', JSON.stringify(aTicket({ id: 'forged', status: 'open' })));
      await expect(store.get(tickets, 'forged')).resolves.toMatchObject({ status: 'open' });
      await expect(store.countBy(tickets, 'status')).resolves.toEqual({ open: 1, null: 1 });
      await expect(store.count(tickets, { status: null })).resolves.toBe(1);
      expect(raw(path).pragma('integrity_check', { simple: true })).toBe('ok');
    });

    it('indexes the texts it makes from document objects exactly as the text index reads them from the JSON', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      await store.ensureCollection({ name: 'texts', indexes: [], text: { fields: ['title', 'lines'] } });
      await store.ensureCollection({ name: 'loaded', indexes: [], text: { fields: ['title', 'lines'] } }, { bulkLoad: true });
      const values: unknown[] = [
        'printer jam', '', 'é ✓ 😀 naïve', ['first line', 'second line'], [], [1, null, 'only text', true, { a: 'x' }, ['nested']],
        ['a', undefined, 'b'], 42, null, undefined, { title: 'object' }, new Date(0), ['dated', new Date(0)],
      ];
      const documents = values.map((value, i) => ({ id: `d${i}`, title: `title ${i}`, lines: value }));
      await store.transaction(async (writer) => {
        for (const document of documents) writer.upsert('texts', document.id, document);
      });
      for (const collection of ['texts', 'loaded']) {
        await store.write!({ documents: new Map([[collection, new Map(documents.map((d) => [`${d.id}-w`, { ...d, id: `${d.id}-w`, title: `again ${d.title}` }]))]]) });
        // Rewritten: the entries made from objects are removed with the texts read back from the stored JSON.
        await store.write!({ documents: new Map([[collection, new Map(documents.map((d) => [`${d.id}-w`, { ...d, id: `${d.id}-w`, title: `changed ${d.title}` }]))]]) });
      }
      await store.completeBulkLoad('loaded');
      for (const collection of ['texts', 'loaded']) {
        const fts = sqlName.text(collection);
        // rank 1: the index is also checked against what its content view reads from the documents.
        expect(() => raw(path).prepare(`INSERT INTO ${fts} (${fts}, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
      }
      const found = async (collection: string, query: string) =>
        (await store.search<{ id: string }>(collection, query, { limit: 5 })).items.map((h) => h.document.id).sort();
      await expect(found('texts', 'second')).resolves.toEqual(['d3', 'd3-w']);
      await expect(found('texts', 'changed')).resolves.toHaveLength(values.length > 5 ? 5 : values.length);
      await expect(found('loaded', 'dated')).resolves.toEqual(['d12-w']);
      await expect(found('loaded', 'again')).resolves.toEqual([]);
    });

    it('keeps serving a collection made before key columns (schema 2), its keys read from the documents', async () => {
      const path = aDatabaseFile();
      await new SqliteDocumentStore({ path }).close();
      const old = raw(path);
      old.exec(`
        CREATE TABLE "c:old" (id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL) STRICT;
        INSERT INTO read_store_collections (name, definition) VALUES ('old', '{"name":"old","indexes":[]}');
        PRAGMA user_version = 2;
      `);
      const docs = Array.from({ length: 40 }, (_, i) =>
        aTicket({ status: ['open', 'closed'][i % 2], ownerId: i % 3 ? `agent-${i % 3}` : null, priority: i % 4, tags: i % 5 ? [`t${i % 2}`] : [], updatedAt: at(i) }),
      );
      const store = open({ path });
      await put(store, 'old', docs.slice(0, 20));
      await store.ensureCollection(countedTicketsIn('old'));
      await store.ensureCollection(countedTicketsIn('new'));
      await put(store, 'old', docs.slice(20));
      await put(store, 'new', docs);
      await put(store, 'old', [{ ...docs[0], status: 'closed' }]);
      await put(store, 'new', [{ ...docs[0], status: 'closed' }]);

      const sql = raw(path).prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).pluck();
      expect(sql.get('c:old')).not.toContain('"k:');
      expect(sql.get('i:old:by_status')).toContain(`coalesce(json_extract(doc, '$.status'), -9e999)`);
      expect(sql.get('i:new:by_status')).toContain('"k:status"');
      const answers = async (collection: string) => [
        await store.find(collection, { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 50 }),
        await store.find(collection, { filter: { ownerId: null, status: { in: ['open', 'closed'] } }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 50 }),
        await store.find(collection, { filter: { tags: 't1', priority: 1 }, limit: 50 }),
        await store.count(collection, { status: 'open', updatedAt: { gte: at(10) } }),
        await store.count(collection, { ownerId: 'agent-1', status: 'closed' }),
        await store.countBy(collection, 'tags', { status: 'open' }),
        await store.countBy(collection, 'priority'),
        await store.countBy(collection, 'ownerId', { status: 'open', updatedAt: { lt: at(30) } }),
      ];
      expect(await answers('old')).toEqual(await answers('new'));
      expect(await answers('new')).toContainEqual(modelCountBy([{ ...docs[0], status: 'closed' }, ...docs.slice(1)], 'priority'));
    });

    it('sees collections another instance created or dropped on the same file', async () => {
      const path = aDatabaseFile();
      const [a, b] = [open({ path }), open({ path })];
      await expect(b.listCollections()).resolves.toEqual([]);
      await a.ensureCollection(ticketsIn(tickets));
      await put(a, tickets, [aTicket({ tags: ['x'] })]);
      await expect(b.count(tickets, { tags: 'x' })).resolves.toBe(1);
      await b.transaction(async (writer) => writer.upsert(tickets, 'from-b', aTicket({ id: 'from-b' })));
      await expect(a.get(tickets, 'from-b')).resolves.toMatchObject({ id: 'from-b' });
      await a.dropCollection(tickets);
      await expect(b.listCollections()).resolves.toEqual([]);
    });

    it('refuses names and fields that are not plain identifiers', async () => {
      const store = open({ path: aDatabaseFile() });
      await expect(store.ensureCollection({ name: 'bad-name', indexes: [] })).rejects.toBeInstanceOf(TypeError);
      await expect(store.ensureCollection({ name: 'x"; DROP TABLE y; --', indexes: [] })).rejects.toBeInstanceOf(TypeError);
      await expect(store.ensureCollection({ name: 'x', indexes: [{ name: 'i', fields: ['a.b'] }] })).rejects.toBeInstanceOf(TypeError);
      await store.ensureCollection({ name: '_registry', indexes: [{ name: 'by_a', fields: ['a'] }] });
      await expect(store.find('_registry', { filter: { "a') OR 1=1 --": 1 }, limit: 5 })).rejects.toBeInstanceOf(TypeError);
      await expect(store.find('_registry', { filter: { a: { gtee: 1 } as never }, limit: 5 })).rejects.toBeInstanceOf(TypeError);
      await expect(store.find('unknown', { limit: 5 })).rejects.toThrow(/Unknown collection/);
    });
  });

  describe('transactions on disk', () => {
    it('stays atomic when the writes spill into the open transaction before the end', async () => {
      const path = aDatabaseFile();
      const store = open({ path, maxPendingWrites: 3 });
      await store.ensureCollection(ticketsIn(tickets));
      const docs = Array.from({ length: 10 }, () => aTicket());
      await expect(
        store.transaction(async (writer) => {
          for (const d of docs) writer.upsert(tickets, d.id, d);
          await expect(writer.get(tickets, docs[0].id)).resolves.toEqual(docs[0]);
          writer.setCheckpoint('p', 1n);
          throw new Error('late failure');
        }),
      ).rejects.toThrow('late failure');
      await expect(store.count(tickets)).resolves.toBe(0);
      await expect(store.checkpoint('p')).resolves.toBeUndefined();
      await put(store, tickets, docs);
      await expect(store.count(tickets)).resolves.toBe(10);
    });

    it('leaves neither documents nor checkpoint when the process dies before COMMIT', async () => {
      const path = aDatabaseFile();
      const setup = new SqliteDocumentStore({ path });
      await setup.ensureCollection(ticketsIn(tickets));
      const before = aTicket({ subject: 'committed before' });
      await setup.transaction(async (writer) => {
        writer.upsert(tickets, before.id, before);
        writer.setCheckpoint('crash', 7n);
      });
      await setup.close();

      const child = spawnTs(join(__dirname, 'testing', 'hang-in-transaction.ts'), [path, tickets, 'crash', '3000']);
      await child.said('written');
      // The uncommitted pages are in the file: SQLite spilled them into the WAL.
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(500_000);
      child.process.kill('SIGKILL');
      await child.exited;

      const store = open({ path });
      await expect(store.count(tickets)).resolves.toBe(1);
      await expect(store.get(tickets, before.id)).resolves.toEqual(before);
      await expect(store.get(tickets, 'crash-1')).resolves.toBeUndefined();
      await expect(store.count(tickets, { tags: 'crash' })).resolves.toBe(0);
      await expect(store.search(tickets, 'crash', { limit: 5 })).resolves.toEqual({ items: [] });
      await expect(store.checkpoint('crash')).resolves.toBe(7n);
      expect(raw(path).pragma('integrity_check', { simple: true })).toBe('ok');
      await put(store, tickets, [aTicket({ tags: ['crash'] })]);
      await expect(store.count(tickets, { tags: 'crash' })).resolves.toBe(1);
    }, 60_000);
  });

  describe('counters', () => {
    const counted = 'counted';
    async function countedStore(documents: readonly object[] = [], path = aDatabaseFile()): Promise<SqliteDocumentStore> {
      const store = open({ path });
      await store.ensureCollection(countedTicketsIn(counted));
      if (documents.length > 0) await put(store, counted, documents as Ticket[]);
      return store;
    }
    const someTickets = (): Ticket[] =>
      Array.from({ length: 40 }, (_, i) =>
        aTicket({
          status: ['open', 'closed', 'pending'][i % 3],
          ownerId: i % 4 === 0 ? null : `agent-${i % 5}`,
          priority: i % 3,
          tags: i % 2 ? ['vip', `t${i % 7}`] : [`t${i % 7}`],
        }),
      );

    /**
     * What the counter table must hold: per combination of keys (null and missing -> NULL_KEY, an array's
     * distinct elements, an empty one as NULL_KEY) the number of documents (combinations gone stay at 0).
     */
    function expectedRows(documents: readonly object[], fields: readonly string[]): string[] {
      const key = (v: unknown): unknown => (v === null || v === undefined ? 'NULL_KEY' : v);
      const counts = new Map<string, number>();
      for (const d of documents as Record<string, unknown>[]) {
        let combinations: unknown[][] = [[]];
        for (const f of fields) {
          const value = d[f];
          const elements = Array.isArray(value) ? (value.length === 0 ? [null] : [...new Set(value)]) : [value];
          combinations = combinations.flatMap((c) => elements.map((e) => [...c, key(e)]));
        }
        for (const c of combinations) counts.set(JSON.stringify(c), (counts.get(JSON.stringify(c)) ?? 0) + 1);
      }
      return [...counts].map(([k, n]) => `${k}=${n}`).sort();
    }
    const counterRows = (path: string, counter: string, fields: number, collection = counted): string[] =>
      (raw(path).prepare(`SELECT * FROM ${sqlName.counter(collection, counter)} WHERE n <> 0`).all() as Record<string, unknown>[])
        .map((row) => {
          const keys = Array.from({ length: fields }, (_, i) => (row[`k${i}`] === -Infinity ? 'NULL_KEY' : row[`k${i}`]));
          return `${JSON.stringify(keys)}=${row.n}`;
        })
        .sort();
    function expectCounterTables(path: string, documents: readonly object[]): void {
      for (const counter of ticketCounters) {
        expect({ counter: counter.name, rows: counterRows(path, counter.name, counter.fields.length) }).toEqual({
          counter: counter.name,
          rows: expectedRows(documents, counter.fields),
        });
      }
    }

    it('answers counted queries from the counter table alone: no step touches the documents or their indexes', async () => {
      const store = await countedStore(someTickets());
      // c is the counter table; a grouping may sort its (few) rows.
      const onCounter = /^(SEARCH|SCAN) c( USING PRIMARY KEY \(.*\))?$|^USE TEMP B-TREE FOR GROUP BY$/;
      const plans: [string, string[]][] = [
        ['count()', store.explainCount(counted)],
        ['count status', store.explainCount(counted, { status: 'open' })],
        ['count unassigned open', store.explainCount(counted, { ownerId: null, status: 'open' })],
        ['count mine unresolved', store.explainCount(counted, { ownerId: 'agent-1', status: { in: ['open', 'pending'] } })],
        ['count tag', store.explainCount(counted, { tags: 'vip' })],
        ['count priority', store.explainCount(counted, { priority: 2 })],
        ['countBy status', store.explainCountBy(counted, 'status')],
        ['countBy owner of open', store.explainCountBy(counted, 'ownerId', { status: 'open' })],
        ['countBy tags', store.explainCountBy(counted, 'tags')],
      ];
      for (const [label, plan] of plans) {
        for (const step of plan) expect({ label, step }).toEqual({ label, step: expect.stringMatching(onCounter) });
      }
      expect(plans[2][1]).toEqual(['SEARCH c USING PRIMARY KEY (k0=? AND k1=?)']);
      expect(plans[4][1]).toEqual(['SEARCH c USING PRIMARY KEY (k0=?)']);

      // Not countable: a range, or `in` on an array field (a document would count once per matching element).
      expect(store.explainCount(counted, { status: 'open', updatedAt: { gte: '2024' } }).join()).toContain(`INDEX i:${counted}:by_status`);
      expect(store.explainCount(counted, { tags: { in: ['vip', 't1'] } }).join()).toMatch(/SEARCH k USING PRIMARY KEY/);
    });

    it('keeps every counter table equal to a GROUP BY of the documents', async () => {
      const path = aDatabaseFile();
      let documents = someTickets();
      const store = await countedStore(documents, path);
      expectCounterTables(path, documents);

      documents = documents.map((d, i) =>
        i % 3 === 0 ? { ...d, status: 'closed', ownerId: null, tags: [] } : i % 3 === 1 ? { ...d, tags: ['x', 'x', 'y'], priority: undefined } : d,
      );
      await put(store, counted, documents);
      expectCounterTables(path, documents);

      const removed = new Set(documents.filter((_, i) => i % 2 === 0).map((d) => d.id));
      await store.transaction(async (writer) => {
        for (const id of removed) writer.delete(counted, id);
      });
      documents = documents.filter((d) => !removed.has(d.id));
      expectCounterTables(path, documents);
      const triggers = raw(path)
        .prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ? ORDER BY name`)
        .pluck()
        .all(`c:${counted}`);
      expect(triggers).toEqual(['delete', 'insert', 'update'].map((e) => `t:${counted}:${e}`));
    });

    it('counts a multikey counter from a side table holding its fields in another order', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      const definition = {
        name: counted,
        indexes: [{ name: 'by_updated_tag_status', fields: ['updatedAt', 'tags', 'status'] }],
        counters: [{ name: 'status_tags', fields: ['status', 'tags'] }],
      };
      await store.ensureCollection(definition, { bulkLoad: true });
      const documents = someTickets().map((t, i) => ({ ...t, updatedAt: `2024-01-0${(i % 9) + 1}` }));
      await put(store, counted, documents);
      await store.completeBulkLoad(counted);
      expect({ rows: counterRows(path, 'status_tags', 2) }).toEqual({ rows: expectedRows(documents, ['status', 'tags']) });
    });

    it('keeps counters across close and reopen', async () => {
      const path = aDatabaseFile();
      const documents = someTickets();
      const first = new SqliteDocumentStore({ path });
      await first.ensureCollection(countedTicketsIn(counted));
      await put(first, counted, documents);
      await first.close();

      const store = open({ path });
      await store.ensureCollection(countedTicketsIn(counted));
      await expect(store.countBy(counted, 'status', { ownerId: null })).resolves.toEqual(modelCountBy(documents, 'status', { ownerId: null }));
      await put(store, counted, [aTicket({ ownerId: null, status: 'open' })]);
      expectCounterTables(path, [...documents, ...(await store.scan(counted, { limit: 1000, after: documents[documents.length - 1].id })).map((r) => r.document as object)]);
    });

    it('turns a counter multikey when the first array arrives, and forgets a conversion that rolled back', async () => {
      const path = aDatabaseFile();
      const scalars = [aTicket({ tags: 'vip' as unknown as string[] }), aTicket()];
      const store = await countedStore(scalars, path);
      const multikey = (): string | null =>
        raw(path)
          .prepare(`SELECT json_extract(definition, '$.counters[2].multikey') FROM read_store_collections WHERE name = ?`)
          .pluck()
          .get(counted) as string | null;
      expect(multikey()).toBeNull();
      await expect(
        store.transaction(async (writer) => {
          writer.upsert(counted, 'array', aTicket({ id: 'array', tags: ['vip', 'vip', 'legal'] }));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(multikey()).toBeNull();
      await expect(store.countBy(counted, 'tags')).resolves.toEqual({ vip: 1, null: 1 });

      const arrays = [aTicket({ tags: ['vip', 'vip', 'legal'] }), aTicket({ tags: [] })];
      await put(store, counted, arrays);
      expect(multikey()).toBe('tags');
      expectCounterTables(path, [...scalars, ...arrays]);
      await expect(store.countBy(counted, 'tags')).resolves.toEqual({ vip: 2, legal: 1, null: 2 });
    });

    it('leaves counters exact when the process dies before COMMIT', async () => {
      const path = aDatabaseFile();
      const setup = new SqliteDocumentStore({ path });
      await setup.ensureCollection(countedTicketsIn(tickets));
      const before = someTickets();
      await put(setup, tickets, before);
      await setup.close();

      const child = spawnTs(join(__dirname, 'testing', 'hang-in-transaction.ts'), [path, tickets, 'crash', '3000', 'mutate']);
      await child.said('written');
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(500_000);
      child.process.kill('SIGKILL');
      await child.exited;

      const store = open({ path });
      for (const counter of ticketCounters) {
        expect({ counter: counter.name, rows: counterRows(path, counter.name, counter.fields.length, tickets) }).toEqual({
          counter: counter.name,
          rows: expectedRows(before, counter.fields),
        });
      }
      await expect(store.count(tickets, { status: 'crashed' })).resolves.toBe(0);
      await expect(store.countBy(tickets, 'status')).resolves.toEqual(modelCountBy(before, 'status'));
      expect(raw(path).pragma('integrity_check', { simple: true })).toBe('ok');
      await put(store, tickets, [aTicket({ status: 'crashed', tags: ['crash'] })]);
      await expect(store.count(tickets, { status: 'crashed' })).resolves.toBe(1);
      await expect(store.count(tickets, { tags: 'crash' })).resolves.toBe(1);
    }, 60_000);
  });

  describe('bulk load', () => {
    const bulk = 'bulk';
    /** The objects SQLite holds for a collection, by kind, without SQLite's own (autoindexes). */
    const schemaOf = (path: string, collection: string): string[] =>
      (raw(path)
        .prepare(`SELECT type, name FROM sqlite_schema WHERE name LIKE ? AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .all(`%:${collection}%`) as { type: string; name: string }[])
        .filter((o) => !/^x:.*_(data|idx|content|docsize|config)$/.test(o.name))
        .map((o) => `${o.type} ${o.name}`)
        .sort();
    const history = (): Ticket[] =>
      Array.from({ length: 50 }, (_, i) =>
        aTicket({ status: ['open', 'closed'][i % 2], ownerId: i % 3 ? `agent-${i % 3}` : null, tags: i < 5 ? [] : ['vip', `t${i % 4}`], subject: `Printer ${i}` }),
      );

    it('has nothing but the documents table and the text index (kept as it goes) while loading, and everything once completed', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      await store.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      const documents = history();
      await put(store, bulk, documents);
      expect(schemaOf(path, bulk)).toEqual([`table c:${bulk}`, `view b:${bulk}`, `view v:${bulk}`, `table x:${bulk}`].sort());

      await store.completeBulkLoad(bulk);

      expect(schemaOf(path, bulk)).toEqual(
        [
          `table c:${bulk}`,
          `index i:${bulk}:by_due`,
          `index i:${bulk}:by_number`,
          `index i:${bulk}:by_owner`,
          `index i:${bulk}:by_status`,
          `table m:${bulk}:by_tag`,
          `index m:${bulk}:by_tag:id`,
          ...ticketCounters.map((c) => `table n:${bulk}:${c.name}`),
          ...['delete', 'insert', 'update'].map((e) => `trigger t:${bulk}:${e}`),
          `view v:${bulk}`,
          `table x:${bulk}`,
        ].sort(),
      );
      const fts = sqlName.text(bulk);
      expect(() => raw(path).prepare(`INSERT INTO ${fts} (${fts}, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
      expect(raw(path).pragma('integrity_check', { simple: true })).toBe('ok');
      await expect(store.countBy(bulk, 'tags')).resolves.toEqual(modelCountBy(documents, 'tags'));
      await expect(store.search(bulk, 'printer 7', { limit: 5 })).resolves.toMatchObject({ items: [{ document: { subject: 'Printer 7' } }] });
      expect(store.explainFind(bulk, { filter: { tags: 'vip' }, limit: 5 }).join()).toContain('SEARCH k USING PRIMARY KEY');
    });

    it('drops the text index it kept when a bulk load is redefined with other text fields, and makes the right one at completion', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      await store.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      const documents = history().map((t, i) => ({ ...t, body: `body ${i}` }));
      await put(store, bulk, documents.slice(0, 25));
      await store.ensureCollection({ ...countedTicketsIn(bulk), text: { fields: ['body'] } }, { bulkLoad: true });
      expect(schemaOf(path, bulk)).toEqual([`table c:${bulk}`, `view b:${bulk}`]);
      await put(store, bulk, documents.slice(25));
      await store.completeBulkLoad(bulk);
      const fts = sqlName.text(bulk);
      expect(() => raw(path).prepare(`INSERT INTO ${fts} (${fts}, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
      await expect(store.search(bulk, 'printer', { limit: 5 })).resolves.toEqual({ items: [] });
      await expect(store.search(bulk, 'body 7', { limit: 5 })).resolves.toMatchObject({ items: [{ document: { id: documents[7].id } }] });
      await expect(store.search(bulk, 'body 30', { limit: 5 })).resolves.toMatchObject({ items: [{ document: { id: documents[30].id } }] });
    });

    it('leaves nothing behind when a collection is dropped while bulk loading, its text index included', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      await store.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      await put(store, bulk, history());
      await store.dropCollection(bulk);
      expect(raw(path).prepare(`SELECT name FROM sqlite_schema WHERE name LIKE ?`).pluck().all(`%:${bulk}%`)).toEqual([]);
      await store.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      await put(store, bulk, history().slice(0, 3));
      await store.completeBulkLoad(bulk);
      expect((await store.search(bulk, 'printer', { limit: 10 })).items).toHaveLength(3);
    });

    it('is still bulk loading after close and reopen, and completes then', async () => {
      const path = aDatabaseFile();
      const first = new SqliteDocumentStore({ path });
      await first.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      const documents = history();
      await put(first, bulk, documents.slice(0, 25));
      await first.close();

      const store = open({ path });
      await expect(store.count(bulk)).rejects.toThrow(/bulk/);
      await expect(store.get(bulk, documents[0].id)).resolves.toEqual(documents[0]);
      await store.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      await put(store, bulk, documents.slice(25));
      await store.completeBulkLoad(bulk);
      await expect(store.countBy(bulk, 'status', { ownerId: null })).resolves.toEqual(modelCountBy(documents, 'status', { ownerId: null }));
      await expect(store.count(bulk, { tags: 'vip' })).resolves.toBe(45);
    });

    it('lets another instance on the same file see the completion, even of a collection with nothing to build', async () => {
      const path = aDatabaseFile();
      const [a, b] = [open({ path }), open({ path })];
      await a.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      await a.ensureCollection({ name: 'bare', indexes: [] }, { bulkLoad: true });
      await put(a, bulk, history());
      await put(a, 'bare', [aTicket()]);
      await expect(b.count(bulk)).rejects.toThrow(/bulk/);
      await expect(b.count('bare')).rejects.toThrow(/bulk/);

      await a.completeBulkLoad(bulk);
      await a.completeBulkLoad('bare');

      await expect(b.count(bulk, { status: 'open' })).resolves.toBe(25);
      await expect(b.count('bare')).resolves.toBe(1);
    });

    it('refuses parallel arrays at the write that brings them, not at completion', async () => {
      const store = open({ path: aDatabaseFile() });
      await store.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      await put(store, bulk, [aTicket({ tags: ['a'] })]);
      await expect(put(store, bulk, [{ ...aTicket(), tags: ['a'], updatedAt: ['x'] } as unknown as Ticket])).rejects.toThrow(/both hold arrays/);
      await store.completeBulkLoad(bulk);
      await expect(store.count(bulk, { tags: 'a' })).resolves.toBe(1);
    });

    it('looks for arrays in fields a changed definition adds while loading', async () => {
      const path = aDatabaseFile();
      const store = open({ path });
      await store.ensureCollection({ name: bulk, indexes: [{ name: 'by_status', fields: ['status'] }] }, { bulkLoad: true });
      const documents = history();
      await put(store, bulk, documents);
      await store.ensureCollection(countedTicketsIn(bulk), { bulkLoad: true });
      await store.completeBulkLoad(bulk);
      expect(schemaOf(path, bulk)).toContain(`table m:${bulk}:by_tag`);
      await expect(store.countBy(bulk, 'tags')).resolves.toEqual(modelCountBy(documents, 'tags'));
      await expect(store.count(bulk, { tags: null })).resolves.toBe(5);
    });
  });

  describe('lifecycle and input', () => {
    it('lets queued transactions finish on close, then refuses work', async () => {
      const path = aDatabaseFile();
      const store = new SqliteDocumentStore({ path });
      await store.ensureCollection(ticketsIn(tickets));
      const queued = [aTicket(), aTicket()].map((t) =>
        store.transaction(async (writer) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          writer.upsert(tickets, t.id, t);
        }),
      );
      await store.close();
      await expect(Promise.all(queued)).resolves.toBeDefined();
      await expect(store.count(tickets)).rejects.toThrow(/closed/);
      await expect(store.transaction(async () => undefined)).rejects.toThrow(/closed/);
      await expect(open({ path }).count(tickets)).resolves.toBe(2);
    });

    it('refuses checkpoints that are not bigints from 0 to 2^63-1, and documents that are not objects', async () => {
      const store = await ticketStore();
      for (const position of [-1n, 2n ** 63n, 5 as unknown as bigint]) {
        await expect(store.transaction(async (writer) => writer.setCheckpoint('p', position))).rejects.toBeInstanceOf(TypeError);
      }
      for (const document of [null, [1], 'text', { big: 1n }]) {
        await expect(
          store.transaction(async (writer) => writer.upsert(tickets, 'x', document as object)),
        ).rejects.toBeInstanceOf(TypeError);
      }
      await expect(store.checkpoint('p')).resolves.toBeUndefined();
    });

    it('writes buffered documents into the transaction once they pass the byte limit', async () => {
      const path = aDatabaseFile();
      const store = open({ path, maxPendingBytes: 10_000 });
      await store.ensureCollection(ticketsIn(tickets));
      const big = Array.from({ length: 20 }, () => aTicket({ body: 'x'.repeat(2000) }));
      const spy = raw(path);
      await store.transaction(async (writer) => {
        for (const d of big) writer.upsert(tickets, d.id, d);
        // Flushed into the open transaction: still invisible to any other connection.
        expect(spy.prepare(`SELECT count(*) FROM ${sqlName.documents(tickets)}`).pluck().get()).toBe(0);
        await expect(writer.get(tickets, big[0].id)).resolves.toEqual(big[0]);
      });
      await expect(store.count(tickets)).resolves.toBe(20);
    });
  });

  it('rejects unindexed queries with the collection and the query in the message', async () => {
    const store = await ticketStore();
    await expect(store.find(tickets, { filter: { priority: 1 }, limit: 5 })).rejects.toThrow(
      new UnindexedQueryError(tickets, 'filter on priority'),
    );
  });

  it('creates the folder of the file', async () => {
    const path = join(aDatabaseFile(), '..', 'nested', 'deeper', 'read.db');
    open({ path });
    expect(existsSync(path)).toBe(true);
  });
});

/** Runs a TypeScript file in a child node process (transpiled on the fly, as ts-jest does for specs). */
function spawnTs(file: string, args: readonly string[]) {
  const hook = `
    const ts = require(${JSON.stringify(require.resolve('typescript'))});
    const fs = require('fs');
    require.extensions['.ts'] = (m, name) => m._compile(ts.transpileModule(fs.readFileSync(name, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: name,
    }).outputText, name);
    require(${JSON.stringify(file)});`;
  const child = spawn(process.execPath, ['-e', hook, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const said = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.split('\n').includes(line)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before saying ${line}: ${stderr}`)));
    });
  return { process: child, exited, said };
}
