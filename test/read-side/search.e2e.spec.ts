import { randomBytes } from 'node:crypto';
import {
  createContact,
  createRequest,
  expectCommand,
  expectProblem,
  expectStatus,
  lastMessageId,
  registerUser,
  useE2e,
  type E2eSuite,
} from '../support/e2e-harness';
import type { HttpClient } from '../support/http-client';
import { headOf } from '../support/read-side';

/** A word nothing else contains: letters and digits only, so the tokenizer keeps it whole. */
const word = () => `qx${randomBytes(5).toString('hex')}`;

interface SearchHit {
  request: { id: string; title: string; [field: string]: unknown };
  score: number;
  snippet: string;
  matchedContact?: string;
}
interface SearchAnswer {
  items: SearchHit[];
  contacts: { contact: { id: string; name: string; emails: string[] }; snippet: string }[];
  nextCursor?: string;
}

const searcher = (e2e: E2eSuite) => async (client: HttpClient, q: string, extra = ''): Promise<SearchAnswer> => {
  const response = await client.get(`/api/search?q=${encodeURIComponent(q)}${extra}`, { 'x-min-position': String(await headOf(e2e.store)) });
  expectStatus(response, 200);
  return response.body;
};
const requestIds = (answer: SearchAnswer) => answer.items.map((i) => i.request.id);

describe('GET /api/search', () => {
  describe('what it finds', () => {
    const e2e = useE2e();
    const agent = e2e.user('agent');
    const search = searcher(e2e);

    it('titles, message bodies (their latest text), tags, in any case and without diacritics; the last word is a prefix', async () => {
      const [inTitle, inBody, inTag, inNote, accented] = [word(), word(), word(), word(), word()];
      const titled = await createRequest(agent.client, e2e.store, { title: `Printer ${inTitle.toUpperCase()} broken` });
      const bodied = await createRequest(agent.client, e2e.store, { message: { body: `It says ${inBody} on the display` } });
      const tagged = await createRequest(agent.client, e2e.store, { tags: [inTag] });
      const noted = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${noted.id}/notes`, { body: `internal ${inNote}` }));
      const cafe = await createRequest(agent.client, e2e.store, { title: `Café Ærø ${accented}` });

      expect(requestIds(await search(agent.client, inTitle))).toEqual([titled.id]);
      expect(requestIds(await search(agent.client, inBody))).toEqual([bodied.id]);
      expect(requestIds(await search(agent.client, inTag))).toEqual([tagged.id]);
      expect(requestIds(await search(agent.client, inNote))).toEqual([noted.id]);
      expect(requestIds(await search(agent.client, `cafe ${accented}`))).toEqual([cafe.id]);
      expect(requestIds(await search(agent.client, `CAFÉ ${accented}`))).toEqual([cafe.id]);
      // Search as you type: the last word may be cut short; words before it must be whole.
      expect(requestIds(await search(agent.client, inTitle.slice(0, 7)))).toEqual([titled.id]);
      expect(requestIds(await search(agent.client, `${accented} caf`))).toEqual([cafe.id]);
      expect(requestIds(await search(agent.client, `caf ${accented}`))).toEqual([]);
      // Every word must match.
      expect(requestIds(await search(agent.client, `${inTitle} ${inBody}`))).toEqual([]);
    });

    it('an edit replaces the text searched: the old words are no longer found, the new ones are', async () => {
      const [before, after] = [word(), word()];
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: `first ${before}` }));
      const noteId = await lastMessageId(e2e.store, request.id, 'InternalNoteAdded');
      expect(requestIds(await search(agent.client, before))).toEqual([request.id]);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/messages/${noteId}/versions`, { body: `second ${after}` }));
      expect(requestIds(await search(agent.client, before))).toEqual([]);
      expect(requestIds(await search(agent.client, after))).toEqual([request.id]);
      // Retitle and tags too.
      const [title, tag] = [word(), word()];
      expectCommand(await agent.client.patch(`/api/requests/${request.id}`, { title: `Now ${title}`, tags: [tag] }));
      expect(requestIds(await search(agent.client, title))).toEqual([request.id]);
      expect(requestIds(await search(agent.client, tag))).toEqual([request.id]);
    });

    it('contacts by name (diacritics folded, prefix) and by address, with their requests', async () => {
      const surname = word();
      const contact = await createContact(agent.client, { name: `Zoë Ångström ${surname}`, emails: [`${surname}@example.com`] });
      const first = await createRequest(agent.client, e2e.store, { contactIds: [contact] });
      const second = await createRequest(agent.client, e2e.store, { contactIds: [contact] });

      for (const q of [`zoe angstrom ${surname}`, `${surname} ÅNGSTR`, `${surname}@example.com`, `${surname}@exam`]) {
        const answer = await search(agent.client, q);
        expect(answer.contacts.map((c) => c.contact.id)).toEqual([contact]);
        expect(answer.contacts[0]!.contact).toEqual(expect.objectContaining({ name: `Zoë Ångström ${surname}`, emails: [`${surname}@example.com`] }));
        expect(answer.contacts[0]!.snippet).toMatch(/«[^»]+»/);
        // The contact's requests, most recently changed first.
        expect(answer.items.map((i) => [i.request.id, i.matchedContact])).toEqual([
          [second.id, contact],
          [first.id, contact],
        ]);
      }
      expect((await search(agent.client, `angstrom ${word()}`)).contacts).toEqual([]);
    });

    it('snippets mark the words found with « »', async () => {
      const found = word();
      await createRequest(agent.client, e2e.store, { title: `About ${found}`, message: { body: `The body mentions ${found} twice: ${found}.` } });
      const [hit] = (await search(agent.client, found)).items;
      expect(hit!.snippet).toContain(`«${found}»`);
      expect(hit!.snippet).not.toMatch(/«[^»]*«/);
    });

    it('hostile input is only text: never an error, and the words in it are still found', async () => {
      const hostile = word();
      const request = await createRequest(agent.client, e2e.store, { title: `Hostile ${hostile}` });
      for (const q of [`"${hostile}`, `${hostile}"`, `-${hostile}`, `(${hostile})`, `${hostile}*`, `^${hostile}`, `${hostile}:`, `"${hostile}" OR`.slice(0, -3)]) {
        expect([q, requestIds(await search(agent.client, q))]).toEqual([q, [request.id]]);
      }
      // Operators are words here: "title:x" is the phrase "title x", "x AND" needs a word starting with "and".
      for (const q of [`title:${hostile}`, `${hostile} AND`, `NEAR(${hostile}`, `${hostile} OR x`]) {
        expect([q, requestIds(await search(agent.client, q))]).toEqual([q, []]);
      }
      for (const q of ['"', '""', 'AND(', 'OR', 'NOT', '*', '(', ')', 'NEAR(a b', "'; DROP TABLE documents; --", '\\', '🙂', '%', '\u0001']) {
        const response = await agent.client.get(`/api/search?q=${encodeURIComponent(q)}`);
        expectStatus(response, 200);
        expect(Array.isArray(response.body.items)).toBe(true);
      }
      expect(requestIds(await search(agent.client, '"'))).toEqual([]);
    });

    it('a NUL character inside a word is answered (200, or 400 as invalid input), never a 500', async () => {
      for (const q of ['\u0000x', 'a\u0000', `${word()} b\u0000c`]) {
        const response = await agent.client.get(`/api/search?q=${encodeURIComponent(q)}`);
        expect([JSON.stringify(q), [200, 400].includes(response.status)]).toEqual([JSON.stringify(q), true]);
      }
    });

    it('q is required (1 to 200 characters)', async () => {
      expectProblem(await agent.client.get('/api/search'), 400);
      expectProblem(await agent.client.get('/api/search?q='), 400);
      expectProblem(await agent.client.get(`/api/search?q=${'a'.repeat(201)}`), 400);
    });

    it('deleted and merged requests are not found; a merged request\'s texts are found on its target', async () => {
      const [gone, moved] = [word(), word()];
      const deleted = await createRequest(agent.client, e2e.store, { title: `Deleted ${gone}` });
      expectCommand(await e2e.admin.delete(`/api/requests/${deleted.id}`));
      expect(requestIds(await search(agent.client, gone))).toEqual([]);
      expectCommand(await e2e.admin.post(`/api/requests/${deleted.id}/restore`, {}));
      expect(requestIds(await search(agent.client, gone))).toEqual([deleted.id]);

      const target = await createRequest(agent.client, e2e.store);
      const source = await createRequest(agent.client, e2e.store, { message: { body: `source text ${moved}` } });
      expectCommand(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [source.id] }));
      expect(requestIds(await search(agent.client, moved))).toEqual([target.id]);
      expectCommand(await agent.client.post(`/api/requests/${target.id}/unmerge`, { sourceId: source.id }));
      expect(requestIds(await search(agent.client, moved))).toEqual([source.id]);
    });

    it('pages by cursor: every hit once; a cursor of another query is 400', async () => {
      const shared = word();
      const created: string[] = [];
      for (let i = 0; i < 7; i++) created.push((await createRequest(agent.client, e2e.store, { title: `Paged ${shared} ${i}` })).id);
      const head = { 'x-min-position': String(await headOf(e2e.store)) };
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await agent.client.get(`/api/search?q=${shared}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, head);
        expectStatus(response, 200);
        expect(response.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...requestIds(response.body));
        cursor = response.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(seen).toHaveLength(7);
      expect([...seen].sort()).toEqual([...created].sort());

      const first = await agent.client.get(`/api/search?q=${shared}&limit=3`);
      expectProblem(await agent.client.get(`/api/search?q=${word()}&limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`), 400, 'invalid-cursor');
    });

    it('auditors and reporters search too; nobody without a token', async () => {
      const found = word();
      const request = await createRequest(agent.client, e2e.store, { title: found });
      for (const role of ['auditor', 'reporter'] as const) {
        const user = await registerUser(e2e, role);
        expect(requestIds(await search(user.client, found))).toEqual([request.id]);
      }
      expectProblem(await e2e.anonymous.get(`/api/search?q=${found}`), 401);
    });
  });

  describe('ranking', () => {
    const e2e = useE2e();
    const search = searcher(e2e);

    it('a hit in the title ranks above one in a tag, which ranks above one in a body; more hits rank higher', async () => {
      const contact = await createContact(e2e.admin);
      const create = (title: string, tag: string, body: string) =>
        createRequest(e2e.admin, e2e.store, { contactIds: [contact], title, tags: [tag], message: { body } });
      // A uniform corpus: two-word titles, one tag, three-word bodies (so lengths weigh alike).
      for (let i = 0; i < 12; i++) await create(`filler ${word()}`, 'misc', `alpha beta ${word()}`);
      const target = word();
      const inBody = await create('delta epsilon', 'misc', `${target} beta gamma`);
      const inTitle = await create(`${target} zeta`, 'misc', 'alpha beta gamma');
      const inTag = await create('eta theta', target, 'alpha beta gamma');
      const everywhere = await create(`${target} iota`, target, `${target} beta gamma`);

      const answer = await search(e2e.admin, target);
      expect(requestIds(answer)).toEqual([everywhere.id, inTitle.id, inTag.id, inBody.id]);
      const scores = answer.items.map((i) => i.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(new Set(scores).size).toBe(4);
      expect(answer.items.every((i) => i.snippet.includes(`«${target}»`))).toBe(true);
    });
  });
});
