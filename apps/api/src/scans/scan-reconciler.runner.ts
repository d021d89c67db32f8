import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ReconcileAbandonedScans, type ReconcileCursor } from '@repoguard/application';
import { ApiMetrics } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

// Rows looked at per round: each is one or two Temporal calls. A full round goes on at once.
const ROWS_PER_ROUND = 100;

/**
 * The loop that closes abandoned scan rows (see ReconcileAbandonedScans), every
 * SCAN_RECONCILE_INTERVAL_MS in every API process: two processes closing the same row is harmless
 * (the update is conditional), so no leader is needed.
 */
@Injectable()
export class ScanReconcilerRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ScanReconciler');
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly reconcile: ReconcileAbandonedScans,
    private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCAN_RECONCILE_INTERVAL_MS > 0) this.loop = this.run();
  }

  /** Before the database pool closes: the round in flight ends first. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    // A first look after one interval, not at boot: a fleet restarting together spreads out.
    await this.sleep(this.config.SCAN_RECONCILE_INTERVAL_MS);
    let after: ReconcileCursor | null = null;
    while (!this.stopped) {
      let wait = this.config.SCAN_RECONCILE_INTERVAL_MS;
      try {
        const round = await this.reconcile.execute({
          graceMs: this.config.SCAN_RECONCILE_GRACE_MS,
          limit: ROWS_PER_ROUND,
          ...(after ? { after } : {}),
        });
        after = round.next;
        const counter = this.metrics.scansReconciled;
        if (round.abandoned > 0) counter.inc({ outcome: 'abandoned' }, round.abandoned);
        if (round.open > 0) counter.inc({ outcome: 'open' }, round.open);
        if (round.unknown > 0) counter.inc({ outcome: 'unknown' }, round.unknown);
        if (round.abandoned > 0)
          this.logger.warn(
            `${round.abandoned} scan(s) closed as SCAN_ABANDONED: their workflow run had ended`,
          );
        // More rows behind a full round: on at once.
        if (round.next) wait = 0;
      } catch (error) {
        this.logger.warn(`scan reconciler round failed: ${(error as Error).message}`);
      }
      if (wait > 0 && !this.stopped) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
