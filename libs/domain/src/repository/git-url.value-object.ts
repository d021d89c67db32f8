import { ValidationError } from '../errors';

export type GitUrlScheme = 'https' | 'ssh' | 'file';

export interface ParsedGitUrl {
  readonly scheme: GitUrlScheme;
  /** The host and the path's parent segments (a GitLab group and subgroups); a local directory's parents. */
  readonly owner: string;
  /** The last path segment, without `.git`. */
  readonly name: string;
  /** The host git connects to: lower-case for https, IPv6 without brackets; '' for file://. */
  readonly host: string;
  /** The port git connects to: the URL's or the scheme's (443, 22); 0 for file://. */
  readonly port: number;
}

const FIELD = 'git_url';
const DEFAULT_PORTS: Record<GitUrlScheme, number> = { https: 443, ssh: 22, file: 0 };
// URL parsers drop tabs and newlines and read `\` as `/`; git's and curl's may not: such a URL
// could name one host to us and another to git.
function ambiguous(value: string): boolean {
  return /[\s\\]/.test(value) || [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

/**
 * Checks a repository's git URL and names it the way GitHub repositories are named. https, ssh and
 * file URLs only; a password in the URL is refused, because URLs get logged and stored: https
 * credentials belong in the repository's encrypted secret.
 */
export function parseGitUrl(value: string): ParsedGitUrl {
  if (ambiguous(value) && !/^file:/i.test(value)) {
    throw invalid('must not contain whitespace, control characters or backslashes');
  }
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
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    // new URL keeps a stray `%` as it is; decoding it throws (URIError), which is the caller's input.
    throw invalid('path is not valid percent-encoding');
  }
  const segments = path.split('/').filter((s) => s.length > 0);
  const last = segments.pop()?.replace(/\.git$/, '');
  if (!last) throw invalid('needs a repository path');
  // The host is part of the owner: two servers may both have a `platform/api`.
  const owner = [...(scheme === 'file' ? [] : [url.host]), ...segments].join('/') || url.host;
  return {
    scheme,
    owner: clip(owner),
    name: clip(last),
    host: url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(),
    port: url.port ? Number(url.port) : DEFAULT_PORTS[scheme],
  };
}

/**
 * A git URL whose host this server must not connect to for a tenant (loopback, private, link-local,
 * ...): refused before any connection. A name's address is not echoed: it may be internal.
 */
export function gitHostRefused(host: string, range: string, literal: boolean): ValidationError {
  const problem = literal
    ? `host ${host} is a ${range} address; this server does not connect there (GIT_ALLOWED_HOSTS)`
    : `host ${host} resolves to an address this server does not connect to (GIT_ALLOWED_HOSTS)`;
  return new ValidationError(`git_url ${problem}`, [{ field: FIELD, problem }], 'GIT_URL_HOST_FORBIDDEN');
}

// Names are for display and search; the URL stays the repository's identity.
function clip(text: string): string {
  return text.length > 100 ? text.slice(text.length - 100) : text;
}

function invalid(problem: string): ValidationError {
  return new ValidationError(`git_url ${problem}`, [{ field: FIELD, problem }], 'INVALID_GIT_URL');
}
