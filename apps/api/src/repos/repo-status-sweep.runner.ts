import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ReevaluateDueRepositoryStatuses } from '@repoguard/application';
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
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly sweep: ReevaluateDueRepositoryStatuses,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.REPO_STATUS_SWEEP_INTERVAL_MS > 0) this.loop = this.run();
  }

  /** Before the database pool closes: the round in flight ends first. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let wait = this.config.REPO_STATUS_SWEEP_INTERVAL_MS;
      try {
        const round = await this.sweep.execute({ limit: REPOS_PER_ROUND });
        if (round.changed > 0)
          this.logger.log(`${round.changed} repository status(es) changed as ignores lapsed`);
        for (const failure of round.failed)
          this.logger.warn(`repository status not judged again: ${failure}`);
        if (round.more) wait = 0;
      } catch (error) {
        this.logger.warn(`repository status sweep failed: ${(error as Error).message}`);
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
