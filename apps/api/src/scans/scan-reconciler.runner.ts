import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ReconcileAbandonedScans, type ReconcileCursor } from '@repoguard/application';
import { ApiMetrics } from '@repoguard/infrastructure';
import { BackgroundLoop } from '../common/background-loop';
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
  private readonly loop = new BackgroundLoop(
    () => this.round(),
    (error) => {
      this.logger.warn(`scan reconciler round failed: ${error.message}`);
      return this.config.SCAN_RECONCILE_INTERVAL_MS;
    },
  );
  private after: ReconcileCursor | null = null;

  constructor(
    private readonly reconcile: ReconcileAbandonedScans,
    private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    // A first look after one interval, not at boot: a fleet restarting together spreads out.
    if (this.config.SCAN_RECONCILE_INTERVAL_MS > 0) this.loop.start(this.config.SCAN_RECONCILE_INTERVAL_MS);
  }

  /** Before the database pool closes: the round in flight ends first. */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private async round(): Promise<number> {
    const round = await this.reconcile.execute({
      graceMs: this.config.SCAN_RECONCILE_GRACE_MS,
      limit: ROWS_PER_ROUND,
      ...(this.after ? { after: this.after } : {}),
    });
    this.after = round.next;
    const counter = this.metrics.scansReconciled;
    if (round.abandoned > 0) counter.inc({ outcome: 'abandoned' }, round.abandoned);
    if (round.open > 0) counter.inc({ outcome: 'open' }, round.open);
    if (round.unknown > 0) counter.inc({ outcome: 'unknown' }, round.unknown);
    if (round.abandoned > 0)
      this.logger.warn(`${round.abandoned} scan(s) closed as SCAN_ABANDONED: their workflow run had ended`);
    // More rows behind a full round: on at once.
    return round.next ? 0 : this.config.SCAN_RECONCILE_INTERVAL_MS;
  }
}
