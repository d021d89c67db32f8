// Shared by the version-scheme specs: ordering tables checked the same way for every scheme.
import type { VersionScheme } from '../version-scheme';

/** Deterministic Fisher-Yates (mulberry32), so a failure reproduces. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function misordered(scheme: VersionScheme, ordered: readonly string[]): string[] {
  const wrong: string[] = [];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const [low, high] = [ordered[i], ordered[j]];
      if (!(scheme.compare(low, high) < 0 && scheme.compare(high, low) > 0)) wrong.push(`${low} < ${high}`);
    }
  }
  return wrong;
}

/** Sorting shuffled and reversed copies with `compare` must give the table back, every pair strictly. */
export function expectOrderingTable(scheme: VersionScheme, ordered: readonly string[]): void {
  for (const seed of [1, 7, 42, 1337, 65537]) {
    const copy = shuffled(ordered, seed);
    expect(copy).not.toEqual(ordered);
    expect(copy.sort(scheme.compare)).toEqual(ordered);
  }
  expect([...ordered].reverse().sort(scheme.compare)).toEqual(ordered);
  expect(misordered(scheme, ordered)).toEqual([]);
}

/** Every ordered pair, both ways, as `[a, b, sign]` so a failure names the pair. */
export function comparisons(scheme: VersionScheme, versions: readonly string[]): [string, string, number][] {
  return versions.flatMap((a) =>
    versions.map((b): [string, string, number] => [a, b, Math.sign(scheme.compare(a, b))]),
  );
}
