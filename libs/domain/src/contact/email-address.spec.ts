import { isEmailAddress, normalizeEmail } from '../shared/email';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => expect(normalizeEmail('  Carla.C@Example.COM \n')).toBe('carla.c@example.com'));
});

describe('isEmailAddress', () => {
  it.each(['carla@example.com', 'c.c+help@mail.example.co.uk', 'x@a.b'])('accepts %s', (address) =>
    expect(isEmailAddress(address)).toBe(true));

  it.each([
    ['an empty string', ''],
    ['no @', 'carla.example.com'],
    ['two @', 'carla@home@example.com'],
    ['an empty local part', '@example.com'],
    ['an undotted domain', 'carla@localhost'],
    ['an empty domain label', 'carla@example..com'],
    ['a trailing dot', 'carla@example.com.'],
    ['a space', 'carla c@example.com'],
    ['more than 254 characters', `${'a'.repeat(243)}@example.com`],
  ])('refuses %s', (_why, address) => expect(isEmailAddress(address)).toBe(false));

  it('accepts exactly 254 characters', () => expect(isEmailAddress(`${'a'.repeat(242)}@example.com`)).toBe(true));
});
