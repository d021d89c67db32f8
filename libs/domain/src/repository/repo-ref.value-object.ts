import { ValidationError } from '../errors';

// GitHub's own limits: owner up to 39 chars of [A-Za-z0-9-], repo up to 100 of [A-Za-z0-9._-].
const OWNER = /^[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){0,38}$/i;
const NAME = /^[\w.-]{1,100}$/;

// URL forms first: `git@github.com:owner/name.git` would otherwise read as a bare owner/name.
const FORMS = [
  /^https?:\/\/(?:www\.)?github\.com\/(?<owner>[^/\s]+)\/(?<name>[^/\s]+?)(?:\.git)?\/?$/,
  /^git@github\.com:(?<owner>[^/\s]+)\/(?<name>[^/\s]+?)\.git$/,
  /^(?<owner>[^/\s]+)\/(?<name>[^/\s]+)$/,
];

/** A GitHub repository named by owner and name, whichever of the usual forms it came in. */
export class RepoRef {
  private constructor(
    readonly owner: string,
    readonly name: string,
  ) {}

  static parse(input: string, field = 'repo'): RepoRef {
    const text = input.trim();
    for (const form of FORMS) {
      const groups = form.exec(text)?.groups;
      if (!groups) continue;
      const owner = groups['owner'] ?? '';
      const name = (groups['name'] ?? '').replace(/\.git$/, '');
      if (!OWNER.test(owner)) {
        throw invalid(field, `owner "${owner}" is not a valid GitHub user or organization name`);
      }
      if (!NAME.test(name) || name === '.' || name === '..') {
        throw invalid(field, `repository name "${name}" is not valid`);
      }
      return new RepoRef(owner, name);
    }
    throw invalid(
      field,
      'expected owner/name, https://github.com/owner/name(.git) or git@github.com:owner/name.git',
    );
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** GitHub treats owner and name case-insensitively. */
  equals(other: RepoRef): boolean {
    return this.fullName.toLowerCase() === other.fullName.toLowerCase();
  }

  toString(): string {
    return this.fullName;
  }
}

function invalid(field: string, problem: string): ValidationError {
  return new ValidationError(
    `Invalid repository reference: ${problem}`,
    [{ field, problem }],
    'REPO_REF_INVALID',
  );
}
