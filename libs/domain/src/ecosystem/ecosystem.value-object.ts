import { ValidationError } from '../errors';

/** Ecosystems as OSV names them (`affected[].package.ecosystem`). */
export const ECOSYSTEMS = ['PyPI', 'npm', 'Go', 'crates.io', 'RubyGems', 'Packagist', 'Maven'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

const BY_LOWERCASE = new Map<string, Ecosystem>(ECOSYSTEMS.map((e) => [e.toLowerCase(), e]));

export function isEcosystem(value: string): value is Ecosystem {
  return (ECOSYSTEMS as readonly string[]).includes(value);
}

/** Accepts any casing (`pypi`, `NPM`); OSV's own spelling comes out. */
export function parseEcosystem(value: string, field = 'ecosystem'): Ecosystem {
  const found = BY_LOWERCASE.get(value.trim().toLowerCase());
  if (!found) {
    throw new ValidationError(`Unknown ecosystem "${value}"`, [
      { field, problem: `must be one of ${ECOSYSTEMS.join(', ')}` },
    ]);
  }
  return found;
}

/** purl types (package-url spec) per ecosystem. */
export const PURL_TYPE: Record<Ecosystem, string> = {
  PyPI: 'pypi',
  npm: 'npm',
  Go: 'golang',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  Packagist: 'composer',
  Maven: 'maven',
};
