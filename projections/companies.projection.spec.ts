import { companies } from './companies.projection';
import { at, companyCreated, companyUpdated, log, T, type Step } from './testing/events';
import { expectReplaySafe, projectOne } from './testing/project';

const companyOf = (steps: readonly Step[], id = 'acme') => projectOne(companies, log(steps), id);

describe('companies', () => {
  it('holds a new company', () =>
    expect(companyOf([at(0, companyCreated(), 'carol')])).toStrictEqual({
      id: 'acme',
      name: 'Acme Printing AB',
      domain: 'acme.test',
      createdAt: T(0),
      updatedAt: T(0),
      _position: 1,
    }));

  it('takes a new name and domain, and may lose its domain', () => {
    expect(companyOf([at(0, companyCreated(), 'carol'), at(10, companyUpdated(), 'carol')])).toMatchObject({
      name: 'Acme Print & Copy AB',
      domain: 'acmeprint.test',
      createdAt: T(0),
      updatedAt: T(10),
    });
    expect(companyOf([at(0, companyCreated(), 'carol'), at(10, companyUpdated({ domain: null }), 'carol')])).toMatchObject({ domain: null });
  });

  it('has no document for an update of a company it never saw created', () =>
    expect(expectReplaySafe(companies, log([at(10, companyUpdated(), 'carol')])).size).toBe(0));

  it('is listed by name and searched by name and domain', () => {
    expect(companies.indexes).toContainEqual({ name: 'by_name', fields: ['name'] });
    expect(companies.text).toEqual({ fields: ['name', 'domain'] });
  });
});
