import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ReevaluateDueRepositoryStatuses } from '@repoguard/application';
import { BackgroundLoop } from '../common/background-loop';
import { API_CONFIG, type ApiConfig } from '../config/api.config';

// Repositories judged per round; a full round goes on at once.
const REPOS_PER_ROUND = 50;

/**
 * The sweep that judges again the repositories whose stored status is due (an ignore lapsed, a
 * policy change's re-evaluation left unfinished), every REPO_STATUS_SWEEP_INTERVAL_MS in every API
 * process. No leader: each repository is judged under its scan-outcome lock and only if still due,
 * so replicas sweeping together judge it once; PostgreSQL, not Temporal, is all it needs.
 */
@Injectable()
export class RepoStatusSweepRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RepoStatusSweep');
  private readonly loop: BackgroundLoop;

  constructor(
    private readonly sweep: ReevaluateDueRepositoryStatuses,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.loop = new BackgroundLoop(
      () => this.round(),
      (error) => {
        this.logger.warn(`repository status sweep failed: ${error.message}`);
        return this.config.REPO_STATUS_SWEEP_INTERVAL_MS;
      },
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.REPO_STATUS_SWEEP_INTERVAL_MS > 0) this.loop.start();
  }

  /** Before the database pool closes: the round in flight ends first. */
  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private async round(): Promise<number> {
    const round = await this.sweep.execute({ limit: REPOS_PER_ROUND });
    if (round.changed > 0)
      this.logger.log(`${round.changed} repository status(es) changed as ignores lapsed`);
    for (const failure of round.failed) this.logger.warn(`repository status not judged again: ${failure}`);
    return round.more ? 0 : this.config.REPO_STATUS_SWEEP_INTERVAL_MS;
  }
}
