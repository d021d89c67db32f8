import type { Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  AcceptInvitation,
  ApplyRepositoryChange,
  ChangeMemberRole,
  ConnectRepository,
  CreateApiKey,
  CreateOrganization,
  CreateSshDeployKey,
  DeleteOrganization,
  DeleteSshDeployKey,
  DisconnectRepository,
  EvaluateRepoPolicy,
  GetGithubTokenStatus,
  GetRepository,
  GetScan,
  GetSnapshot,
  GetSshDeployKey,
  InviteMember,
  LinkGithubInstallation,
  ListApiKeys,
  ListAuditLog,
  ListFindings,
  ListGithubInstallations,
  ListInstallationRepositories,
  ListMembers,
  ListMyOrganizations,
  ListPolicies,
  ListRepositories,
  ListScans,
  RemoveGithubToken,
  RemoveMember,
  RequestPushScans,
  RequestScan,
  RevokeApiKey,
  SetGithubToken,
  SetInstallationAccess,
  TriageFinding,
  UpdateInstallationRepositories,
  UpdateOrganization,
  UpdatePolicy,
} from '@repoguard/application';
import {
  SYSTEM_CLOCK,
  type Clock,
  type ScanRequester,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';
import {
  type AesGcmSecretBox,
  MikroOrmUnitOfWork,
  OpaqueTokenIssuer,
  Ssh2KeyGenerator,
} from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SCAN_REQUESTER } from '../temporal/scan-requester.provider';
import { GITHUB_APP_DIRECTORY } from './github-app-directory.provider';
import { GIT_LOGIN_DIRECTORY, REPOSITORY_DIRECTORY } from './repository-directory.provider';
import { SECRET_BOX } from './secret-box.provider';

export const UNIT_OF_WORK = Symbol('UNIT_OF_WORK');
export const TOKEN_ISSUER = Symbol('TOKEN_ISSUER');
export const CLOCK = Symbol('CLOCK');
export const SSH_KEY_GENERATOR = Symbol('SSH_KEY_GENERATOR');

/** A use case built over the adapters these tokens name, in its constructor's order. */
function useCase<A extends unknown[]>(
  type: new (...ports: A) => unknown,
  ...inject: { [K in keyof A]: symbol }
): Provider {
  return { provide: type, inject, useFactory: (...ports: A) => new type(...ports) };
}

/** The API's composition root for use cases: each one built over the adapters of its ports. */
export const applicationProviders: Provider[] = [
  {
    provide: UNIT_OF_WORK,
    inject: [EntityManager, SECRET_BOX],
    useFactory: (em: EntityManager, secretBox: AesGcmSecretBox | null) =>
      new MikroOrmUnitOfWork(em, { secretBox }),
  },
  { provide: TOKEN_ISSUER, useValue: new OpaqueTokenIssuer() },
  { provide: CLOCK, useValue: SYSTEM_CLOCK },
  { provide: SSH_KEY_GENERATOR, useValue: new Ssh2KeyGenerator() },
  useCase(CreateApiKey, UNIT_OF_WORK, TOKEN_ISSUER, CLOCK),
  useCase(ListApiKeys, UNIT_OF_WORK),
  useCase(RevokeApiKey, UNIT_OF_WORK, CLOCK),
  useCase(ConnectRepository, UNIT_OF_WORK, REPOSITORY_DIRECTORY, GIT_LOGIN_DIRECTORY),
  useCase(DisconnectRepository, UNIT_OF_WORK),
  useCase(GetRepository, UNIT_OF_WORK),
  useCase(ListRepositories, UNIT_OF_WORK),
  useCase(ListFindings, UNIT_OF_WORK),
  useCase(TriageFinding, UNIT_OF_WORK, CLOCK),
  useCase(UpdatePolicy, UNIT_OF_WORK),
  useCase(ListPolicies, UNIT_OF_WORK),
  useCase(EvaluateRepoPolicy, UNIT_OF_WORK, CLOCK),
  useCase(CreateOrganization, UNIT_OF_WORK, TOKEN_ISSUER),
  useCase(ListMyOrganizations, UNIT_OF_WORK),
  useCase(UpdateOrganization, UNIT_OF_WORK),
  useCase(DeleteOrganization, UNIT_OF_WORK, CLOCK),
  useCase(ListMembers, UNIT_OF_WORK),
  {
    provide: InviteMember,
    inject: [UNIT_OF_WORK, TOKEN_ISSUER, CLOCK, API_CONFIG],
    useFactory: (uow: UnitOfWork, tokens: TokenIssuer, clock: Clock, config: ApiConfig) =>
      new InviteMember(uow, tokens, clock, { ttlHours: config.INVITATION_TTL_HOURS }),
  },
  useCase(AcceptInvitation, UNIT_OF_WORK, TOKEN_ISSUER, CLOCK),
  useCase(ChangeMemberRole, UNIT_OF_WORK),
  useCase(RemoveMember, UNIT_OF_WORK),
  useCase(ListAuditLog, UNIT_OF_WORK),
  useCase(GetSnapshot, UNIT_OF_WORK),
  useCase(LinkGithubInstallation, UNIT_OF_WORK, GITHUB_APP_DIRECTORY),
  useCase(ListGithubInstallations, UNIT_OF_WORK),
  useCase(ListInstallationRepositories, UNIT_OF_WORK, GITHUB_APP_DIRECTORY),
  useCase(SetGithubToken, UNIT_OF_WORK),
  useCase(RemoveGithubToken, UNIT_OF_WORK),
  useCase(GetGithubTokenStatus, UNIT_OF_WORK),
  useCase(CreateSshDeployKey, UNIT_OF_WORK, SSH_KEY_GENERATOR, CLOCK),
  useCase(GetSshDeployKey, UNIT_OF_WORK),
  useCase(DeleteSshDeployKey, UNIT_OF_WORK),
  {
    provide: RequestScan,
    inject: [UNIT_OF_WORK, SCAN_REQUESTER],
    useFactory: (uow: UnitOfWork, requester: ScanRequester) => new RequestScan(uow, requester, randomUUID),
  },
  useCase(ListScans, UNIT_OF_WORK),
  useCase(GetScan, UNIT_OF_WORK),
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
