export * from './integration-metrics';
export * from './instrument-fetch';
export * from './scan-queue-metrics';
export * from './scan-metrics.query';
export * from './worker-metrics';
export * from './scan-metrics.interceptor';
export * from './api-metrics';
