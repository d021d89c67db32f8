import type { HistoryScenario } from './history-recorder';
import { repoScanScenarios } from './repo-scan.scenarios';
import { syncAdvisoriesScenarios } from './sync-advisories.scenarios';
import { expireTriageScenarios } from './expire-triage.scenarios';
import { deliverNotificationScenarios } from './deliver-notification.scenarios';
import { sendDigestScenarios } from './send-digest.scenarios';
import { rescanOrgScenarios } from './rescan-org.scenarios';
import { prScanScenarios } from './pr-scan.scenarios';

/** Every branch recorded under test/fixtures/histories: a new branch is a new scenario here. */
export const historyScenarios: readonly HistoryScenario[] = [
  ...repoScanScenarios,
  ...syncAdvisoriesScenarios,
  ...expireTriageScenarios,
  ...deliverNotificationScenarios,
  ...sendDigestScenarios,
  ...rescanOrgScenarios,
  ...prScanScenarios,
];
