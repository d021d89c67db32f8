/** Fixed findings stay on record; ignored ones are a triage decision. A new status is one entry here. */
export const FINDING_STATUSES = ['open', 'fixed', 'ignored'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
