import type { Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  AcceptInvitation,
  ChangeMemberRole,
  ConnectRepository,
  CreateApiKey,
  CreateOrganization,
  DeleteOrganization,
  DisconnectRepository,
  EvaluateRepoPolicy,
  GetRepository,
  InviteMember,
  LinkGithubInstallation,
  ListGithubInstallations,
  ListInstallationRepositories,
  ListApiKeys,
  GetGithubTokenStatus,
  RemoveGithubToken,
  SetGithubToken,
  ListAuditLog,
  GetSnapshot,
  ListFindings,
  ListMembers,
  ListMyOrganizations,
  ListPolicies,
  ListRepositories,
  RemoveMember,
  RevokeApiKey,
  TriageFinding,
  UpdateOrganization,
  UpdatePolicy,
} from '@repoguard/application';
import {
  SYSTEM_CLOCK,
  type Clock,
  type GithubAppDirectory,
  type GitLoginDirectory,
  type RepositoryDirectory,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';
import { type AesGcmSecretBox, MikroOrmUnitOfWork, OpaqueTokenIssuer } from '@repoguard/infrastructure';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SECRET_BOX } from './secret-box.provider';
import { GITHUB_APP_DIRECTORY } from './github-app-directory.provider';
import { GIT_LOGIN_DIRECTORY, REPOSITORY_DIRECTORY } from './repository-directory.provider';

export const UNIT_OF_WORK = Symbol('UNIT_OF_WORK');
export const TOKEN_ISSUER = Symbol('TOKEN_ISSUER');
export const CLOCK = Symbol('CLOCK');

/** A use case built over nothing but the unit of work. */
const overUnitOfWork = <T>(useCase: new (uow: UnitOfWork) => T): Provider => ({
  provide: useCase,
  inject: [UNIT_OF_WORK],
  useFactory: (uow: UnitOfWork) => new useCase(uow),
});

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
  {
    provide: CreateApiKey,
    inject: [UNIT_OF_WORK, TOKEN_ISSUER, CLOCK],
    useFactory: (uow: UnitOfWork, tokens: TokenIssuer, clock: Clock) => new CreateApiKey(uow, tokens, clock),
  },
  overUnitOfWork(ListApiKeys),
  {
    provide: RevokeApiKey,
    inject: [UNIT_OF_WORK, CLOCK],
    useFactory: (uow: UnitOfWork, clock: Clock) => new RevokeApiKey(uow, clock),
  },
  {
    provide: ConnectRepository,
    inject: [UNIT_OF_WORK, REPOSITORY_DIRECTORY, GIT_LOGIN_DIRECTORY],
    useFactory: (uow: UnitOfWork, directory: RepositoryDirectory, gitLogins: GitLoginDirectory) =>
      new ConnectRepository(uow, directory, gitLogins),
  },
  overUnitOfWork(DisconnectRepository),
  overUnitOfWork(GetRepository),
  overUnitOfWork(ListRepositories),
  overUnitOfWork(ListFindings),
  overUnitOfWork(UpdatePolicy),
  overUnitOfWork(ListPolicies),
  {
    provide: EvaluateRepoPolicy,
    inject: [UNIT_OF_WORK, CLOCK],
    useFactory: (uow: UnitOfWork, clock: Clock) => new EvaluateRepoPolicy(uow, clock),
  },
  {
    provide: TriageFinding,
    inject: [UNIT_OF_WORK, CLOCK],
    useFactory: (uow: UnitOfWork, clock: Clock) => new TriageFinding(uow, clock),
  },
  {
    provide: CreateOrganization,
    inject: [UNIT_OF_WORK, TOKEN_ISSUER],
    useFactory: (uow: UnitOfWork, tokens: TokenIssuer) => new CreateOrganization(uow, tokens),
  },
  overUnitOfWork(ListMyOrganizations),
  overUnitOfWork(UpdateOrganization),
  {
    provide: DeleteOrganization,
    inject: [UNIT_OF_WORK, CLOCK],
    useFactory: (uow: UnitOfWork, clock: Clock) => new DeleteOrganization(uow, clock),
  },
  overUnitOfWork(ListMembers),
  {
    provide: InviteMember,
    inject: [UNIT_OF_WORK, TOKEN_ISSUER, CLOCK, API_CONFIG],
    useFactory: (uow: UnitOfWork, tokens: TokenIssuer, clock: Clock, config: ApiConfig) =>
      new InviteMember(uow, tokens, clock, { ttlHours: config.INVITATION_TTL_HOURS }),
  },
  {
    provide: AcceptInvitation,
    inject: [UNIT_OF_WORK, TOKEN_ISSUER, CLOCK],
    useFactory: (uow: UnitOfWork, tokens: TokenIssuer, clock: Clock) =>
      new AcceptInvitation(uow, tokens, clock),
  },
  overUnitOfWork(ChangeMemberRole),
  overUnitOfWork(RemoveMember),
  overUnitOfWork(ListAuditLog),
  overUnitOfWork(GetSnapshot),
  {
    provide: LinkGithubInstallation,
    inject: [UNIT_OF_WORK, GITHUB_APP_DIRECTORY],
    useFactory: (uow: UnitOfWork, app: GithubAppDirectory) => new LinkGithubInstallation(uow, app),
  },
  overUnitOfWork(ListGithubInstallations),
  {
    provide: ListInstallationRepositories,
    inject: [UNIT_OF_WORK, GITHUB_APP_DIRECTORY],
    useFactory: (uow: UnitOfWork, app: GithubAppDirectory) => new ListInstallationRepositories(uow, app),
  },
  overUnitOfWork(SetGithubToken),
  overUnitOfWork(RemoveGithubToken),
  overUnitOfWork(GetGithubTokenStatus),
];
