// The worker bundles this file: only workflow code and what it imports at run time belong here.
export * from './self-check.workflow';
export * from './repo-scan.workflow';
export * from './sync-advisories.workflow';
export * from './send-digest.workflow';
export * from './rescan-org.workflow';
export * from './expire-triage.workflow';
export * from './deliver-notification.workflow';
export * from './pr-scan.workflow';
