export * from './git-cli-manifest-source';
export * from './provider-routing-manifest-source';
export * from './stored-git-credentials';
export * from './sealed-ssh-deploy-key';
export * from './stored-org-ssh-keys';
