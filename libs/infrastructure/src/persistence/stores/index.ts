export * from './mikro-orm-api-key-repository';
export * from './mikro-orm-audit-trail';
export * from './mikro-orm-stores';
export * from './mikro-orm-unit-of-work';
export * from './mikro-orm-repo-repository';
