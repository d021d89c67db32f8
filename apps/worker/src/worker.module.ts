import { type DynamicModule, Inject, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EntityManager } from '@mikro-orm/postgresql';
import { createActivities } from '@repoguard/activities';
import {
  buildActivityDeps,
  createMikroOrmConfig,
  githubAppPrivateKey,
  gitSettings,
  notificationSettings,
  PiscinaManifestParserPool,
  ScanMetricsQuery,
  WorkerMetrics,
} from '@repoguard/infrastructure';
import { WORKER_CONFIG, type WorkerConfig } from './config/worker.config';

export const ACTIVITIES = Symbol('ACTIVITIES');
export const WORKER_IDENTITY = Symbol('WORKER_IDENTITY');
export const PARSER_POOL = Symbol('PARSER_POOL');

/** The worker's dependency graph: adapters in, activities out. No HTTP listener. */
@Module({})
export class WorkerModule implements OnModuleDestroy {
  constructor(@Inject(PARSER_POOL) private readonly parserPool: PiscinaManifestParserPool) {}

  // app.close() runs after worker.run() has resolved: no parse is left to wait for.
  async onModuleDestroy(): Promise<void> {
    await this.parserPool.close();
  }

  static forRoot(config: WorkerConfig, identity: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [MikroOrmModule.forRoot(createMikroOrmConfig({ databaseUrl: config.DATABASE_URL }))],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: WORKER_IDENTITY, useValue: identity },
        {
          provide: ScanMetricsQuery,
          inject: [EntityManager],
          useFactory: (em: EntityManager) => new ScanMetricsQuery(em),
        },
        {
          provide: WorkerMetrics,
          inject: [ScanMetricsQuery],
          useFactory: (query: ScanMetricsQuery) => {
            const logger = new Logger('Metrics');
            return new WorkerMetrics(query, (message) => logger.warn(message));
          },
        },
        { provide: PARSER_POOL, useFactory: () => new PiscinaManifestParserPool(config.parserPoolOptions) },
        {
          provide: ACTIVITIES,
          inject: [EntityManager, WORKER_IDENTITY, WorkerMetrics, PARSER_POOL],
          useFactory: (
            em: EntityManager,
            workerIdentity: string,
            metrics: WorkerMetrics,
            parserPool: PiscinaManifestParserPool,
          ) =>
            createActivities(
              buildActivityDeps(em, {
                workerIdentity,
                parserPool,
                rematchOpenLimit: config.REMATCH_OPEN_LIMIT,
                metrics: metrics.integrations,
                githubApiUrl: config.GITHUB_API_URL,
                ...(config.GITHUB_TOKEN ? { githubToken: config.GITHUB_TOKEN } : {}),
                osvApiUrl: config.OSV_API_URL,
                ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
                notifications: notificationSettings(config),
                osvMode: config.OSV_MODE,
                osvMirrorRefreshCheckMs: config.OSV_MIRROR_REFRESH_CHECK_MS,
                osvMirrorCacheBytes: config.OSV_MIRROR_CACHE_MB * 2 ** 20,
                git: gitSettings(config),
                osvExportLimits: config.osvExportLimits,
                log: (message) => new Logger('Advisories').log(message),
                ...(config.GITHUB_APP_ID
                  ? { githubApp: { appId: config.GITHUB_APP_ID, privateKey: githubAppPrivateKey(config)! } }
                  : {}),
                ...(config.REPOGUARD_ENCRYPTION_KEY
                  ? {
                      encryption: {
                        key: config.REPOGUARD_ENCRYPTION_KEY,
                        ...(config.REPOGUARD_ENCRYPTION_KEYS_OLD
                          ? { oldKeys: config.REPOGUARD_ENCRYPTION_KEYS_OLD }
                          : {}),
                      },
                    }
                  : {}),
                timeoutMs: config.INTEGRATION_TIMEOUT_MS,
                limits: {
                  maxManifestBytes: config.SCAN_MAX_MANIFEST_BYTES,
                  maxScanBytes: config.SCAN_MAX_TOTAL_BYTES,
                },
              }),
            ),
        },
      ],
      exports: [ACTIVITIES, WorkerMetrics, ScanMetricsQuery],
    };
  }
}
