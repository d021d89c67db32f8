export * from './git-cli-manifest-source';
export * from './git-url';
