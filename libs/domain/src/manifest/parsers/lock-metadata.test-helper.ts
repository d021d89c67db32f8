import type { DependencyHash, DependencyRef, ParsedDependency } from '../manifest.types';

/** A dependency without the lock-file metadata, for specs that assert only what a parser always read. */
export function withoutLockMetadata<T extends ParsedDependency>(
  dependency: T,
): Omit<T, 'hashes' | 'licenses' | 'dependsOn'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the three are what is left out
  const { hashes, licenses, dependsOn, ...rest } = dependency;
  return rest;
}

/** A parse result whose dependencies carry no lock-file metadata. */
export function resultWithoutLockMetadata<R extends { dependencies: ParsedDependency[] }>(result: R): R {
  return { ...result, dependencies: result.dependencies.map(withoutLockMetadata) };
}

/** The hash an SRI string's base64 digest stands for. */
export function sri(algorithm: DependencyHash['algorithm'], base64: string): DependencyHash {
  return { algorithm, content: Buffer.from(base64, 'base64').toString('hex') };
}

export const ref = (name: string, version: string): DependencyRef => ({ name, version });

/** name@version → what the parser says that package depends on, for compact expectations. */
export function graphOf(dependencies: readonly ParsedDependency[]): Record<string, string[] | undefined> {
  return Object.fromEntries(
    dependencies.map((d) => [`${d.name}@${d.version}`, d.dependsOn?.map((r) => `${r.name}@${r.version}`)]),
  );
}
