/**
 * The wait of a relay loop while what it sends to is out of reach: the poll interval, doubling up to
 * the maximum; back to the poll interval once a round gets through.
 */
export class RelayBackoff {
  private current = 0;

  constructor(private readonly settings: () => { readonly pollMs: number; readonly maxMs: number }) {}

  next(): number {
    const { pollMs, maxMs } = this.settings();
    this.current = Math.min(maxMs, this.current === 0 ? pollMs : this.current * 2);
    return this.current;
  }

  reset(): void {
    this.current = 0;
  }
}
