export * from './osv-export-reader';
export * from './osv-api-vulnerability-database';
export * from './postgres-advisory-mirror';
export * from './mirror-vulnerability-database';
export * from './osv-export-source';
export * from './osv-export-limits';
export * from './advisory-sync.adapters';
export * from './advisory-sources';
