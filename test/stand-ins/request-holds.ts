/** A request a stand-in keeps unanswered until the test lets it through. */
export interface RequestHold {
  /** Resolves once a matching request arrived (and is being held). */
  readonly arrived: Promise<void>;
  /** Lets it through, answered as usual. */
  release(): void;
}

interface Pending<R> {
  readonly matches: (request: R) => boolean;
  readonly arrive: () => void;
  readonly released: Promise<void>;
  readonly release: () => void;
}

/** The holds a stand-in checks each request against; each hold takes the first request it matches. */
export class RequestHolds<R> {
  private pending: Pending<R>[] = [];
  private readonly all: (() => void)[] = [];

  add(matches: (request: R) => boolean): RequestHold {
    let arrive!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.pending.push({ matches, arrive, released, release });
    this.all.push(release);
    return { arrived, release };
  }

  /** Resolves at once unless a hold takes the request; then once that hold is released. */
  async pass(request: R): Promise<void> {
    const hold = this.pending.find((h) => h.matches(request));
    if (!hold) return;
    this.pending = this.pending.filter((h) => h !== hold);
    hold.arrive();
    await hold.released;
  }

  /** Lets every held request through and drops holds not taken yet (reset, close). */
  releaseAll(): void {
    this.pending = [];
    for (const release of this.all.splice(0)) release();
  }
}
