import {
  companyStream,
  contactStream,
  createContact,
  events,
  eventsAfter,
  expectCommand,
  expectFieldError,
  expectProblem,
  expectStatus,
  revisionOf,
  unique,
  uniqueEmail,
  useE2e,
} from '../support/e2e-harness';

/** Contacts (with their unique addresses) and companies. */
describe('contacts and companies over HTTP', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const auditor = e2e.user('auditor');
  const reporter = e2e.user('reporter');

  const createCompany = async (name = unique('ACME')): Promise<string> => {
    const response = await agent.client.post('/api/companies', { name });
    expectStatus(response, 201);
    return response.body.id;
  };

  describe('/api/contacts', () => {
    it('create, then read by id and by address (any case)', async () => {
      const email = uniqueEmail('ann');
      const companyId = await createCompany();
      const response = await agent.client.post('/api/contacts', { name: ' Ann Example ', emails: [email.toUpperCase()], phone: '+31 20 123', companyId });
      const answer = expectCommand(response, { status: 201, revision: 0 });
      const [created] = await events(e2e.store, contactStream(answer.id));
      expect(created).toEqual(
        expect.objectContaining({ type: 'ContactCreated', data: { contactId: answer.id, name: 'Ann Example', emails: [email], phone: '+31 20 123', companyId } }),
      );
      expect(created!.metadata['actorId']).toBe(agent.id);

      const expected = { kind: 'existing', id: answer.id, name: 'Ann Example', emails: [email], phone: '+31 20 123', companyId };
      for (const client of [agent.client, auditor.client, e2e.admin]) {
        const byId = await client.get(`/api/contacts/${answer.id}`);
        expectStatus(byId, 200);
        expect(byId.body).toEqual(expected);
      }
      const byEmail = await agent.client.get(`/api/contacts?email=${encodeURIComponent(email.toUpperCase())}`);
      expectStatus(byEmail, 200);
      expect(byEmail.body).toEqual(expected);
    });

    it('look-ups: unknown id or address (404), no or a bad ?email= (400), reporters (403)', async () => {
      expectProblem(await agent.client.get('/api/contacts/no-such-contact'), 404, 'not-found');
      expectProblem(await agent.client.get(`/api/contacts?email=${uniqueEmail('nobody')}`), 404, 'not-found');
      expectProblem(await agent.client.get('/api/contacts'), 400, 'email-required');
      expectFieldError(await agent.client.get('/api/contacts?email=not-an-address'), 'email');
      expectFieldError(await agent.client.get(`/api/contacts?email=${uniqueEmail()}&name=x`), 'name');
      expectProblem(await reporter.client.get(`/api/contacts?email=${uniqueEmail()}`), 403, 'forbidden');
    });

    it('update name and phone, set and clear the company; one PATCH is one atomic write', async () => {
      const id = await createContact(agent.client, { name: 'Bob', phone: '111' });
      const companyId = await createCompany();
      expectCommand(await agent.client.patch(`/api/contacts/${id}`, { name: 'Bob B.', phone: '222', companyId }), { id, revision: 2 });
      const recorded = await eventsAfter(e2e.store, contactStream(id), 0);
      expect(recorded.map((e) => e.type)).toEqual(['ContactUpdated', 'ContactCompanyChanged']);
      expect(recorded[0]!.metadata['correlationId']).toBe(recorded[1]!.metadata['correlationId']);
      expect((await agent.client.get(`/api/contacts/${id}`)).body).toEqual(expect.objectContaining({ name: 'Bob B.', phone: '222', companyId }));

      expectCommand(await agent.client.patch(`/api/contacts/${id}`, { companyId: null }), { id, revision: 3 });
      expect((await agent.client.get(`/api/contacts/${id}`)).body.companyId).toBeNull();
    });

    it('refuses an unknown company (422), an empty PATCH (400), unknown contacts (404), nothing written', async () => {
      const id = await createContact(agent.client);
      expectProblem(await agent.client.patch(`/api/contacts/${id}`, { name: 'Would change', companyId: 'no-such-company' }), 422, 'unknown-company');
      expectProblem(await agent.client.patch(`/api/contacts/${id}`, {}), 400, 'empty-update');
      expectFieldError(await agent.client.patch(`/api/contacts/${id}`, { emails: [uniqueEmail()] }), 'emails');
      expectProblem(await agent.client.patch('/api/contacts/no-such-contact', { name: 'x' }), 404, 'unknown-contact');
      expect(await revisionOf(e2e.store, contactStream(id))).toBe(0);
      expectProblem(await agent.client.post('/api/contacts', { name: 'Carl', companyId: 'no-such-company' }), 422, 'unknown-company');
    });

    it('addresses: add, find, remove; an address belongs to one contact only (409)', async () => {
      const first = uniqueEmail('first');
      const id = await createContact(agent.client, { emails: [first] });
      const added = uniqueEmail('added');
      expectCommand(await agent.client.post(`/api/contacts/${id}/emails`, { email: added }), { status: 201, id, revision: 1 });
      expect((await agent.client.get(`/api/contacts?email=${added}`)).body.id).toBe(id);
      expect((await agent.client.get(`/api/contacts/${id}`)).body.emails).toEqual([first, added]);

      const other = await createContact(agent.client);
      expectProblem(await agent.client.post(`/api/contacts/${other}/emails`, { email: added.toUpperCase() }), 409, 'email-in-use');
      expectProblem(await agent.client.post('/api/contacts', { name: 'Copycat', emails: [first] }), 409, 'email-in-use');
      expect(await revisionOf(e2e.store, contactStream(other))).toBe(0);

      expectCommand(await agent.client.delete(`/api/contacts/${id}/emails/${encodeURIComponent(added)}`), { id, revision: 2 });
      expectProblem(await agent.client.get(`/api/contacts?email=${added}`), 404, 'not-found');
      expectProblem(await agent.client.delete(`/api/contacts/${id}/emails/${encodeURIComponent(added)}`), 404, 'email-not-on-contact');
      // Released, the address may go to someone else.
      expectCommand(await agent.client.post(`/api/contacts/${other}/emails`, { email: added }), { status: 201, id: other, revision: 1 });
      expect((await agent.client.get(`/api/contacts?email=${added}`)).body.id).toBe(other);
      expectFieldError(await agent.client.post(`/api/contacts/${id}/emails`, { email: 'nope' }), 'email');
      expectProblem(await agent.client.post('/api/contacts/no-such-contact/emails', { email: uniqueEmail() }), 404, 'unknown-contact');
    });
  });

  it('of two contacts claiming the same address at once, exactly one gets it', async () => {
    const email = uniqueEmail('race');
    const contacts = await Promise.all([1, 2, 3, 4].map(() => createContact(agent.client, { emails: [] })));
    const answers = await Promise.all(contacts.map((id) => agent.client.post(`/api/contacts/${id}/emails`, { email })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const loser of answers.filter((a) => a.status !== 201)) expectProblem(loser, 409, 'email-in-use');
    const winner = contacts[answers.findIndex((a) => a.status === 201)];
    expect((await agent.client.get(`/api/contacts?email=${email}`)).body.id).toBe(winner);
    for (const id of contacts) {
      expect(((await agent.client.get(`/api/contacts/${id}`)).body.emails as string[]).includes(email)).toBe(id === winner);
    }
  });

  describe('/api/companies', () => {
    it('create, read, update', async () => {
      const response = await agent.client.post('/api/companies', { name: 'Example Ltd', domain: '@Example.COM' });
      const answer = expectCommand(response, { status: 201, revision: 0 });
      const [created] = await events(e2e.store, companyStream(answer.id));
      expect(created).toEqual(expect.objectContaining({ type: 'CompanyCreated', data: { companyId: answer.id, name: 'Example Ltd', domain: 'example.com' } }));
      expect(created!.metadata['actorId']).toBe(agent.id);
      for (const client of [agent.client, auditor.client, e2e.admin]) {
        const read = await client.get(`/api/companies/${answer.id}`);
        expectStatus(read, 200);
        expect(read.body).toEqual({ kind: 'existing', id: answer.id, name: 'Example Ltd', domain: 'example.com' });
      }
      expectCommand(await agent.client.patch(`/api/companies/${answer.id}`, { name: 'Example Group' }), { id: answer.id, revision: 1 });
      expect((await agent.client.get(`/api/companies/${answer.id}`)).body).toEqual({ kind: 'existing', id: answer.id, name: 'Example Group', domain: 'example.com' });
      expectCommand(await agent.client.patch(`/api/companies/${answer.id}`, { name: 'Example Group' }), { id: answer.id, revision: 1 });
    });

    it('refuses a bad domain (422), an empty PATCH (400), unknown companies (404), reporters (403)', async () => {
      const id = await createCompany();
      expectProblem(await agent.client.post('/api/companies', { name: 'Bad', domain: 'not a domain' }), 422, 'invalid-domain');
      expectProblem(await agent.client.patch(`/api/companies/${id}`, { domain: '-bad-.com' }), 422, 'invalid-domain');
      expectProblem(await agent.client.patch(`/api/companies/${id}`, {}), 400, 'empty-update');
      expectFieldError(await agent.client.post('/api/companies', { domain: 'example.org' }), 'name');
      expectProblem(await agent.client.get('/api/companies/no-such-company'), 404, 'not-found');
      expectProblem(await agent.client.patch('/api/companies/no-such-company', { name: 'x' }), 404, 'unknown-company');
      expectProblem(await reporter.client.get(`/api/companies/${id}`), 403, 'forbidden');
      expect(await revisionOf(e2e.store, companyStream(id))).toBe(0);
    });
  });
});
