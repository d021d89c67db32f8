export * from './task-queues';
export * from './search-attributes';
export * from './self-check.contract';
export * from './repo-scan.contract';
export * from './advisory-sync.contract';
export * from './correlation';
export * from './notification.contract';
export * from './pull-request.contract';
