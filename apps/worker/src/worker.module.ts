import { type DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EntityManager } from '@mikro-orm/postgresql';
import { createActivities } from '@repoguard/activities';
import { createMikroOrmConfig, githubAppPrivateKey } from '@repoguard/infrastructure';
import { buildActivityDeps } from './activity-deps.factory';
import { WORKER_CONFIG, type WorkerConfig } from './config/worker.config';

export const ACTIVITIES = Symbol('ACTIVITIES');
export const WORKER_IDENTITY = Symbol('WORKER_IDENTITY');

/** The worker's dependency graph: adapters in, activities out. No HTTP listener. */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, identity: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [MikroOrmModule.forRoot(createMikroOrmConfig({ databaseUrl: config.DATABASE_URL }))],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: WORKER_IDENTITY, useValue: identity },
        {
          provide: ACTIVITIES,
          inject: [EntityManager, WORKER_IDENTITY],
          useFactory: (em: EntityManager, workerIdentity: string) =>
            createActivities(
              buildActivityDeps(em, {
                workerIdentity,
                githubApiUrl: config.GITHUB_API_URL,
                ...(config.GITHUB_TOKEN ? { githubToken: config.GITHUB_TOKEN } : {}),
                osvApiUrl: config.OSV_API_URL,
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
      exports: [ACTIVITIES],
    };
  }
}
