import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RelayScanRequests, type RelayRound } from '@repoguard/application';
import { ApiMetrics } from '@repoguard/infrastructure';
import { BackgroundLoop } from '../common/background-loop';
import { RelayBackoff } from '../common/relay-backoff';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

// Relayed and given-up requests are kept a day (what was sent, when, after how many tries, or why
// not), then deleted.
const KEEP_RELAYED_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
// The backlog gauges cost a count: read now and then, not on every poll.
const GAUGE_EVERY_MS = 5_000;

/**
 * The loop that sends the scan request outbox to Temporal, in every API process (SKIP LOCKED keeps
 * them off each other's rows): every SCAN_RELAY_POLL_MS, at once again after a full round, and
 * while Temporal is out of reach with a backoff up to SCAN_RELAY_MAX_BACKOFF_MS, so a restored
 * Temporal is caught up within that.
 */
@Injectable()
export class ScanRequestRelayRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ScanRequestRelay');
  private readonly loop = new BackgroundLoop(
    () => this.round(),
    (error) => {
      // The database, most likely: the requests are safe in it, so wait and try again.
      this.logger.warn(`scan request relay round failed: ${error.message}`);
      return this.backOff();
    },
  );
  private readonly backoff = new RelayBackoff(() => ({
    pollMs: this.config.SCAN_RELAY_POLL_MS,
    maxMs: this.config.SCAN_RELAY_MAX_BACKOFF_MS,
  }));
  private outageSince: number | null = null;
  private lastPruneAt = 0;
  private lastGaugeAt = 0;

  constructor(
    private readonly relay: RelayScanRequests,
    private readonly metrics: ApiMetrics,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Before the database pool closes (that is an application-shutdown hook): the round in flight ends first. */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private async round(): Promise<number> {
    let wait = this.config.SCAN_RELAY_POLL_MS;
    const round = await this.relay.execute();
    this.count(round);
    if (round.engineUnavailable) {
      wait = this.backOff();
      this.reportOutage();
    } else {
      this.backoff.reset();
      this.reportRecovery(round.relayed.size);
      // A round that found work may have left more behind it: go on without waiting.
      if (round.claimed > 0) wait = 0;
      if (round.failed > 0)
        this.logger.warn(`${round.failed} scan request(s) refused by Temporal; retried later`);
      if (round.gaveUp > 0)
        this.logger.warn(
          `${round.gaveUp} scan request(s) given up (refused too often, or repository disabled); see scan_request_outbox.last_error`,
        );
    }
    await this.pruneNowAndThen();
    await this.gaugeNowAndThen();
    return wait;
  }

  /** The next wait while something is out of reach: the poll interval, doubling up to the maximum. */
  private backOff(): number {
    return this.backoff.next();
  }

  private reportOutage(): void {
    if (this.outageSince !== null) return;
    this.outageSince = Date.now();
    this.logger.warn(
      'Temporal is out of reach: scan requests wait in PostgreSQL and are sent once it is back',
    );
  }

  private reportRecovery(relayed: number): void {
    if (this.outageSince === null) return;
    this.logger.log(
      `Temporal is back after ${Math.round((Date.now() - this.outageSince) / 1000)} s: relaying waiting scan requests (${relayed} in the first round)`,
    );
    this.outageSince = null;
  }

  private count(round: RelayRound): void {
    const relays = this.metrics.scanRequestRelays;
    if (round.relayed.size > 0) relays.inc({ outcome: 'relayed' }, round.relayed.size);
    if (round.failed > 0) relays.inc({ outcome: 'refused' }, round.failed);
    if (round.gaveUp > 0) relays.inc({ outcome: 'gave_up' }, round.gaveUp);
    if (round.lost > 0) relays.inc({ outcome: 'lost' }, round.lost);
    if (round.engineUnavailable) relays.inc({ outcome: 'engine_unavailable' });
  }

  private async gaugeNowAndThen(): Promise<void> {
    if (Date.now() - this.lastGaugeAt < GAUGE_EVERY_MS) return;
    this.lastGaugeAt = Date.now();
    const { pending, oldestCreatedAt, gaveUp } = await this.relay.backlog();
    this.metrics.scanRequestsWaiting.set(pending);
    this.metrics.scanRequestsGivenUp.set(gaveUp);
    this.metrics.scanRequestsOldestWaitingSeconds.set(
      oldestCreatedAt ? Math.max(0, (Date.now() - oldestCreatedAt.getTime()) / 1000) : 0,
    );
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = Date.now();
    await this.relay.pruneRelayed(KEEP_RELAYED_MS);
  }
}
