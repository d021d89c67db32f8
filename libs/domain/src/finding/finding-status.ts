/** Fixed findings stay on record; ignored ones are a triage decision. */
export type FindingStatus = 'open' | 'fixed' | 'ignored';
