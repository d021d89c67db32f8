import { ValidationError } from '../errors';

export type GitUrlScheme = 'https' | 'ssh' | 'file';

export interface ParsedGitUrl {
  readonly scheme: GitUrlScheme;
  /** The host and the path's parent segments (a GitLab group and subgroups); a local directory's parents. */
  readonly owner: string;
  /** The last path segment, without `.git`. */
  readonly name: string;
}

const FIELD = 'git_url';

/**
 * Checks a repository's git URL and names it the way GitHub repositories are named. https, ssh and
 * file URLs only; a password in the URL is refused, because URLs get logged and stored: https
 * credentials belong in the repository's encrypted secret.
 */
export function parseGitUrl(value: string): ParsedGitUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('must be an https://, ssh:// or file:// URL');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'https' && scheme !== 'ssh' && scheme !== 'file') {
    throw invalid(`scheme ${scheme}:// is not supported; use https://, ssh:// or file://`);
  }
  if (url.password || (scheme === 'https' && url.username)) {
    throw invalid("must not carry credentials; store them as the repository's git credentials instead");
  }
  if (url.search || url.hash) throw invalid('must not have a query or fragment');
  if (scheme !== 'file' && !url.hostname) throw invalid('needs a host');
  const segments = decodeURIComponent(url.pathname)
    .split('/')
    .filter((s) => s.length > 0);
  const last = segments.pop()?.replace(/\.git$/, '');
  if (!last) throw invalid('needs a repository path');
  // The host is part of the owner: two servers may both have a `platform/api`.
  const owner = [...(scheme === 'file' ? [] : [url.host]), ...segments].join('/') || url.host;
  return { scheme, owner: clip(owner), name: clip(last) };
}

// Names are for display and search; the URL stays the repository's identity.
function clip(text: string): string {
  return text.length > 100 ? text.slice(text.length - 100) : text;
}

function invalid(problem: string): ValidationError {
  return new ValidationError(`git_url ${problem}`, [{ field: FIELD, problem }], 'INVALID_GIT_URL');
}
