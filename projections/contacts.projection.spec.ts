import { contacts } from './contacts.projection';
import { at, contactCompanyChanged, contactCreated, contactEmailAdded, contactEmailRemoved, contactUpdated, log, T, type Step } from './testing/events';
import { expectReplaySafe, projectOne } from './testing/project';

const contactOf = (steps: readonly Step[], id = 'petra') => projectOne(contacts, log(steps), id);

const petra = [at(0, contactCreated())];

describe('contacts', () => {
  it('holds a new contact', () =>
    expect(contactOf(petra)).toStrictEqual({
      id: 'petra',
      name: 'Petra Lind',
      emails: ['petra@acme.test'],
      phone: '+46 8 123 45 67',
      companyId: 'acme',
      createdAt: T(0),
      updatedAt: T(0),
      _position: 1,
    }));

  it('takes a new name and phone', () =>
    expect(contactOf([...petra, at(10, contactUpdated())])).toMatchObject({ name: 'Petra Lind-Berg', phone: '+46 8 765 43 21', createdAt: T(0), updatedAt: T(10) }));

  it('adds addresses once each, normalised, and removes them', () => {
    expect(contactOf([...petra, at(10, contactEmailAdded('petra.lind@home.test')), at(11, contactEmailAdded(' Petra.Lind@Home.test '))])).toMatchObject({
      emails: ['petra@acme.test', 'petra.lind@home.test'],
      updatedAt: T(11),
    });
    expect(contactOf([...petra, at(10, contactEmailAdded('petra.lind@home.test')), at(20, contactEmailRemoved('petra@acme.test'))])).toMatchObject({
      emails: ['petra.lind@home.test'],
      updatedAt: T(20),
    });
  });

  it('moves to another company, and to none', () => {
    expect(contactOf([...petra, at(10, contactCompanyChanged('globex', 'acme'))])).toMatchObject({ companyId: 'globex' });
    expect(contactOf([...petra, at(10, contactCompanyChanged('globex', 'acme')), at(20, contactCompanyChanged(null, 'globex'))])).toMatchObject({
      companyId: null,
      updatedAt: T(20),
    });
  });

  it('has no document for changes to a contact it never saw created', () =>
    expect(expectReplaySafe(contacts, log([at(10, contactUpdated()), at(11, contactEmailAdded('x@y.test'))])).size).toBe(0));

  it('declares lookups by address and by company, and text search on name and addresses', () => {
    expect(contacts.indexes).toEqual(
      expect.arrayContaining([
        { name: 'by_email', fields: ['emails'] },
        { name: 'by_company_name', fields: ['companyId', 'name'] },
      ]),
    );
    expect(contacts.text).toEqual({ fields: ['name', 'emails'] });
  });

  it('keeps contacts apart', () => {
    const documents = expectReplaySafe(
      contacts,
      log([...petra, at(1, contactCreated({ contactId: 'olle', name: 'Olle Ek', emails: ['olle@acme.test'], phone: null })), at(2, contactUpdated())]),
    );
    expect([...documents.keys()].sort()).toEqual(['olle', 'petra']);
    expect(documents.get('olle')).toMatchObject({ name: 'Olle Ek', phone: null, updatedAt: T(1) });
  });
});
