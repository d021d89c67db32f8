import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccessGuard } from './access/access.guard';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AuthenticationGuard } from './auth/authentication.guard';
import { CurrentIdentityController } from './auth/current-identity.controller';
import { applicationProviders } from './composition/application.providers';
import { notificationProviders } from './composition/notification.providers';
import { NotificationDeliveriesController } from './notifications/notification-deliveries.controller';
import { NotificationRulesController } from './notifications/notification-rules.controller';
import { credentialLookupProvider } from './composition/credential-lookup.provider';
import {
  gitLoginDirectoryProvider,
  repositoryDirectoryProvider,
} from './composition/repository-directory.provider';
import { BearerStrategy } from './auth/bearer.strategy';
import { CredentialCache } from './auth/credential-cache';
import { TokenAuthenticator } from './auth/token-authenticator';
import { FindingsController } from './findings/findings.controller';
import { VexImportController } from './findings/vex-import.controller';
import { ApiMetrics } from '@repoguard/infrastructure';
import { apiMetricsProvider } from './composition/api-metrics.provider';
import { MetricsController } from './metrics/metrics.controller';
import { notificationScheduleProviders } from './notifications/notification-schedule.providers';
import { RescanScheduleController } from './notifications/rescan-schedule.controller';
import { OrgsController } from './orgs/orgs.controller';
import { OrgSummaryController } from './orgs/org-summary.controller';
import { PersonalTokensController } from './personal-tokens/personal-tokens.controller';
import { PoliciesController } from './policies/policies.controller';
import { AddressLimits } from './rate-limit/address-limits';
import { CredentialCheckInterceptor } from './rate-limit/credential-check.interceptor';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimiters } from './rate-limit/rate-limiters';
import { RepoByIdController } from './repos/repo-by-id.controller';
import { ReposController } from './repos/repos.controller';
import { RepoStatusSweepRunner } from './repos/repo-status-sweep.runner';
import { ScanReconcilerRunner } from './scans/scan-reconciler.runner';
import { ScanRequestRelayRunner } from './scans/scan-request-relay.runner';
import { PullRequestCheckRelayRunner } from './pull-requests/pull-request-check-relay.runner';
import { PullRequestChecksController } from './pull-requests/pull-request-checks.controller';
import { pullRequestCheckStarterProvider } from './temporal/pull-request-check-starter.provider';
import { SbomsController } from './sbom/sbom-import.controller';
import { ScansController } from './scans/scans.controller';
import { githubAppProvider } from './composition/github-app.provider';
import { githubAppDirectoryProvider } from './composition/github-app-directory.provider';
import { GithubInstallationsController } from './github/github-installations.controller';
import { GithubSetupController } from './github/github-setup.controller';
import { githubUserAuthorizationProvider } from './composition/github-user-authorization.provider';
import { GithubTokenController } from './secrets/github-token.controller';
import { WebhookSecretController } from './secrets/webhook-secret.controller';
import { SshDeployKeysController } from './ssh-keys/ssh-deploy-keys.controller';
import { secretBoxProvider } from './composition/secret-box.provider';
import { SnapshotsController } from './snapshots/snapshots.controller';
import { SbomExportController } from './sbom/sbom-export.controller';
import { NotificationChannelsController } from './notifications/notification-channels.controller';
import { notificationChannelProviders } from './composition/notification-channels.providers';
import { scanRequesterProvider } from './temporal/scan-requester.provider';
import { triageExpiryTimerProvider } from './temporal/triage-expiry-timer.provider';
import { scanCancellerProvider } from './temporal/scan-canceller.provider';
import { scanRunLookupProvider } from './temporal/scan-run-lookup.provider';
import { GithubWebhooksController } from './webhooks/github-webhooks.controller';
import { GithubWebhooksService } from './webhooks/github-webhooks.service';
import { webhookHandlerProviders } from './webhooks/handlers/webhook-handlers';

/**
 * The REST API. Before any route, the source address's request limit (preAuthLimit, see
 * createApiApp). Guards run in this order on every route: who is calling (bearer token, paid from
 * the address's budget of failed checks), whether the token is within its rate limit, and whether
 * its role in the resource's org allows the route.
 */
@Module({
  imports: [PassportModule],
  exports: [ApiMetrics, AddressLimits],
  controllers: [
    OrgsController,
    OrgSummaryController,
    ApiKeysController,
    PersonalTokensController,
    CurrentIdentityController,
    ReposController,
    RepoByIdController,
    ScansController,
    SbomsController,
    FindingsController,
    VexImportController,
    SnapshotsController,
    SbomExportController,
    PoliciesController,
    AuditController,
    GithubWebhooksController,
    GithubTokenController,
    WebhookSecretController,
    GithubInstallationsController,
    GithubSetupController,
    SshDeployKeysController,
    NotificationChannelsController,
    NotificationRulesController,
    NotificationDeliveriesController,
    MetricsController,
    RescanScheduleController,
    PullRequestChecksController,
  ],
  providers: [
    apiMetricsProvider,
    ...applicationProviders,
    ...notificationProviders,
    credentialLookupProvider,
    CredentialCache,
    TokenAuthenticator,
    BearerStrategy,
    RateLimiters,
    AddressLimits,
    CredentialCheckInterceptor,
    ScanRequestRelayRunner,
    PullRequestCheckRelayRunner,
    ScanReconcilerRunner,
    RepoStatusSweepRunner,
    ...notificationScheduleProviders,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    secretBoxProvider,
    githubAppProvider,
    githubAppDirectoryProvider,
    githubUserAuthorizationProvider,
    repositoryDirectoryProvider,
    gitLoginDirectoryProvider,
    scanRequesterProvider,
    pullRequestCheckStarterProvider,
    triageExpiryTimerProvider,
    scanCancellerProvider,
    scanRunLookupProvider,
    GithubWebhooksService,
    ...webhookHandlerProviders,
    ...notificationChannelProviders,
  ],
})
export class ApiV1Module {}
