import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccessGuard } from './access/access.guard';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AuthenticationGuard } from './auth/authentication.guard';
import { applicationProviders } from './composition/application.providers';
import { credentialLookupProvider } from './composition/credential-lookup.provider';
import {
  gitLoginDirectoryProvider,
  repositoryDirectoryProvider,
} from './composition/repository-directory.provider';
import { BearerStrategy } from './auth/bearer.strategy';
import { TokenAuthenticator } from './auth/token-authenticator';
import { FindingsController } from './findings/findings.controller';
import { ApiMetrics } from '@repoguard/infrastructure';
import { apiMetricsProvider } from './composition/api-metrics.provider';
import { MetricsController } from './metrics/metrics.controller';
import { OrgsController } from './orgs/orgs.controller';
import { PoliciesController } from './policies/policies.controller';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { ReposController } from './repos/repos.controller';
import { ScansController } from './scans/scans.controller';
import { githubAppProvider } from './composition/github-app.provider';
import { githubAppDirectoryProvider } from './composition/github-app-directory.provider';
import { GithubInstallationsController } from './github/github-installations.controller';
import { GithubTokenController } from './secrets/github-token.controller';
import { SshDeployKeysController } from './ssh-keys/ssh-deploy-keys.controller';
import { secretBoxProvider } from './composition/secret-box.provider';
import { SnapshotsController } from './snapshots/snapshots.controller';
import { scanRequesterProvider } from './temporal/scan-requester.provider';
import { GithubWebhooksController } from './webhooks/github-webhooks.controller';
import { GithubWebhooksService } from './webhooks/github-webhooks.service';
import { webhookHandlerProviders } from './webhooks/handlers/webhook-handlers';

/**
 * The REST API. Guards run in this order on every route: who is calling (bearer token), whether
 * the token is within its rate limit, and whether its role in the resource's org allows the route.
 */
@Module({
  imports: [PassportModule],
  exports: [ApiMetrics],
  controllers: [
    OrgsController,
    ApiKeysController,
    ReposController,
    ScansController,
    FindingsController,
    SnapshotsController,
    PoliciesController,
    AuditController,
    GithubWebhooksController,
    GithubTokenController,
    GithubInstallationsController,
    SshDeployKeysController,
    MetricsController,
  ],
  providers: [
    apiMetricsProvider,
    ...applicationProviders,
    credentialLookupProvider,
    TokenAuthenticator,
    BearerStrategy,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    secretBoxProvider,
    githubAppProvider,
    githubAppDirectoryProvider,
    repositoryDirectoryProvider,
    gitLoginDirectoryProvider,
    scanRequesterProvider,
    GithubWebhooksService,
    ...webhookHandlerProviders,
  ],
})
export class ApiV1Module {}
