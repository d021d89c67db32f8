export * from './github-manifest-source';
