import { Octokit } from '@octokit/rest';
import {
  IntegrationUnavailableError,
  isObject,
  NotFoundError,
  type ManifestReader,
  type ManifestSource,
  type RepositoryDescription,
  type RepositoryDirectory,
  type RepoCoordinates,
  type ResolvedCommit,
  type TreeBlob,
} from '@repoguard/domain';
import { describeGithubFailure, transientGithubFailure } from './github-request-failure';
import { bindManifestReader, type RepoKeyedManifestReader } from '../shared/bound-manifest-reader';
import { positiveInteger } from '../shared/values';

export interface GithubManifestSourceOptions {
  /** `https://api.github.com`, a GitHub Enterprise `https://ghe.example.com/api/v3`, or a stand-in. */
  readonly baseUrl: string;
  /** Without one, public repositories are read anonymously. */
  readonly token?: string;
  readonly userAgent?: string;
  /** Per HTTP request, body included. Default 30 s. */
  readonly timeoutMs?: number;
  /** Sends every request; default the global fetch (the apps pass an instrumented one). */
  readonly fetch?: typeof fetch;
}

/** A repository as GitHub describes it, with whether anyone may read it. */
export interface GithubRepositoryDescription extends RepositoryDescription {
  /** `private: false` and (where GitHub says) `visibility: public`; private and internal are not. */
  readonly isPublic: boolean;
}

/** One entry of a git tree as GitHub's trees API lists it. */
interface TreeEntry {
  readonly path: string;
  readonly mode: string;
  readonly type: string;
  readonly sha: string;
  readonly size?: number;
}

interface TreeAnswer {
  readonly entries: TreeEntry[];
  readonly truncated: boolean;
}

/** What a failed call was doing, for the error message and for what a 404/422 means. */
interface CallContext {
  readonly what: string;
  readonly missing: () => NotFoundError;
}

// A git symlink is a blob whose content is the target path: never a manifest to parse.
const SYMLINK_MODE = '120000';
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The ManifestSource over GitHub's REST API. It never retries: every failure a retry may fix
 * becomes an IntegrationUnavailableError and the calling activity's retry policy decides.
 */
export class GithubManifestSource implements ManifestSource, RepositoryDirectory, RepoKeyedManifestReader {
  private readonly octokit: Octokit;
  private readonly timeoutMs: number;
  private readonly authenticated: boolean;

  constructor(options: GithubManifestSourceOptions) {
    this.timeoutMs = positiveInteger(options.timeoutMs, 30_000, 'timeoutMs');
    this.authenticated = options.token !== undefined && options.token !== '';
    // No retry or throttling plugin is composed in, so there is no `retries` option to turn off.
    this.octokit = new Octokit({
      baseUrl: options.baseUrl.replace(/(?<!\/)\/+$/, ''),
      userAgent: options.userAgent ?? 'repoguard',
      ...(this.authenticated ? { auth: options.token } : {}),
      ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
      // The request-log plugin prints every failed request; ours are thrown as domain errors and
      // the activity reports them, so printing them here too would only double the noise.
      log: { debug: noop, info: noop, warn: console.warn.bind(console), error: noop },
    });
  }

  /** Nothing to look up: this client's token (or none) reads every repository. */
  forRepository(repo: RepoCoordinates): Promise<ManifestReader> {
    return Promise.resolve(bindManifestReader(() => Promise.resolve(this), repo));
  }

  async resolveCommit(repo: RepoCoordinates, ref?: string): Promise<ResolvedCommit> {
    // A push names its branch as refs/heads/<name>; the commits endpoint takes the branch name.
    const wanted = ref?.replace(/^refs\/heads\//, '') ?? (await this.defaultBranch(repo));
    return this.orRepoMissing(repo, () =>
      this.call(
        {
          what: `GET /repos/${slug(repo)}/commits/${wanted}`,
          missing: () => new NotFoundError('REF_NOT_FOUND', `Ref ${wanted} was not found in ${slug(repo)}`),
        },
        async (signal) => {
          const { data } = await this.octokit.rest.repos.getCommit({
            ...params(repo),
            ref: wanted,
            request: { signal },
          });
          const sha: unknown = isObject(data) ? data['sha'] : undefined;
          if (typeof sha !== 'string' || !SHA.test(sha)) throw unusable(`the commit of ${wanted} has no sha`);
          return { sha, ref: wanted };
        },
      ),
    );
  }

  async listTree(repo: RepoCoordinates, commitSha: string): Promise<TreeBlob[]> {
    const entries = await this.orRepoMissing(repo, async () => {
      const root = await this.tree(repo, commitSha, true, commitSha);
      return root.truncated ? this.walk(repo, commitSha, '', commitSha) : root.entries;
    });
    return entries
      .filter((entry) => entry.type === 'blob' && entry.mode !== SYMLINK_MODE)
      .map((entry): TreeBlob => {
        if (entry.size === undefined) throw unusable(`tree entry ${entry.path} has no size`);
        return { path: entry.path, sha: entry.sha, size: entry.size };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async readBlob(repo: RepoCoordinates, blobSha: string): Promise<Uint8Array> {
    return this.orRepoMissing(repo, () =>
      this.call(
        {
          what: `GET /repos/${slug(repo)}/git/blobs/${blobSha}`,
          missing: () =>
            new NotFoundError('BLOB_NOT_FOUND', `Blob ${blobSha} was not found in ${slug(repo)}`),
        },
        async (signal) => {
          const { data } = await this.octokit.rest.git.getBlob({
            ...params(repo),
            file_sha: blobSha,
            request: { signal },
          });
          const record: Record<string, unknown> = isObject(data) ? data : {};
          const { content, encoding, size } = record;
          if (typeof content !== 'string') throw unusable(`blob ${blobSha} has no content`);
          // GitHub sends base64 wrapped at 60 columns; Buffer's decoder skips the newlines.
          const bytes = Buffer.from(content, encoding === 'utf-8' ? 'utf8' : 'base64');
          if (typeof size === 'number' && size !== bytes.length) {
            throw unusable(`blob ${blobSha} decodes to ${bytes.length} bytes, not the ${size} announced`);
          }
          return new Uint8Array(bytes);
        },
      ),
    );
  }

  /**
   * GitHub's compare API (`merge_base_commit`); one commit asked for, as only the merge base is
   * read. Commits without a common ancestor (GitHub's 404) have none.
   */
  async mergeBase(repo: RepoCoordinates, baseSha: string, headSha: string): Promise<string | null> {
    const basehead = `${baseSha}...${headSha}`;
    try {
      return await this.call(
        {
          what: `GET /repos/${slug(repo)}/compare/${basehead}`,
          missing: () => new NotFoundError('REF_NOT_FOUND', `${basehead} has no merge base in ${slug(repo)}`),
        },
        async (signal) => {
          const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
            ...params(repo),
            basehead,
            per_page: 1,
            request: { signal },
          });
          const sha: unknown =
            isObject(data) && isObject(data.merge_base_commit) ? data.merge_base_commit.sha : undefined;
          if (typeof sha !== 'string' || !SHA.test(sha))
            throw unusable(`the comparison ${basehead} has no merge base`);
          return sha;
        },
      );
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  private async defaultBranch(repo: RepoCoordinates): Promise<string> {
    return (await this.describeRepository(repo)).defaultBranch;
  }

  /** The repository as GitHub names it now (case, renames), or REPO_NOT_FOUND. */
  async describeRepository(repo: RepoCoordinates): Promise<GithubRepositoryDescription> {
    return this.call(
      {
        what: `GET /repos/${slug(repo)}`,
        missing: () =>
          new NotFoundError(
            'REPO_NOT_FOUND',
            `Repository ${slug(repo)} was not found on GitHub (or the token cannot see it)`,
          ),
      },
      async (signal) => {
        const { data } = await this.octokit.rest.repos.get({ ...params(repo), request: { signal } });
        const branch: unknown = isObject(data) ? data['default_branch'] : undefined;
        if (typeof branch !== 'string' || branch === '')
          throw unusable(`${slug(repo)} has no default branch`);
        const owner =
          isObject(data.owner) && typeof data.owner['login'] === 'string' ? data.owner['login'] : repo.owner;
        return {
          owner,
          name: typeof data.name === 'string' && data.name !== '' ? data.name : repo.name,
          defaultBranch: branch,
          externalId: typeof data.id === 'number' ? String(data.id) : null,
          // Anything GitHub does not plainly call public counts as private.
          isPublic:
            data.private === false &&
            ((data as { visibility?: unknown }).visibility ?? 'public') === 'public',
        };
      },
    );
  }

  /**
   * GitHub answers 404 alike for a repository it does not show and for an object missing from
   * one: on a miss, asking for the repository tells the two apart.
   */
  private async orRepoMissing<T>(repo: RepoCoordinates, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof NotFoundError) await this.defaultBranch(repo);
      throw error;
    }
  }

  /**
   * The fallback for a recursive listing GitHub truncated (over 100,000 entries or 7 MB): this
   * tree level without recursion, then each sub-tree recursively, descending further only into
   * sub-trees that are truncated too. Serial, as GitHub asks of one client.
   */
  private async walk(
    repo: RepoCoordinates,
    treeSha: string,
    prefix: string,
    commitSha: string,
  ): Promise<TreeEntry[]> {
    const level = await this.tree(repo, treeSha, false, commitSha);
    if (level.truncated) throw unusable(`GitHub truncated the single level of tree ${treeSha}`);
    const entries: TreeEntry[] = [];
    for (const entry of level.entries) {
      const path = `${prefix}${entry.path}`;
      entries.push({ ...entry, path });
      if (entry.type !== 'tree') continue;
      const sub = await this.tree(repo, entry.sha, true, commitSha);
      if (sub.truncated) {
        entries.push(...(await this.walk(repo, entry.sha, `${path}/`, commitSha)));
      } else {
        entries.push(...sub.entries.map((child) => ({ ...child, path: `${path}/${child.path}` })));
      }
    }
    return entries;
  }

  private tree(
    repo: RepoCoordinates,
    treeSha: string,
    recursive: boolean,
    commitSha: string,
  ): Promise<TreeAnswer> {
    return this.call(
      {
        what: `GET /repos/${slug(repo)}/git/trees/${treeSha}${recursive ? '?recursive=1' : ''}`,
        missing: () =>
          new NotFoundError('REF_NOT_FOUND', `Commit ${commitSha} was not found in ${slug(repo)}`),
      },
      async (signal) => {
        const { data } = await this.octokit.rest.git.getTree({
          ...params(repo),
          tree_sha: treeSha,
          ...(recursive ? { recursive: '1' } : {}),
          request: { signal },
        });
        const tree: unknown = isObject(data) ? data['tree'] : undefined;
        if (!Array.isArray(tree)) throw unusable(`tree ${treeSha} has no entries`);
        const entries = tree.map((entry: unknown): TreeEntry => {
          if (
            !isObject(entry) ||
            typeof entry['path'] !== 'string' ||
            typeof entry['mode'] !== 'string' ||
            typeof entry['type'] !== 'string' ||
            typeof entry['sha'] !== 'string'
          ) {
            throw unusable(`tree ${treeSha} holds an entry without path, mode, type and sha`);
          }
          const { path, mode, type, sha, size } = entry;
          return typeof size === 'number' ? { path, mode, type, sha, size } : { path, mode, type, sha };
        });
        return { entries, truncated: isObject(data) && data['truncated'] === true };
      },
    );
  }

  /** One request under its own timeout; every failure comes out as a domain error. */
  private async call<T>(context: CallContext, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      return await send(signal);
    } catch (error) {
      throw this.toDomainError(error, context, signal.aborted);
    }
  }

  /** The one place GitHub failures become domain errors. Messages never carry the token. */
  private toDomainError(error: unknown, context: CallContext, timedOut: boolean): Error {
    const { what } = context;
    if (timedOut) {
      return new IntegrationUnavailableError('github', 'timeout', `GitHub did not answer ${what} in time`);
    }
    if (error instanceof IntegrationUnavailableError) return error;
    const failure = describeGithubFailure(error);
    const transient = transientGithubFailure(failure, what);
    if (transient) return transient;
    const { status } = failure.response!;
    // 409: the repository is empty, so no ref of it names a commit.
    if (status === 404 || status === 422 || status === 409) return context.missing();
    if (status === 401) {
      const problem = this.authenticated ? 'rejected the configured token' : 'requires a token';
      return new IntegrationUnavailableError('github', 'auth', `GitHub ${problem} (401) for ${what}`);
    }
    if (status === 403) {
      return new IntegrationUnavailableError(
        'github',
        'auth',
        `GitHub refused ${what} (403): ${failure.message}`,
      );
    }
    return new IntegrationUnavailableError('github', 'other', `GitHub answered ${what} with ${status}`);
  }
}

function unusable(problem: string): IntegrationUnavailableError {
  return new IntegrationUnavailableError('github', 'other', `GitHub's answer is not usable: ${problem}`);
}

function params(repo: RepoCoordinates): { owner: string; repo: string } {
  return { owner: repo.owner, repo: repo.name };
}

function slug(repo: RepoCoordinates): string {
  return `${repo.owner}/${repo.name}`;
}

function noop(): void {}
