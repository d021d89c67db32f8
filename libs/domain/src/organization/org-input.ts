import { ValidationError } from '../errors';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Slugs appear in URLs: lowercase letters, digits and inner hyphens, at most 64 characters. */
export function parseSlug(value: string, field = 'slug'): string {
  const slug = value.trim();
  if (!SLUG.test(slug)) {
    throw new ValidationError(`Invalid slug "${value}"`, [
      { field, problem: 'must be 1-64 lowercase letters, digits or inner hyphens' },
    ]);
  }
  return slug;
}

/** Organization names are shown in lists and mails: 1 to 200 characters once trimmed. */
export function parseOrgName(value: string, field = 'name'): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 200) {
    throw new ValidationError(`Invalid organization name`, [
      { field, problem: 'must be 1 to 200 characters' },
    ]);
  }
  return name;
}

// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is the mail server's call.
const EMAIL = /^[^\s@]{1,64}@[^\s@][^\s@.]*\.[^\s@]+$/;

/** Emails identify users: compared in lower case, at most 320 characters. */
export function parseEmail(value: string, field = 'email'): string {
  const email = value.trim().toLowerCase();
  if (email.length > 320 || !EMAIL.test(email)) {
    throw new ValidationError(`Invalid email address "${value}"`, [
      { field, problem: 'must be an email address' },
    ]);
  }
  return email;
}
