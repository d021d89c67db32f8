export * from './config/load-config';
export * from './config/shared-config';
export * from './persistence/mikro-orm.config';
export * from './persistence/database-bootstrap';
export * from './persistence/entities';
export * from './persistence/repositories/mikro-orm-system-probe';
export * from './temporal/temporal-cli';
export * from './temporal/workflow-bundler';
