// Every choice the chaos run makes (which repository, which versions, when to kill what) comes from
// one seed, so a failing run can be replayed with CHAOS_SEED. Timing still varies between runs.
import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';

// pure-rand 7 (the version Jest and fast-check's tree share here) draws whole numbers; a float is
// one such draw over 2^31.
const FLOAT_STEPS = 2 ** 31;

export class SeededRandom {
  private readonly rng: RandomGenerator;

  constructor(readonly seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** A whole number in [from, to], both included. */
  int(from: number, to: number): number {
    return unsafeUniformIntDistribution(from, to, this.rng);
  }

  /** A number in [from, to). */
  between(from: number, to: number): number {
    return from + (unsafeUniformIntDistribution(0, FLOAT_STEPS - 1, this.rng) / FLOAT_STEPS) * (to - from);
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
