export * from './domain.error';
export * from './integration.error';
