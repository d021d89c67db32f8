export * from './shared/caller';
export * from './api-keys/create-api-key.use-case';
export * from './api-keys/list-api-keys.use-case';
export * from './api-keys/revoke-api-key.use-case';
export * from './repositories/connect-repository.use-case';
export * from './repositories/disconnect-repository.use-case';
export * from './repositories/get-repository.use-case';
export * from './repositories/list-repositories.use-case';
