import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ReconcileNotificationSchedules } from '@repoguard/application';
import { BackgroundLoop } from '../common/background-loop';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

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
  ) {
    this.loop = new BackgroundLoop(
      () => this.round(),
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

  private async round(): Promise<number> {
    const round = await this.reconcile.execute();
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
