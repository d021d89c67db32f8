/**
 * A scan's steps by one name each, wherever they show: the scan's `phase_timings_ms` in the API, the
 * `phase` label of repoguard_scan_phase_duration_seconds and the `phase` field of the worker's step
 * log lines. `match` is the OSV lookup (its status while it runs is MATCHING).
 */
export const SCAN_STEP_NAMES = ['fetch', 'parse', 'match', 'persist', 'evaluate'] as const;
export type ScanStepName = (typeof SCAN_STEP_NAMES)[number];
