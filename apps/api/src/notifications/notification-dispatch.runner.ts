import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DispatchNotificationEvents } from '@repoguard/application';
import { BackgroundLoop } from '../common/background-loop';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

// While Temporal is out of reach, deliveries wait in PostgreSQL; tries back off up to this.
const MAX_BACKOFF_MS = 30_000;

/**
 * The loop that turns notification events into deliveries and starts their workflows, in every
 * API process (SKIP LOCKED keeps them off each other's events): every NOTIFY_DISPATCH_INTERVAL_MS,
 * at once again after a round that found events. 0: off (another process dispatches).
 */
@Injectable()
export class NotificationDispatchRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NotificationDispatch');
  private readonly loop = new BackgroundLoop(
    () => this.round(),
    (error) => {
      // The database, most likely: the events are safe in it, so wait and try again.
      this.logger.warn(`notification dispatch round failed: ${error.message}`);
      return this.backOff();
    },
  );
  private backoff = 0;
  private outage = false;

  constructor(
    private readonly dispatch: DispatchNotificationEvents,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NOTIFY_DISPATCH_INTERVAL_MS > 0) this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private async round(): Promise<number> {
    const round = await this.dispatch.execute();
    if (round.engineUnavailable) {
      if (!this.outage)
        this.logger.warn(
          'Temporal is out of reach: notification deliveries wait and are started once it is back',
        );
      this.outage = true;
      return this.backOff();
    }
    if (this.outage) this.logger.log('Temporal is back: starting waiting notification deliveries');
    this.outage = false;
    this.backoff = 0;
    return round.events > 0 ? 0 : this.config.NOTIFY_DISPATCH_INTERVAL_MS;
  }

  private backOff(): number {
    const base = Math.max(this.config.NOTIFY_DISPATCH_INTERVAL_MS, 100);
    this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff === 0 ? base : this.backoff * 2);
    return this.backoff;
  }
}
