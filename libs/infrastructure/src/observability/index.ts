export * from './integration-metrics';
export * from './instrument-fetch';
export * from './scan-queue-metrics';
export * from './scan-metrics.query';
