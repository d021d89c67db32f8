export * from './mikro-orm-api-key-repository';
export * from './mikro-orm-audit-trail';
export * from './mikro-orm-stores';
export * from './mikro-orm-unit-of-work';
export * from './mikro-orm-repo-repository';
export * from './mikro-orm-git-login-store';
export * from './mikro-orm-github-installation-repository';
export * from './encryption-not-configured';
