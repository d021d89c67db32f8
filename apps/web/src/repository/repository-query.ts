import { ECOSYSTEMS, FINDING_SORTS, FINDING_STATUSES, type FindingQuery } from './repository.api';

const SEVERITY_FILTERS = ['critical', 'high', 'medium', 'low', 'unknown'];

const oneOf = (value: string | null, allowed: readonly string[], fallback: string): string =>
  value !== null && allowed.includes(value) ? value : fallback;

/** A page number from the query string: a whole number from 1, else 1. */
export function pageOf(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** The findings table's state from the address; anything unknown falls back to the API's defaults. */
export function findingQueryOf(search: URLSearchParams): FindingQuery {
  return {
    status: oneOf(search.get('status'), FINDING_STATUSES, 'open'),
    severity: oneOf(search.get('severity'), SEVERITY_FILTERS, ''),
    ecosystem: oneOf(search.get('ecosystem'), ECOSYSTEMS, ''),
    package: (search.get('package') ?? '').trim().slice(0, 300),
    sort: oneOf(
      search.get('sort'),
      FINDING_SORTS.map(([value]) => value),
      'severity',
    ),
    page: pageOf(search.get('page')),
  };
}

/** The address's query string with `changes` applied; an empty value removes the key. */
export function withParams(search: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === '') next.delete(key);
    else next.set(key, value);
  }
  const text = next.toString();
  return text ? `?${text}` : '?';
}

export { SEVERITY_FILTERS };
