export * from './github-manifest-source';
export * from './webhook-signature';
