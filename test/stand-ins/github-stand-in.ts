import { execFile, execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { sendJson } from './send-json';

export interface GithubStandInRequest {
  readonly method: string;
  /** Decoded path without the query, e.g. `/repos/acme/web/git/trees/<sha>`. */
  readonly path: string;
  /** The raw query string without `?`, when there was one (e.g. `recursive=1`). */
  readonly query?: string;
}

export interface GithubStandInOptions {
  /** When set, requests must carry `Authorization: token <token>` (or `Bearer`), else 401. */
  readonly token?: string;
}

export interface TestRepo {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  /** The working directory; its `.git` is what the stand-in serves. */
  readonly path: string;
  /**
   * Writes the files (`null` deletes one), commits everything in the working directory on
   * `branch` (default: the default branch, created on first use) and returns the commit SHA.
   */
  commit(
    files: Record<string, string | Uint8Array | null>,
    message?: string,
    branch?: string,
  ): Promise<string>;
  /** A branch at `from` (a branch, tag or SHA; default: the default branch). */
  createBranch(name: string, from?: string): Promise<void>;
  /** An annotated tag at `from` (default: the default branch). */
  tag(name: string, from?: string): Promise<void>;
}

export interface GithubStandIn {
  /** Base URL to give Octokit, e.g. http://127.0.0.1:43121 (no trailing slash). */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: GithubStandInRequest[];
  /** `privateToken`: a private repository, visible only to requests with that token (others get 404, as on GitHub). */
  createRepo(
    owner: string,
    name: string,
    options?: { defaultBranch?: string; privateToken?: string },
  ): Promise<TestRepo>;
  /** The next `count` requests get `status` (with GitHub's error body and `headers`) instead of an answer. */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** The next request is never answered (until `close`). */
  hangNext(): void;
  /** While on, recursive tree answers say `truncated: true` and hold only part of the tree. */
  setTruncateTrees(truncate: boolean): void;
  /** Clears the request log and any pending faults. */
  reset(): void;
  close(): Promise<void>;
}

interface Failure {
  readonly status: number;
  readonly headers: Record<string, string>;
}

interface RepoRecord {
  readonly id: number;
  readonly repo: TestRepo;
  readonly privateToken?: string;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const DOCS = 'https://docs.github.com/rest';
const SHA1 = /^[0-9a-f]{40}$/;
const AUTHOR = ['-c', 'user.name=RepoGuard Test', '-c', 'user.email=test@repoguard.invalid'];
// The machine's own git configuration (autocrlf, signing, hooks paths) must not change what is committed.
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

/**
 * A GitHub REST stand-in on the loopback, serving real git repositories the test builds with the
 * git CLI: `GET /repos/{o}/{r}`, `/commits/{ref}`, `/git/trees/{sha}` and `/git/blobs/{sha}` in
 * GitHub's shapes (422 for an unknown ref, 409 for an empty repository, 60-column base64 blobs),
 * with token checking and fault injection for the adapter's error paths.
 */
export async function startGithubStandIn(options: GithubStandInOptions = {}): Promise<GithubStandIn> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-gh-'));
  const repos = new Map<string, RepoRecord>();
  const requests: GithubStandInRequest[] = [];
  let failures: Failure[] = [];
  let hangs = 0;
  let truncateTrees = false;
  let url = '';

  const apiUrl = (owner: string, name: string, rest = '') => `${url}/repos/${owner}/${name}${rest}`;

  const repoAnswer = (record: RepoRecord): Answer => {
    const { id, repo } = record;
    return {
      status: 200,
      body: {
        id,
        node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
        name: repo.name,
        full_name: `${repo.owner}/${repo.name}`,
        owner: { login: repo.owner, id: 1000 + id, type: 'Organization' },
        private: record.privateToken !== undefined,
        visibility: record.privateToken !== undefined ? 'private' : 'public',
        fork: false,
        archived: false,
        description: null,
        default_branch: repo.defaultBranch,
        html_url: `${url}/${repo.owner}/${repo.name}`,
        url: apiUrl(repo.owner, repo.name),
      },
    };
  };

  const commitAnswer = async ({ repo }: RepoRecord, ref: string): Promise<Answer> => {
    if (!(await hasCommits(repo.path))) return githubError(409, 'Git Repository is empty.');
    const sha = await resolveRef(repo.path, ref, 'commit');
    if (!sha) return githubError(422, `No commit found for SHA: ${ref}`);
    const fields = (
      await gitAsync(repo.path, [
        'show',
        '-s',
        '--format=%T%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B',
        sha,
      ])
    ).toString('utf8');
    const [tree, parents, an, ae, ad, cn, ce, cd, ...message] = fields.split('\0');
    const commitUrl = apiUrl(repo.owner, repo.name, `/commits/${sha}`);
    return {
      status: 200,
      body: {
        sha,
        node_id: Buffer.from(`04:Commit${sha}`).toString('base64'),
        url: commitUrl,
        html_url: `${url}/${repo.owner}/${repo.name}/commit/${sha}`,
        commit: {
          author: { name: an, email: ae, date: ad },
          committer: { name: cn, email: ce, date: cd },
          message: message.join('\0').trimEnd(),
          tree: { sha: tree, url: apiUrl(repo.owner, repo.name, `/git/trees/${tree}`) },
          url: apiUrl(repo.owner, repo.name, `/git/commits/${sha}`),
          comment_count: 0,
        },
        author: null,
        committer: null,
        parents: (parents ?? '')
          .split(' ')
          .filter((parent) => parent !== '')
          .map((parent) => ({ sha: parent, url: apiUrl(repo.owner, repo.name, `/commits/${parent}`) })),
      },
    };
  };

  const treeAnswer = async ({ repo }: RepoRecord, treeish: string, recursive: boolean): Promise<Answer> => {
    const tree = await resolveRef(repo.path, treeish, 'tree');
    if (!tree) return githubError(404, 'Not Found');
    const listing = await gitAsync(repo.path, [
      'ls-tree',
      '-l',
      '-z',
      ...(recursive ? ['-r', '-t'] : []),
      tree,
    ]);
    let entries = listing
      .toString('utf8')
      .split('\0')
      .filter((record) => record !== '')
      .map((record) => {
        // `<mode> <type> <sha> <size, space-padded; '-' for trees>\t<path>`
        const tab = record.indexOf('\t');
        const [mode, type, sha, size] = record.slice(0, tab).split(/ +/) as [string, string, string, string];
        const entryPath = record.slice(tab + 1);
        const kind = type === 'blob' ? 'blobs' : 'trees';
        return {
          path: entryPath,
          mode,
          type,
          sha,
          ...(type === 'blob' ? { size: Number(size) } : {}),
          ...(type === 'commit' ? {} : { url: apiUrl(repo.owner, repo.name, `/git/${kind}/${sha}`) }),
        };
      });
    const truncated = recursive && truncateTrees;
    if (truncated) entries = entries.slice(0, Math.ceil(entries.length / 2));
    return {
      status: 200,
      body: { sha: tree, url: apiUrl(repo.owner, repo.name, `/git/trees/${tree}`), tree: entries, truncated },
    };
  };

  const blobAnswer = async ({ repo }: RepoRecord, sha: string): Promise<Answer> => {
    if (!SHA1.test(sha)) {
      return githubError(422, 'The sha parameter must be exactly 40 characters and contain only [0-9a-f].');
    }
    const type = await gitAsync(repo.path, ['cat-file', '-t', sha]).catch(() => undefined);
    if (type?.toString('utf8').trim() !== 'blob') return githubError(404, 'Not Found');
    const bytes = await gitAsync(repo.path, ['cat-file', 'blob', sha]);
    return {
      status: 200,
      body: {
        sha,
        node_id: Buffer.from(`04:Blob${sha}`).toString('base64'),
        size: bytes.length,
        url: apiUrl(repo.owner, repo.name, `/git/blobs/${sha}`),
        content: wrapBase64(bytes.toString('base64')),
        encoding: 'base64',
      },
    };
  };

  const route = async (
    method: string,
    segments: string[],
    query: URLSearchParams,
    token: string | undefined,
  ): Promise<Answer> => {
    if (method !== 'GET' || segments[0] !== 'repos' || segments.length < 3)
      return githubError(404, 'Not Found');
    const record = repos.get(repoKey(segments[1]!, segments[2]!));
    if (!record || (record.privateToken !== undefined && record.privateToken !== token)) {
      return githubError(404, 'Not Found');
    }
    const rest = segments.slice(3);
    if (rest.length === 0) return repoAnswer(record);
    // A ref may hold slashes, sent encoded (Octokit) or not.
    if (rest[0] === 'commits' && rest.length >= 2) return commitAnswer(record, rest.slice(1).join('/'));
    if (rest[0] === 'git' && rest[1] === 'trees' && rest.length >= 3) {
      // GitHub recurses for any value of `recursive`, even `0` or `false`.
      return treeAnswer(record, rest.slice(2).join('/'), query.has('recursive'));
    }
    if (rest[0] === 'git' && rest[1] === 'blobs' && rest.length === 3) return blobAnswer(record, rest[2]!);
    return githubError(404, 'Not Found');
  };

  const tokenOf = (req: IncomingMessage): string | undefined =>
    /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const authorized = (req: IncomingMessage): boolean =>
    options.token === undefined || tokenOf(req) === options.token;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const target = new URL(req.url ?? '/', 'http://stand-in');
    const segments = target.pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
    const query = target.search.slice(1);
    requests.push({ method, path: `/${segments.join('/')}`, ...(query ? { query } : {}) });
    req.resume(); // GET bodies are not read, but must be drained

    if (hangs > 0) {
      hangs -= 1;
      return; // never answered; `close` destroys the socket
    }
    const failure = failures.shift();
    if (failure) {
      const { body } = githubError(failure.status, 'Injected failure');
      send(res, failure.status, body, failure.headers);
      return;
    }
    if (!authorized(req)) {
      send(res, 401, githubError(401, 'Bad credentials').body);
      return;
    }
    const answer = await route(method, segments, target.searchParams, tokenOf(req));
    send(res, answer.status, answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) send(res, 500, githubError(500, String(error)).body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const idBase = randomInt(1, 2 ** 40) * 1000;
  return {
    url,
    requests,
    async createRepo(owner, name, { defaultBranch = 'main', privateToken } = {}) {
      const key = repoKey(owner, name);
      if (repos.has(key)) throw new Error(`the stand-in already has ${owner}/${name}`);
      checkRefName(defaultBranch);
      // GitHub's repository ids are unique across GitHub: tests share one database, so each
      // stand-in draws its own range rather than reusing 1, 2, 3…
      const id = idBase + repos.size + 1;
      const dir = path.join(root, `${id}-${safeName(owner)}-${safeName(name)}`);
      fs.mkdirSync(dir);
      git(dir, ['init', '-q', '-b', defaultBranch]);
      const repo = createTestRepo(owner, name, defaultBranch, dir);
      repos.set(key, { id, repo, ...(privateToken !== undefined ? { privateToken } : {}) });
      return repo;
    },
    failNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, headers });
    },
    hangNext() {
      hangs += 1;
    },
    setTruncateTrees(truncate) {
      truncateTrees = truncate;
    },
    reset() {
      requests.length = 0;
      failures = [];
      hangs = 0;
      truncateTrees = false;
    },
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung and keep-alive connections would hold `close` open forever.
        server.closeAllConnections();
      });
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

function createTestRepo(owner: string, name: string, defaultBranch: string, dir: string): TestRepo {
  return {
    owner,
    name,
    defaultBranch,
    path: dir,
    async commit(files, message = 'commit', branch = defaultBranch) {
      checkRefName(branch);
      if (!hasCommitsSync(dir)) {
        // Nothing to switch from: the first commit simply lands on the named branch.
        git(dir, ['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
      } else if (git(dir, ['symbolic-ref', '--short', 'HEAD']).toString('utf8').trim() !== branch) {
        const exists =
          tryGit(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]) !== undefined;
        git(dir, exists ? ['switch', '-q', branch] : ['switch', '-q', '-c', branch]);
      }
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(dir, checkFilePath(file));
        if (content === null) {
          fs.rmSync(target, { force: true });
        } else {
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(target, content);
        }
      }
      git(dir, ['add', '-A']);
      git(dir, [...AUTHOR, 'commit', '-q', '--allow-empty', '--no-verify', '-m', message]);
      return git(dir, ['rev-parse', 'HEAD']).toString('utf8').trim();
    },
    async createBranch(branch, from = defaultBranch) {
      checkRefName(branch);
      checkRefName(from);
      git(dir, ['branch', branch, from]);
    },
    async tag(tagName, from = defaultBranch) {
      checkRefName(tagName);
      checkRefName(from);
      git(dir, [...AUTHOR, 'tag', '-a', '-m', tagName, tagName, from]);
    },
  };
}

/** What GitHub's commits and trees endpoints accept: a branch, a tag, or a (short) SHA. */
async function resolveRef(dir: string, ref: string, kind: 'commit' | 'tree'): Promise<string | undefined> {
  if (ref.startsWith('-')) return undefined;
  const candidates = [`refs/heads/${ref}`, `refs/tags/${ref}`];
  if (/^[0-9a-f]{4,40}$/.test(ref)) candidates.push(ref);
  for (const candidate of candidates) {
    const found = await gitAsync(dir, ['rev-parse', '--verify', '--quiet', `${candidate}^{${kind}}`]).catch(
      () => undefined,
    );
    if (found) return found.toString('utf8').trim();
  }
  return undefined;
}

async function hasCommits(dir: string): Promise<boolean> {
  return (await gitAsync(dir, ['for-each-ref', '--count=1', 'refs/heads'])).toString('utf8').trim() !== '';
}

function hasCommitsSync(dir: string): boolean {
  return tryGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']) !== undefined;
}

function git(dir: string, args: string[]): Buffer {
  return execFileSync('git', ['-C', dir, ...args], {
    env: GIT_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1024 * 1024 * 1024,
  });
}

function tryGit(dir: string, args: string[]): Buffer | undefined {
  try {
    return git(dir, args);
  } catch {
    return undefined;
  }
}

/** Asynchronous, so a large blob does not stall the test's own client on the same event loop. */
function gitAsync(dir: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-C', dir, ...args],
      { env: GIT_ENV, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

/** GitHub's error body. */
function githubError(status: number, message: string): Answer {
  return { status, body: { message, documentation_url: DOCS, status: String(status) } };
}

/** GitHub wraps blob base64 at 60 columns, each line ending in a newline. */
function wrapBase64(base64: string): string {
  let wrapped = '';
  for (let i = 0; i < base64.length; i += 60) wrapped += `${base64.slice(i, i + 60)}\n`;
  return wrapped;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const requestId = { 'x-github-request-id': `STAND-IN:${Date.now().toString(16)}` };
  sendJson(res, status, body, { ...requestId, ...headers }, 'application/json; charset=utf-8');
}

/** GitHub treats owner and repository names case-insensitively. */
function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

function safeName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_');
}

function checkRefName(name: string): void {
  if (name === '' || name.startsWith('-') || /[\s~^:?*[\\]/.test(name)) {
    throw new Error(`not a usable ref name: ${JSON.stringify(name)}`);
  }
}

function checkFilePath(file: string): string {
  const parts = file.split('/');
  if (
    path.isAbsolute(file) ||
    parts.some((part) => part === '' || part === '.' || part === '..' || part === '.git')
  ) {
    throw new Error(`not a repository-relative file path: ${JSON.stringify(file)}`);
  }
  return file;
}
