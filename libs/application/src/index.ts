export * from './shared/caller';
export * from './api-keys/create-api-key.use-case';
export * from './api-keys/list-api-keys.use-case';
export * from './api-keys/revoke-api-key.use-case';
