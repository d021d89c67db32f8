import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The realistic manifests and lock files the parser specs read. */
export const MANIFEST_FIXTURES_DIR = path.resolve(__dirname, '../fixtures/manifests');

/**
 * Reads fixtures of one folder of test/fixtures/manifests by name. A missing fixture throws, so a
 * mistyped name fails the spec instead of parsing nothing.
 */
export function manifestFixtures(folder = ''): (name: string) => string {
  const dir = path.join(MANIFEST_FIXTURES_DIR, folder);
  return (name) => readFileSync(path.join(dir, name), 'utf8');
}

/** A `ParseOptions.readInclude` over one fixture folder: undefined where no such file exists. */
export function fixtureIncludes(folder: string): (includePath: string) => string | undefined {
  const dir = path.join(MANIFEST_FIXTURES_DIR, folder);
  return (includePath) => {
    const file = path.join(dir, includePath);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
}

/** A minimal npm lock file (v3) pinning exactly these packages. */
export function packageLockV3(dependencies: Record<string, string>): string {
  return JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app' },
      ...Object.fromEntries(
        Object.entries(dependencies).map(([n, v]) => [`node_modules/${n}`, { version: v }]),
      ),
    },
  });
}
