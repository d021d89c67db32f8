import type { AuditTrail } from '../audit/audit-trail.port';
import type { ApiKeyRepository } from '../identity/api-key-repository.port';
import type { GithubInstallationRepository } from '../github/github-installation-repository.port';
import type { RepoRepository } from '../repository/repo-repository.port';
import type { ScanHistory } from '../scan/scan-history.port';
import type { ScanRepository } from '../scan/scan-repository.port';
import type { WebhookDeliveryLog } from '../webhook/webhook-delivery-log.port';

/**
 * The repositories a use case works through, all bound to one unit of work (one transaction, one
 * tenant scope). Adapters create them lazily, so naming a store costs nothing until it is used.
 */
export interface Stores {
  readonly audit: AuditTrail;
  readonly apiKeys: ApiKeyRepository;
  readonly repositories: RepoRepository;
  readonly scans: ScanRepository;
  readonly scanHistory: ScanHistory;
  readonly webhookDeliveries: WebhookDeliveryLog;
  readonly githubInstallations: GithubInstallationRepository;
}
