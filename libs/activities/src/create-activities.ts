import type {
  AdvisoryImporter,
  AdvisorySyncRuns,
  FindingRepository,
  OpenFindingHistory,
  ManifestBlobStore,
  ManifestParserPool,
  ManifestSource,
  NotificationDigests,
  NotificationChannelDirectory,
  NotificationDeliveryAttempts,
  NotificationSender,
  PolicyRepository,
  PullRequestCheckPublisher,
  PullRequestCheckRepository,
  RematchTargetFinder,
  RescanTargets,
  RiskAcceptanceRepository,
  ScanRepository,
  SnapshotRepository,
  SystemProbe,
  VulnerabilityCache,
  VulnerabilityDatabase,
} from '@repoguard/domain';
import type { ExpireTriage, RequestScan } from '@repoguard/application';
import { createCollectRematchTargetsActivity } from './advisories/collect-rematch-targets.activity';
import { createFindRematchTargetsActivity } from './advisories/find-rematch-targets.activity';
import { createImportAdvisoriesActivity } from './advisories/import-advisories.activity';
import type { RematchPacing } from './advisories/rematch-pacer';
import { createRequestRematchPageActivity } from './advisories/request-rematch-page.activity';
import { createRequestRematchScansActivity } from './advisories/request-rematch-scans.activity';
import { createExpireTriageActivity } from './notifications/expire-triage.activity';
import { createBeginRematchActivity } from './scan/begin-rematch.activity';
import { createCloseScanActivity } from './scan/close-scan.activity';
import { createEvaluatePolicyActivity } from './scan/evaluate-policy.activity';
import { createFetchManifestActivity } from './scan/fetch-manifest.activity';
import { createOsvQueryActivity } from './scan/osv-query.activity';
import { createParseActivity } from './scan/parse.activity';
import { createPersistActivity } from './scan/persist.activity';
import { createRematchSnapshotActivity } from './scan/rematch-snapshot.activity';
import { createRecordScanFailureActivity } from './scan/record-scan-failure.activity';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scan/scan-activity.types';
import { createProbeDatabaseActivity } from './self-check/probe-database.activity';
import { createCollectDigestActivity } from './notifications/collect-digest.activity';
import { createFinishDigestActivity } from './notifications/finish-digest.activity';
import { createRequestRescanPageActivity } from './notifications/request-rescan-page.activity';
import { createBeginPullRequestCheckActivity } from './pull-requests/begin-pull-request-check.activity';
import { createComparePullRequestActivity } from './pull-requests/compare-pull-request.activity';
import { createFailPullRequestCheckActivity } from './pull-requests/fail-pull-request-check.activity';
import { createPublishPullRequestCheckActivity } from './pull-requests/publish-pull-request-check.activity';
import { createSupersedePullRequestCheckActivity } from './pull-requests/supersede-pull-request-check.activity';
import { createGiveUpNotificationDeliveryActivity } from './notifications/give-up-notification-delivery.activity';
import { createSendNotificationActivity } from './notifications/send-notification.activity';

export interface ActivityDeps {
  readonly systemProbe: SystemProbe;
  readonly workerIdentity: string;
  readonly manifestSource: ManifestSource;
  readonly blobStore: ManifestBlobStore;
  /** Parsing off the event loop, each manifest within a deadline (closed by whoever built it). */
  readonly parserPool: ManifestParserPool;
  readonly snapshots: SnapshotRepository;
  readonly vulnerabilityDatabase: VulnerabilityDatabase;
  readonly vulnerabilityCache: VulnerabilityCache;
  readonly findings: FindingRepository;
  /** Each day's open findings per repository, for the overview's trend. */
  readonly openFindingHistory?: OpenFindingHistory;
  readonly policies: PolicyRepository;
  readonly scans: ScanRepository;
  readonly advisoryImporter: AdvisoryImporter;
  readonly rematchTargets: RematchTargetFinder;
  /** Each advisory sync run's watermark and re-match targets. */
  readonly syncRuns: AdvisorySyncRuns;
  /** Re-match requests take the API's path: one audit, one error mapping. */
  readonly requestScan: RequestScan;
  /** A sync asks for re-matches about as fast as the re-match workers take them; absent: at once. */
  readonly rematchPacing?: RematchPacing;
  /** Digest runs: rules, events, delivery rows and watermarks. */
  readonly notificationDigests: NotificationDigests;
  /** Periodic rescans: an org's enabled repositories, a page at a time. */
  readonly rescanTargets: RescanTargets;
  /** The ignore-expiry timer's step: the same re-judging as the API's sweep. */
  readonly expireTriage: ExpireTriage;
  /** Notification deliveries: their rows, the channels' secrets and the wire formats. */
  readonly notificationAttempts: NotificationDeliveryAttempts;
  readonly notificationChannels: NotificationChannelDirectory;
  readonly notificationSender: NotificationSender;
  /** The API's public base URL for links in messages; null: messages carry none. */
  readonly notificationLinkBaseUrl: string | null;
  /** Pull-request checks: their rows, risk acceptances, and where a check is published. */
  readonly pullRequestChecks: PullRequestCheckRepository;
  readonly riskAcceptances: RiskAcceptanceRepository;
  readonly pullRequestCheckPublisher: PullRequestCheckPublisher;
  /** The API's public base URL for a check's details link; null: checks carry none. */
  readonly checkDetailsBaseUrl?: string | null;
  readonly limits?: ScanLimits;
  readonly now?: () => Date;
}

/**
 * The worker registers exactly what this returns; workflows see it only as a type
 * (`proxyActivities<Activities>`), so activity code never enters the workflow bundle.
 */
export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const limits = deps.limits ?? DEFAULT_SCAN_LIMITS;
  const rematchSteps = {
    beginRematch: createBeginRematchActivity(deps),
    osvQuery: createOsvQueryActivity(deps),
    persist: createPersistActivity({ ...deps, now }),
    evaluatePolicy: createEvaluatePolicyActivity({ ...deps, now }),
  };
  return {
    probeDatabase: createProbeDatabaseActivity(deps),
    fetchManifest: createFetchManifestActivity({ ...deps, limits }),
    parse: createParseActivity(deps),
    osvQuery: rematchSteps.osvQuery,
    persist: rematchSteps.persist,
    evaluatePolicy: rematchSteps.evaluatePolicy,
    recordScanFailure: createRecordScanFailureActivity({ ...deps, now }),
    // Histories recorded before the rematch-one-activity patch still schedule the steps one by one.
    beginRematch: rematchSteps.beginRematch,
    rematchSnapshot: createRematchSnapshotActivity(rematchSteps),
    closeScan: createCloseScanActivity({ ...deps, now }),
    importAdvisories: createImportAdvisoriesActivity(deps),
    // Kept for syncs started before the sync-run watermark: their histories still schedule these.
    findRematchTargets: createFindRematchTargetsActivity(deps),
    requestRematchScans: createRequestRematchScansActivity(deps),
    collectRematchTargets: createCollectRematchTargetsActivity(deps),
    requestRematchPage: createRequestRematchPageActivity(deps),
    collectDigest: createCollectDigestActivity(deps),
    finishDigest: createFinishDigestActivity(deps),
    requestRescanPage: createRequestRescanPageActivity(deps),
    expireTriage: createExpireTriageActivity(deps),
    sendNotification: createSendNotificationActivity({ ...deps, now }),
    giveUpNotificationDelivery: createGiveUpNotificationDeliveryActivity({ ...deps, now }),
    beginPullRequestCheck: createBeginPullRequestCheckActivity(deps),
    comparePullRequest: createComparePullRequestActivity({ ...deps, limits, now }),
    publishPullRequestCheck: createPublishPullRequestCheckActivity(deps),
    supersedePullRequestCheck: createSupersedePullRequestCheckActivity(deps),
    failPullRequestCheck: createFailPullRequestCheckActivity(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
