import { type DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EntityManager } from '@mikro-orm/postgresql';
import { createActivities } from '@repoguard/activities';
import { createMikroOrmConfig, MikroOrmSystemProbe } from '@repoguard/infrastructure';
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
            createActivities({ systemProbe: new MikroOrmSystemProbe(em), workerIdentity }),
        },
      ],
      exports: [ACTIVITIES],
    };
  }
}
