export * from './errors';
export * from './repository/repo-ref.value-object';
export * from './system/system-probe.port';
export * from './ecosystem/ecosystem.value-object';
export * from './ecosystem/package-name';
export * from './ecosystem/version-scheme';
export * from './manifest/manifest.types';
export * from './manifest/manifest-text';
