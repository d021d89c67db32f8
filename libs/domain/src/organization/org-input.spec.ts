import { ValidationError } from '../errors';
import { parseEmail, parseOrgName } from './org-input';

describe('parseEmail', () => {
  it('lower-cases and trims an address', () => {
    expect(parseEmail('  Alice@Example.COM ')).toBe('alice@example.com');
  });

  it.each(['not-an-email', 'a@b', 'a b@example.com', '@example.com', `${'x'.repeat(65)}@example.com`])(
    'refuses %j naming the field',
    (value) => {
      expect(() => parseEmail(value, 'owner_email')).toThrow(
        expect.objectContaining({ details: [{ field: 'owner_email', problem: 'must be an email address' }] }),
      );
    },
  );
});

describe('parseOrgName', () => {
  it('trims, and refuses blank or over-long names', () => {
    expect(parseOrgName(' Acme ')).toBe('Acme');
    expect(() => parseOrgName('   ')).toThrow(ValidationError);
    expect(() => parseOrgName('n'.repeat(201))).toThrow(ValidationError);
    expect(parseOrgName('n'.repeat(200))).toHaveLength(200);
  });
});
