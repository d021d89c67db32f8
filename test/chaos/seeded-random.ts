// Every choice the chaos run makes (which repository, which versions, when to kill what) comes from
// one seed, so a failing run can be replayed with CHAOS_SEED. Timing still varies between runs.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export class SeededRandom {
  private readonly rng: ReturnType<typeof xoroshiro128plus>;

  constructor(readonly seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** A whole number in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** A number in [from, to). */
  between(from: number, to: number): number {
    return from + uniformFloat64(this.rng) * (to - from);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** An independent stream for one concern, so adding draws to one does not shift the others. */
  fork(label: string): SeededRandom {
    let hash = this.seed >>> 0;
    for (const char of label) hash = (Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0) & 0x7fffffff;
    return new SeededRandom(hash);
  }
}

/** A fresh seed when none is given: printed by the run so it can be replayed. */
export function newSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
