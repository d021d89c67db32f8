export * from './github-manifest-source';
export * from './webhook-signature';
export * from './org-credentials-github-source';
export * from './github-app-key';
export * from './github-app-installation-tokens';
export * from './octokit-github-user-authorization';
export * from './github-pull-request-check-publisher';
export * from './github-request-failure';
