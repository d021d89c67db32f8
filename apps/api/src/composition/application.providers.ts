import { Logger, type Provider } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import {
  AcceptInvitation,
  ApplyRepositoryChange,
  ChangeMemberRole,
  ConnectRepository,
  CreateApiKey,
  CreateOrganization,
  CreatePersonalToken,
  CreateSshDeployKey,
  DeleteOrganization,
  DeleteSshDeployKey,
  DisconnectRepository,
  DryRunPolicy,
  ExportSbom,
  ExportVex,
  EvaluateRepoPolicy,
  GetCurrentIdentity,
  GetGithubTokenStatus,
  GetWebhookSecretStatus,
  GetRepository,
  GetScan,
  GetScanRequest,
  GetOrgSummary,
  GetSnapshot,
  CompleteGithubInstallationLink,
  GetSshDeployKey,
  InviteMember,
  ListApiKeys,
  ListAuditLog,
  ListFindings,
  SearchOrgFindings,
  ListGithubInstallations,
  ListInvitations,
  ListInstallationRepositories,
  ListMembers,
  ListMyOrganizations,
  ListPersonalTokens,
  ListPolicies,
  ListRepositories,
  ListScans,
  OpenOrgWebhookSecret,
  RemoveGithubToken,
  RemoveMember,
  RemoveWebhookSecret,
  DEFAULT_PR_CHECK_RELAY_SETTINGS,
  DEFAULT_RELAY_SETTINGS,
  ReconcileAbandonedScans,
  ReevaluateDueRepositoryStatuses,
  ReevaluateRepositoryStatus,
  GetPullRequestCheck,
  ListPullRequestChecks,
  RelayPullRequestChecks,
  RelayScanRequests,
  RequestPullRequestCheck,
  RerequestPullRequestCheck,
  RequestPushScans,
  RequestScan,
  ImportSbom,
  AcceptPullRequestRisk,
  RevokeApiKey,
  RevokeInvitation,
  RotateWebhookSecret,
  RevokePersonalToken,
  SetGithubToken,
  SetInstallationAccess,
  StartGithubInstallationLink,
  TriageFinding,
  ImportVex,
  UpdateInstallationRepositories,
  UpdateOrganization,
  UpdatePolicy,
} from '@repoguard/application';
import {
  SYSTEM_CLOCK,
  type Clock,
  type PullRequestCheckStarter,
  type ScanRequester,
  type TriageExpiryTimer,
  type TokenIssuer,
  type UnitOfWork,
} from '@repoguard/domain';
import {
  type AesGcmSecretBox,
  CycloneDxSbomWriter,
  CycloneDxVexWriter,
  ManifestBlobSbomDocumentStore,
  MikroOrmManifestBlobStore,
  FindingTotals,
  MikroOrmUnitOfWork,
  OpenVexWriter,
  SpdxSbomWriter,
  OpaqueTokenIssuer,
  Ssh2KeyGenerator,
} from '@repoguard/infrastructure';
import repoguardPackage from '../../../../package.json';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { SCAN_REQUESTER, SCAN_REQUEST_TIMEOUT_MS } from '../temporal/scan-requester.provider';
import { PULL_REQUEST_CHECK_STARTER } from '../temporal/pull-request-check-starter.provider';
import { SCAN_CANCELLER } from '../temporal/scan-canceller.provider';
import { SCAN_RUN_LOOKUP } from '../temporal/scan-run-lookup.provider';
import { TRIAGE_EXPIRY_TIMER } from '../temporal/triage-expiry-timer.provider';
import { GITHUB_APP_DIRECTORY } from './github-app-directory.provider';
import { GITHUB_USER_AUTHORIZATION } from './github-user-authorization.provider';
import { GIT_LOGIN_DIRECTORY, REPOSITORY_DIRECTORY } from './repository-directory.provider';
import { SECRET_BOX } from './secret-box.provider';
import { CredentialCache } from '../auth/credential-cache';
import { ApiSbomDescriber } from '../sbom/api-sbom-describer';

/**
 * A use case that decides about findings (one at a time or from a VEX document): it judges the
 * repository again and starts or cancels expiry timers, warning in its own log when they are out of reach.
 */
function triageUseCase(useCase: typeof TriageFinding | typeof ImportVex, context: string): Provider {
  return {
    provide: useCase,
    inject: [UNIT_OF_WORK, CLOCK, ReevaluateRepositoryStatus, TRIAGE_EXPIRY_TIMER],
    useFactory: (
      uow: UnitOfWork,
      clock: Clock,
      reevaluate: ReevaluateRepositoryStatus,
      timer: TriageExpiryTimer,
    ) => {
      const logger = new Logger(context);
      return new useCase(uow, clock, reevaluate, { timer, warn: (message: string) => logger.warn(message) });
    },
  };
}

export const UNIT_OF_WORK = Symbol('UNIT_OF_WORK');
export const TOKEN_ISSUER = Symbol('TOKEN_ISSUER');
export const CLOCK = Symbol('CLOCK');
export const SSH_KEY_GENERATOR = Symbol('SSH_KEY_GENERATOR');

/** The author the exported SBOM and VEX documents name. */
const EXPORT_TOOL = { name: 'RepoGuard', version: repoguardPackage.version };

/** A use case built over the adapters these tokens name, in its constructor's order. */
function useCase<A extends unknown[]>(
  type: new (...ports: A) => unknown,
  ...inject: { [K in keyof A]: symbol }
): Provider {
  return { provide: type, inject, useFactory: (...ports: A) => new type(...ports) };
}

interface UseCase {
  execute(command: never): Promise<unknown>;
}

/**
 * What a failed announcement does to the answer. A change that takes access away ('refuse': a
 * revocation, a removal, a role change, an org deleted) answers CREDENTIAL_CHANGE_NOT_ANNOUNCED
 * (503): its caller must not believe every instance refuses the credential when one may accept it
 * until its TTL ran out. A change that only grants access ('log': an org created, an invitation
 * accepted, an org's name or limit) can at worst be refused by another instance until then, and its
 * answer may carry a token shown only once: that answer is not thrown away.
 */
type UnannouncedChange = 'refuse' | 'log';

/**
 * A use case that changes who a token is, each call run over a unit of work that announces
 * (CredentialCache) every transaction of it as soon as it committed, and only then: a call refused
 * before its commit announces nothing, and one that commits and then fails still announced. Built
 * per call, so concurrent calls never see each other's announcement failures.
 */
function forgettingCheckedTokens<T extends UseCase>(
  build: (uow: UnitOfWork) => T,
  uow: UnitOfWork,
  cache: CredentialCache,
  onFailure: UnannouncedChange,
): T {
  const logger = new Logger('CredentialChanges');
  const useCase = build(uow);
  useCase.execute = async (command: never) => {
    let unannounced: unknown = null;
    const announcing: UnitOfWork = {
      read: (scope, work) => uow.read(scope, work),
      async transaction(scope, work) {
        const result = await uow.transaction(scope, work);
        // Not thrown here: what the use case does after its commit (cancelling scans) still happens.
        await cache.changed().catch((error: unknown) => {
          unannounced = error;
        });
        return result;
      },
    };
    let result: unknown;
    try {
      result = await build(announcing).execute(command);
    } catch (error) {
      if (unannounced === null || onFailure === 'log') throw error;
      logger.error(`after a change that could not be announced: ${String(error)}`);
    }
    if (unannounced !== null && onFailure === 'refuse') throw unannounced;
    return result;
  };
  return useCase;
}

function changingCredentials<A extends unknown[]>(
  type: new (uow: UnitOfWork, ...ports: A) => UseCase,
  onFailure: UnannouncedChange,
  ...inject: { [K in keyof A]: symbol }
): Provider {
  return {
    provide: type,
    inject: [UNIT_OF_WORK, CredentialCache, ...inject],
    useFactory: (uow: UnitOfWork, cache: CredentialCache, ...ports: A) =>
      forgettingCheckedTokens((unit) => new type(unit, ...ports), uow, cache, onFailure),
  };
}

/** The API's composition root for use cases: each one built over the adapters of its ports. */
export const applicationProviders: Provider[] = [
  {
    provide: UNIT_OF_WORK,
    inject: [EntityManager, SECRET_BOX],
    useFactory: (em: EntityManager, secretBox: AesGcmSecretBox | null) =>
      new MikroOrmUnitOfWork(em, { secretBox, findingTotals: new FindingTotals() }),
  },
  { provide: TOKEN_ISSUER, useValue: new OpaqueTokenIssuer() },
  { provide: CLOCK, useValue: SYSTEM_CLOCK },
  { provide: SSH_KEY_GENERATOR, useValue: new Ssh2KeyGenerator() },
  useCase(CreateApiKey, UNIT_OF_WORK, TOKEN_ISSUER, CLOCK),
  useCase(ListApiKeys, UNIT_OF_WORK),
  changingCredentials(RevokeApiKey, 'refuse', CLOCK),
  useCase(CreatePersonalToken, UNIT_OF_WORK, TOKEN_ISSUER, CLOCK),
  useCase(ListPersonalTokens, UNIT_OF_WORK),
  changingCredentials(RevokePersonalToken, 'refuse', CLOCK),
  useCase(ConnectRepository, UNIT_OF_WORK, REPOSITORY_DIRECTORY, GIT_LOGIN_DIRECTORY),
  useCase(DisconnectRepository, UNIT_OF_WORK, SCAN_CANCELLER),
  useCase(GetRepository, UNIT_OF_WORK),
  useCase(ListRepositories, UNIT_OF_WORK),
  useCase(ListFindings, UNIT_OF_WORK),
  useCase(SearchOrgFindings, UNIT_OF_WORK),
  useCase(GetOrgSummary, UNIT_OF_WORK, CLOCK),
  {
    provide: ReevaluateRepositoryStatus,
    inject: [UNIT_OF_WORK, CLOCK],
    useFactory: (uow: UnitOfWork, clock: Clock) => new ReevaluateRepositoryStatus(uow, clock, randomUUID),
  },
  {
    provide: ReevaluateDueRepositoryStatuses,
    inject: [UNIT_OF_WORK, ReevaluateRepositoryStatus, CLOCK],
    useFactory: (uow: UnitOfWork, reevaluate: ReevaluateRepositoryStatus, clock: Clock) =>
      new ReevaluateDueRepositoryStatuses(uow, reevaluate, clock),
  },
  triageUseCase(TriageFinding, 'Triage'),
  triageUseCase(ImportVex, 'VexImport'),
  {
    provide: UpdatePolicy,
    inject: [UNIT_OF_WORK, ReevaluateRepositoryStatus, CLOCK],
    useFactory: (uow: UnitOfWork, reevaluate: ReevaluateRepositoryStatus, clock: Clock) =>
      new UpdatePolicy(uow, reevaluate, clock),
  },
  useCase(ListPolicies, UNIT_OF_WORK),
  useCase(EvaluateRepoPolicy, UNIT_OF_WORK, CLOCK),
  useCase(DryRunPolicy, UNIT_OF_WORK, CLOCK),
  changingCredentials(CreateOrganization, 'log', TOKEN_ISSUER),
  useCase(ListMyOrganizations, UNIT_OF_WORK),
  {
    provide: UpdateOrganization,
    inject: [UNIT_OF_WORK, API_CONFIG, CredentialCache],
    useFactory: (uow: UnitOfWork, config: ApiConfig, cache: CredentialCache) =>
      forgettingCheckedTokens(
        (unit) => new UpdateOrganization(unit, { instanceRateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE }),
        uow,
        cache,
        'log',
      ),
  },
  changingCredentials(DeleteOrganization, 'refuse', CLOCK, SCAN_CANCELLER),
  useCase(ListMembers, UNIT_OF_WORK),
  {
    provide: InviteMember,
    inject: [UNIT_OF_WORK, TOKEN_ISSUER, CLOCK, API_CONFIG],
    useFactory: (uow: UnitOfWork, tokens: TokenIssuer, clock: Clock, config: ApiConfig) =>
      new InviteMember(uow, tokens, clock, { ttlHours: config.INVITATION_TTL_HOURS }),
  },
  changingCredentials(AcceptInvitation, 'log', TOKEN_ISSUER, CLOCK),
  useCase(ListInvitations, UNIT_OF_WORK, CLOCK),
  useCase(RevokeInvitation, UNIT_OF_WORK, CLOCK),
  useCase(GetCurrentIdentity, UNIT_OF_WORK),
  changingCredentials(ChangeMemberRole, 'refuse'),
  changingCredentials(RemoveMember, 'refuse'),
  useCase(ListAuditLog, UNIT_OF_WORK),
  useCase(GetSnapshot, UNIT_OF_WORK),
  {
    provide: ExportSbom,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) =>
      new ExportSbom(uow, { cyclonedx: new CycloneDxSbomWriter(), spdx: new SpdxSbomWriter() }, EXPORT_TOOL),
  },
  {
    provide: ExportVex,
    inject: [UNIT_OF_WORK],
    useFactory: (uow: UnitOfWork) =>
      new ExportVex(uow, { cyclonedx: new CycloneDxVexWriter(), openvex: new OpenVexWriter() }, EXPORT_TOOL),
  },
  useCase(StartGithubInstallationLink, UNIT_OF_WORK, GITHUB_USER_AUTHORIZATION, TOKEN_ISSUER, CLOCK),
  useCase(CompleteGithubInstallationLink, UNIT_OF_WORK, GITHUB_USER_AUTHORIZATION, TOKEN_ISSUER, CLOCK),
  useCase(ListGithubInstallations, UNIT_OF_WORK),
  useCase(ListInstallationRepositories, UNIT_OF_WORK, GITHUB_APP_DIRECTORY),
  useCase(SetGithubToken, UNIT_OF_WORK),
  useCase(RemoveGithubToken, UNIT_OF_WORK),
  useCase(GetGithubTokenStatus, UNIT_OF_WORK),
  useCase(RotateWebhookSecret, UNIT_OF_WORK, TOKEN_ISSUER),
  useCase(RemoveWebhookSecret, UNIT_OF_WORK),
  useCase(GetWebhookSecretStatus, UNIT_OF_WORK),
  useCase(OpenOrgWebhookSecret, UNIT_OF_WORK),
  useCase(CreateSshDeployKey, UNIT_OF_WORK, SSH_KEY_GENERATOR, CLOCK),
  useCase(GetSshDeployKey, UNIT_OF_WORK),
  useCase(DeleteSshDeployKey, UNIT_OF_WORK),
  {
    provide: RelayScanRequests,
    inject: [UNIT_OF_WORK, SCAN_REQUESTER, API_CONFIG],
    useFactory: (uow: UnitOfWork, requester: ScanRequester, config: ApiConfig) =>
      new RelayScanRequests(uow, requester, {
        ...DEFAULT_RELAY_SETTINGS,
        requestTimeoutMs: SCAN_REQUEST_TIMEOUT_MS,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
      }),
  },
  {
    provide: RequestScan,
    inject: [UNIT_OF_WORK, SCAN_REQUESTER, RelayScanRequests],
    useFactory: (uow: UnitOfWork, requester: ScanRequester, relay: RelayScanRequests) =>
      new RequestScan(uow, requester, relay, randomUUID),
  },
  {
    provide: ImportSbom,
    inject: [UNIT_OF_WORK, EntityManager, RequestScan, ApiSbomDescriber],
    useFactory: (uow: UnitOfWork, em: EntityManager, requestScan: RequestScan, describer: ApiSbomDescriber) =>
      new ImportSbom(uow, new ManifestBlobSbomDocumentStore(new MikroOrmManifestBlobStore(em)), requestScan, {
        describer,
      }),
  },
  ApiSbomDescriber,
  useCase(ListScans, UNIT_OF_WORK),
  useCase(GetScan, UNIT_OF_WORK),
  useCase(ListPullRequestChecks, UNIT_OF_WORK),
  useCase(GetPullRequestCheck, UNIT_OF_WORK),
  useCase(GetScanRequest, UNIT_OF_WORK),
  useCase(ReconcileAbandonedScans, UNIT_OF_WORK, SCAN_RUN_LOOKUP),
  {
    provide: RelayPullRequestChecks,
    inject: [UNIT_OF_WORK, PULL_REQUEST_CHECK_STARTER, API_CONFIG],
    useFactory: (uow: UnitOfWork, starter: PullRequestCheckStarter, config: ApiConfig) =>
      new RelayPullRequestChecks(uow, starter, {
        ...DEFAULT_PR_CHECK_RELAY_SETTINGS,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
      }),
  },
  ...[RequestPullRequestCheck, RerequestPullRequestCheck].map((UseCase) => ({
    provide: UseCase,
    inject: [RelayPullRequestChecks],
    useFactory: (relay: RelayPullRequestChecks) => new UseCase(relay, randomUUID),
  })),
  {
    provide: RequestPushScans,
    inject: [RequestScan],
    useFactory: (requestScan: RequestScan) => new RequestPushScans(requestScan),
  },
  {
    provide: AcceptPullRequestRisk,
    inject: [CLOCK, RelayPullRequestChecks],
    useFactory: (clock: Clock, relay: RelayPullRequestChecks) =>
      new AcceptPullRequestRisk(clock, randomUUID, relay),
  },
  // Webhook use cases over the clock alone.
  ...[ApplyRepositoryChange, SetInstallationAccess, UpdateInstallationRepositories].map((UseCase) => ({
    provide: UseCase,
    inject: [CLOCK],
    useFactory: (clock: Clock) => new UseCase(clock),
  })),
];
