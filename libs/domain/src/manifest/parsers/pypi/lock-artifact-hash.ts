import { hexHash } from '../../dependency-metadata';
import type { DependencyHash, DependencyRef } from '../../manifest.types';
import { isObject } from '../../../shared/is-object';

const ALGORITHMS: Readonly<Record<string, DependencyHash['algorithm']>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/**
 * The hash of a locked Python package when it has exactly one artifact (`{ hash = "sha256:…" }`):
 * with a wheel per platform and an sdist, no single digest is the package's, so none is given.
 */
export function singleArtifactHash(artifacts: readonly unknown[]): DependencyHash[] {
  if (artifacts.length !== 1) return [];
  const artifact = artifacts[0];
  const hash = isObject(artifact) ? artifact['hash'] : undefined;
  if (typeof hash !== 'string') return [];
  const colon = hash.indexOf(':');
  const algorithm = ALGORITHMS[hash.slice(0, colon).toLowerCase()];
  return colon > 0 && algorithm ? hexHash(algorithm, hash.slice(colon + 1)) : [];
}

/** Locked packages by normalised name, for edges that name a package without its version. */
export class LockedVersions {
  private readonly byName = new Map<string, string[]>();

  add(name: string, version: string): void {
    const versions = this.byName.get(name);
    if (!versions) this.byName.set(name, [version]);
    else if (!versions.includes(version)) versions.push(version);
  }

  /**
   * The locked versions an edge to `name` reaches: the one it names when locked, else every locked
   * version of that name (a lock that forks by environment locks one per fork).
   */
  resolve(name: string, version?: string): DependencyRef[] {
    const versions = this.byName.get(name) ?? [];
    if (version !== undefined) return versions.includes(version) ? [{ name, version }] : [];
    return versions.map((v) => ({ name, version: v }));
  }
}
