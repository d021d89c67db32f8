import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { ReconcileNotificationSchedules } from '@repoguard/application';
import { BackgroundLoop } from '../common/background-loop';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';

/**
 * The loop that makes the Temporal Schedules of digest rules and org rescans match the database,
 * at boot and every NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS, in every API process (no leader:
 * each change is create-if-absent or an update under a conflict token). While Temporal is out of
 * reach a round fails and the next tries again: the database holds what the Schedules must be.
 */
@Injectable()
export class NotificationScheduleReconcileRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NotificationSchedules');
  private readonly loop: BackgroundLoop;
  private failing = false;

  constructor(
    private readonly reconcile: ReconcileNotificationSchedules,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {
    this.loop = new BackgroundLoop(
      (signal) => this.round(signal),
      (error) => {
        if (!this.failing)
          this.logger.warn(`notification schedules not reconciled (tried again): ${error.message}`);
        this.failing = true;
        return this.config.NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS;
      },
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS > 0) this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private async round(signal: AbortSignal): Promise<number> {
    // While Temporal is out of reach a call waits for the connection (and its first connect ignores
    // the abort): shutdown does not wait with it. The abandoned round only fails later.
    const reconciling = this.temporal.withAbortSignal(signal, () => this.reconcile.execute());
    reconciling.catch(() => undefined);
    const round = await Promise.race([reconciling, abandonedOn(signal)]);
    if (this.failing) this.logger.log('notification schedules reconciled again');
    this.failing = false;
    const changed = round.created + round.updated + round.removed;
    if (changed > 0)
      this.logger.log(
        `notification schedules: ${round.created} created, ${round.updated} updated, ${round.removed} removed`,
      );
    for (const failure of round.failed) this.logger.warn(`notification schedule not in line: ${failure}`);
    return this.config.NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS;
  }
}

/** Rejects once `signal` aborts: a round given up because the process stops. */
function abandonedOn(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const stop = () => reject(new Error('stopping: the round was abandoned'));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
