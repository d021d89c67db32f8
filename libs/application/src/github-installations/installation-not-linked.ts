import { ValidationError } from '@repoguard/domain';

/** 422 naming the field: the org has no live installation with the id given. */
export function installationNotLinked(): ValidationError {
  return new ValidationError(
    'No such GitHub App installation in this organization',
    [{ field: 'installation_id', problem: 'is not an installation linked to this organization' }],
    'GITHUB_INSTALLATION_NOT_FOUND',
  );
}
