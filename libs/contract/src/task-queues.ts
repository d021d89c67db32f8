/** Default task queue of the scan worker; deployments may override it through config. */
export const DEFAULT_SCAN_TASK_QUEUE = 'repoguard-scans';

/** Namespace the scripts create on the dev server; any other can be configured. */
export const DEFAULT_TEMPORAL_NAMESPACE = 'repoguard';
