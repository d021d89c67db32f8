import { ValidationError } from '../errors';
import type { Role } from '../identity/role.value-object';

/** A tenant: every other record belongs to exactly one organisation. */
export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly createdAt: Date;
}

export interface User {
  readonly id: string;
  readonly email: string;
  readonly createdAt: Date;
}

export interface Membership {
  readonly orgId: string;
  readonly userId: string;
  readonly role: Role;
  readonly createdAt: Date;
}

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
