export * from './errors';
export * from './repository/repo-ref.value-object';
export * from './system/system-probe.port';
