import type { Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  ApplyRepositoryChange,
  CreateApiKey,
  GetScan,
  ListApiKeys,
  ListScans,
  RequestPushScans,
  RequestScan,
  RevokeApiKey,
  SetInstallationAccess,
  UpdateInstallationRepositories,
} from '@repoguard/application';
import {
  SYSTEM_CLOCK,
  type Clock,
  type ScanRequester,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';
import { MikroOrmUnitOfWork, OpaqueTokenIssuer } from '@repoguard/infrastructure';
import { SCAN_REQUESTER } from '../temporal/scan-requester.provider';

export const UNIT_OF_WORK = Symbol('UNIT_OF_WORK');
export const TOKEN_ISSUER = Symbol('TOKEN_ISSUER');
export const CLOCK = Symbol('CLOCK');

/** The API's composition root for use cases: each one built over the adapters of its ports. */
export const applicationProviders: Provider[] = [
  {
    provide: UNIT_OF_WORK,
    inject: [EntityManager],
    useFactory: (em: EntityManager) => new MikroOrmUnitOfWork(em),
  },
  { provide: TOKEN_ISSUER, useValue: new OpaqueTokenIssuer() },
  { provide: CLOCK, useValue: SYSTEM_CLOCK },
  {
    provide: CreateApiKey,
    inject: [UNIT_OF_WORK, TOKEN_ISSUER, CLOCK],
    useFactory: (uow: UnitOfWork, tokens: TokenIssuer, clock: Clock) => new CreateApiKey(uow, tokens, clock),
  },
  { provide: ListApiKeys, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new ListApiKeys(uow) },
  {
    provide: RevokeApiKey,
    inject: [UNIT_OF_WORK, CLOCK],
    useFactory: (uow: UnitOfWork, clock: Clock) => new RevokeApiKey(uow, clock),
  },
  {
    provide: RequestScan,
    inject: [UNIT_OF_WORK, SCAN_REQUESTER],
    useFactory: (uow: UnitOfWork, requester: ScanRequester) => new RequestScan(uow, requester, randomUUID),
  },
  { provide: ListScans, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new ListScans(uow) },
  { provide: GetScan, inject: [UNIT_OF_WORK], useFactory: (uow: UnitOfWork) => new GetScan(uow) },
  {
    provide: RequestPushScans,
    inject: [RequestScan],
    useFactory: (requestScan: RequestScan) => new RequestPushScans(requestScan),
  },
  // Webhook use cases over the clock alone.
  ...[ApplyRepositoryChange, SetInstallationAccess, UpdateInstallationRepositories].map((UseCase) => ({
    provide: UseCase,
    inject: [CLOCK],
    useFactory: (clock: Clock) => new UseCase(clock),
  })),
];
