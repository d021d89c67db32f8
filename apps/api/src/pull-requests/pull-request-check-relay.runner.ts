import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RelayPullRequestChecks } from '@repoguard/application';
import { BackgroundLoop } from '../common/background-loop';
import { RelayBackoff } from '../common/relay-backoff';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

/**
 * Sends check requests no caller got through to Temporal (it was down at delivery time), in every
 * API process (SKIP LOCKED keeps them apart): every SCAN_RELAY_POLL_MS, at once after a full
 * round, backing off to SCAN_RELAY_MAX_BACKOFF_MS while Temporal is out of reach.
 */
@Injectable()
export class PullRequestCheckRelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PullRequestCheckRelay');
  private readonly loop = new BackgroundLoop(
    () => this.round(),
    (error) => {
      this.logger.warn(`pull-request check relay round failed: ${error.message}`);
      return this.backoff.next();
    },
  );
  private readonly backoff = new RelayBackoff(() => ({
    pollMs: this.config.SCAN_RELAY_POLL_MS,
    maxMs: this.config.SCAN_RELAY_MAX_BACKOFF_MS,
  }));

  constructor(
    private readonly relay: RelayPullRequestChecks,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private async round(): Promise<number> {
    const round = await this.relay.execute();
    if (round.engineUnavailable) return this.backoff.next();
    const resent = await this.relay.resendStalled();
    if (resent > 0) this.logger.warn(`${resent} stalled check(s) whose workflow had ended sent again`);
    this.backoff.reset();
    if (round.dropped > 0)
      this.logger.warn(`${round.dropped} check request(s) of disabled repositories dropped`);
    return round.claimed > 0 || resent > 0 ? 0 : this.config.SCAN_RELAY_POLL_MS;
  }
}
