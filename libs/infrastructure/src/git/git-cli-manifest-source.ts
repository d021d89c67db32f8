import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  instanceSshKeyServes,
  IntegrationUnavailableError,
  NotFoundError,
  selectManifestPaths,
  sshDeployKeyRequired,
  ValidationError,
  type ManifestReader,
  type ManifestSource,
  type RepoCoordinates,
  type RepositoryDescription,
  type RepositoryDirectory,
  type ResolvedCommit,
  type TreeBlob,
  gitHostRefused,
  parseGitUrl,
  type OutboundAddressPolicy,
} from '@repoguard/domain';
import { IpaddrOutboundAddressPolicy } from '../network/ipaddr-outbound-address-policy';
import { type RepoKeyedManifestReader } from '../shared/bound-manifest-reader';

/** What to log in with over https; looked up per repository, never part of the URL. */
export interface GitHttpCredentials {
  readonly username: string;
  readonly password: string;
}

export interface GitCredentials {
  credentialsFor(repo: RepoCoordinates): Promise<GitHttpCredentials | null>;
}

/** What an org may reach ssh:// remotes with besides the instance key the operator lends it. */
export interface OrgSshKeys {
  /** The org's own deploy key (an OpenSSH private key), or null when it has none. */
  deployKeyOf(orgId: string): Promise<string | null>;
  /** The org's slug (GIT_SSH_KEY_ORGS may name orgs by slug); null for an unknown or deleted org. */
  slugOf(orgId: string): Promise<string | null>;
}

/** The one key an ssh:// remote is read with. */
type SshIdentity =
  | { readonly kind: 'instance'; readonly keyPath: string }
  | { readonly kind: 'deploy_key'; readonly privateKey: string };

export interface GitCliManifestSourceOptions {
  /** One blob-less bare clone per repository lives below it. */
  readonly cacheDir: string;
  readonly timeoutMs?: number;
  /** file:// reads the worker's own disk: only when the operator allows it (demo, tests). */
  readonly allowFileUrls?: boolean;
  /** A CA bundle for self-hosted servers (GIT_SSL_CAINFO). */
  readonly caFile?: string;
  /** The instance's private key for ssh:// remotes, lent only to the orgs in `sshKeyOrgs`. */
  readonly sshKeyPath?: string;
  /** GIT_SSH_KEY_ORGS: the org ids or slugs the instance key serves (`*`: every org). Default: none. */
  readonly sshKeyOrgs?: readonly string[];
  /** Orgs' own ssh deploy keys; without them an org reaches ssh:// only with the instance key, if lent. */
  readonly orgSshKeys?: OrgSshKeys | null;
  readonly credentials?: GitCredentials | null;
  /**
   * Which hosts a git URL may reach; default: public unicast addresses only. The address it
   * judged is the one git connects to.
   */
  readonly outbound?: OutboundAddressPolicy;
  /** How long `git ls-remote` (the check at connect, the default branch at scan) may take: at most 10 s. */
  readonly probeTimeoutMs?: number;
}

/**
 * A repository, its https login, its ssh identity and where it may be reached: each looked up at
 * most once (on the first git call that needs it), so every call through one reader connects to
 * the same address.
 */
interface Remote {
  readonly repo: RepoCoordinates;
  readonly login: () => Promise<GitHttpCredentials | null>;
  readonly target: () => Promise<GitTarget>;
  readonly sshIdentity: () => Promise<SshIdentity>;
}

/** The URL git is given, and the settings that hold it to the address the policy judged. */
interface GitTarget {
  readonly url: string;
  readonly config: readonly [string, string][];
  /** ssh:// connects here whatever the URL's host resolves to later. */
  readonly sshHostName?: string;
}

/** The environment one git run reaches ssh:// remotes with, and what to clean up after it. */
interface SshSetup {
  readonly command: string;
  readonly cleanup: () => Promise<void>;
}

const SHA = /^[0-9a-f]{40}$/;
const SYMLINK_MODE = '120000';
const MAX_OUTPUT = 256 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;
// A tenant can name a host that accepts and never answers: the check at connect waits no longer.
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Any git remote through the git CLI (GitLab, Bitbucket, Gitea, a local repository): a partial,
 * blob-less clone per repository, refreshed with `git fetch`, so only trees and the manifest blobs
 * are ever downloaded. Credentials travel in the child's environment, never in a URL or argv.
 */
export class GitCliManifestSource implements ManifestSource, RepositoryDirectory, RepoKeyedManifestReader {
  private readonly timeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly outbound: OutboundAddressPolicy;
  // Two scans of one repository must not fetch into the same clone at once.
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly options: GitCliManifestSourceOptions) {
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.probeTimeoutMs = Math.min(
      options.probeTimeoutMs ?? PROBE_TIMEOUT_MS,
      PROBE_TIMEOUT_MS,
      this.timeoutMs,
    );
    this.outbound = options.outbound ?? new IpaddrOutboundAddressPolicy();
  }

  async describeRepository(repo: RepoCoordinates): Promise<RepositoryDescription> {
    const url = this.urlOf(repo);
    const { owner, name } = parseGitUrl(url);
    const defaultBranch = await this.defaultBranch(this.remote(repo), url);
    return { owner, name, defaultBranch, externalId: null };
  }

  /** The login is looked up once for everything read through the reader. */
  forRepository(repo: RepoCoordinates): Promise<ManifestReader> {
    const remote = this.remote(repo);
    return Promise.resolve({
      resolveCommit: (ref) => this.resolveCommitOf(remote, ref),
      listTree: (commitSha) => this.listTreeOf(remote, commitSha),
      readBlob: (blobSha) => this.readBlobOf(remote, blobSha),
      mergeBase: (baseSha, headSha) => this.mergeBaseOf(remote, baseSha, headSha),
    });
  }

  resolveCommit(repo: RepoCoordinates, ref?: string): Promise<ResolvedCommit> {
    return this.resolveCommitOf(this.remote(repo), ref);
  }

  listTree(repo: RepoCoordinates, commitSha: string): Promise<TreeBlob[]> {
    return this.listTreeOf(this.remote(repo), commitSha);
  }

  readBlob(repo: RepoCoordinates, blobSha: string): Promise<Uint8Array> {
    return this.readBlobOf(this.remote(repo), blobSha);
  }

  mergeBase(repo: RepoCoordinates, baseSha: string, headSha: string): Promise<string | null> {
    return this.mergeBaseOf(this.remote(repo), baseSha, headSha);
  }

  private remote(repo: RepoCoordinates): Remote {
    const credentials = this.options.credentials;
    let login: Promise<GitHttpCredentials | null> | undefined;
    let target: Promise<GitTarget> | undefined;
    let identity: Promise<SshIdentity> | undefined;
    return {
      repo,
      login: () => (login ??= credentials ? credentials.credentialsFor(repo) : Promise.resolve(null)),
      target: () => (target ??= this.targetOf(this.urlOf(repo))),
      sshIdentity: () => (identity ??= this.sshIdentityOf(repo)),
    };
  }

  /**
   * Judges the URL's host before git runs, and pins what was judged: https through curl's resolve
   * list (the name is not looked up again), ssh through HostName. Redirects are not followed and
   * only https, ssh (and file, when allowed) may be spoken, so no answer can send git elsewhere.
   */
  private async targetOf(url: string): Promise<GitTarget> {
    const { scheme, host, port } = parseGitUrl(url);
    const protocols: [string, string][] = [
      ['protocol.allow', 'never'],
      ['protocol.https.allow', 'always'],
      ['protocol.ssh.allow', 'always'],
      ['protocol.file.allow', this.options.allowFileUrls ? 'always' : 'never'],
      ['http.followRedirects', 'false'],
    ];
    if (scheme === 'file') return { url, config: protocols };
    const verdict = await this.outbound.judge(host);
    if (!verdict.allowed) {
      if (verdict.reason === 'forbidden') throw gitHostRefused(host, verdict.range, verdict.literal);
      throw new IntegrationUnavailableError(
        'git',
        'network',
        `${displayUrl(url)}: could not resolve host ${host}`,
      );
    }
    const { address, family } = verdict.pin;
    if (scheme === 'ssh') return { url, config: protocols, sshHostName: address };
    // git is given the URL as parsed here (an IPv4 host in any notation becomes its dotted quad),
    // so curl reads the same host, port and path that were judged.
    const canonical = new URL(url).href;
    // https hosts come canonical: an IPv4 literal is a dotted quad, only IPv6 holds a colon.
    const isLiteral = /^[\d.]+$/.test(host) || host.includes(':');
    if (isLiteral) return { url: canonical, config: protocols };
    await requireResolvePinning();
    const pinned = `${host}:${port}:${family === 6 ? `[${address}]` : address}`;
    return { url: canonical, config: [...protocols, ['http.curloptResolve', pinned]] };
  }

  /**
   * The org's own deploy key, else the instance key when the operator lends it to this org; else
   * refused (SSH_DEPLOY_KEY_REQUIRED) before anything connects: the operator's key and the
   * process user's own ssh keys never serve a tenant nobody named.
   */
  private async sshIdentityOf(repo: RepoCoordinates): Promise<SshIdentity> {
    const { orgId } = repo;
    const { sshKeyPath, sshKeyOrgs = [], orgSshKeys } = this.options;
    if (!orgId) throw sshDeployKeyRequired();
    const own = orgSshKeys ? await orgSshKeys.deployKeyOf(orgId) : null;
    if (own) return { kind: 'deploy_key', privateKey: own };
    if (sshKeyPath && sshKeyOrgs.length > 0) {
      const byId = instanceSshKeyServes(sshKeyOrgs, { id: orgId, slug: null });
      const slug = byId || !orgSshKeys ? null : await orgSshKeys.slugOf(orgId);
      if (byId || (slug !== null && instanceSshKeyServes(sshKeyOrgs, { id: orgId, slug }))) {
        return { kind: 'instance', keyPath: sshKeyPath };
      }
    }
    throw sshDeployKeyRequired();
  }

  /**
   * GIT_SSH_COMMAND for one git run. An org's deploy key goes to a 0600 file of its own, removed
   * after the run; the operator's ssh config and agent are left out so no other key is offered.
   * Runs that need no ssh get a command that fails, so nothing falls back to default keys.
   */
  private async sshSetup(remote: Remote | null): Promise<SshSetup> {
    const none = { command: 'false', cleanup: () => Promise.resolve() };
    const gitUrl = remote?.repo.gitUrl;
    if (!remote || !gitUrl || parseGitUrl(gitUrl).scheme !== 'ssh') return none;
    const identity = await remote.sshIdentity();
    // Host keys remotes showed are written beside the clones (the operator's own pins are read too).
    await mkdir(this.options.cacheDir, { recursive: true });
    const knownHosts = `${path.join(this.options.cacheDir, 'known_hosts')} ~/.ssh/known_hosts`;
    const options = `-o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${shellQuote(knownHosts)}`;
    if (identity.kind === 'instance') {
      return { ...none, command: `ssh -i ${shellQuote(identity.keyPath)} -o IdentitiesOnly=yes ${options}` };
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'repoguard-ssh-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    try {
      const keyFile = path.join(dir, 'id_ed25519');
      const key = identity.privateKey.endsWith('\n') ? identity.privateKey : `${identity.privateKey}\n`;
      await writeFile(keyFile, key, { mode: 0o600, flag: 'wx' });
      return {
        command: [
          `ssh -F ${shellQuote(os.devNull)} -i ${shellQuote(keyFile)}`,
          `-o IdentitiesOnly=yes -o IdentityAgent=none ${options}`,
        ].join(' '),
        cleanup,
      };
    } catch (error) {
      await cleanup();
      throw error;
    }
  }

  private async resolveCommitOf(remote: Remote, ref?: string): Promise<ResolvedCommit> {
    const { repo } = remote;
    const url = this.urlOf(repo);
    return this.exclusive(this.cachePath(repo, url), async (dir) => {
      await this.sync(remote, url, dir);
      if (ref && SHA.test(ref)) {
        if (!(await this.hasCommit(dir, ref))) {
          // Not on any branch or tag we hold (a force-pushed commit, say): ask for it by id.
          await this.git(remote, ['fetch', '--filter=blob:none', 'origin', ref], dir).catch(() => undefined);
          if (!(await this.hasCommit(dir, ref))) throw refNotFound(url, ref);
        }
        return { sha: ref, ref };
      }
      const wanted = ref ?? (await this.defaultBranch(remote, url));
      const branch = wanted.replace(/^refs\/heads\//, '');
      for (const candidate of [`refs/heads/${branch}`, `refs/tags/${branch}`, wanted]) {
        const sha = await this.revParse(dir, candidate);
        if (sha) return { sha, ref: branch };
      }
      throw refNotFound(url, wanted);
    });
  }

  private async listTreeOf(remote: Remote, commitSha: string): Promise<TreeBlob[]> {
    const { repo } = remote;
    const url = this.urlOf(repo);
    return this.exclusive(this.cachePath(repo, url), async (dir) => {
      const listing = (
        await this.git(remote, ['ls-tree', '-r', '-z', '--full-tree', commitSha], dir)
      ).toString('utf8');
      const blobs = new Map<string, string>();
      for (const entry of listing.split('\0')) {
        const match = /^(\d+) (\w+) ([0-9a-f]{40})\t(.*)$/s.exec(entry);
        if (match && match[2] === 'blob' && match[1] !== SYMLINK_MODE) blobs.set(match[4]!, match[3]!);
      }
      // Sizes need the blobs themselves; only manifests are worth downloading, so only they are listed.
      const manifests = selectManifestPaths(blobs.keys()).map(({ path: p }) => ({
        path: p,
        sha: blobs.get(p)!,
      }));
      const sizes = await this.sizes(
        remote,
        dir,
        manifests.map((m) => m.sha),
      );
      return manifests.map((m) => ({ path: m.path, sha: m.sha, size: sizes.get(m.sha) ?? 0 }));
    });
  }

  /**
   * `git merge-base` in the blob-less clone (commits and trees are all there): both commits are
   * resolved first, fetched by id when no branch holds them. Exit 1 with no output: no common
   * ancestor.
   */
  private async mergeBaseOf(remote: Remote, baseSha: string, headSha: string): Promise<string | null> {
    await this.resolveCommitOf(remote, baseSha);
    await this.resolveCommitOf(remote, headSha);
    const url = this.urlOf(remote.repo);
    return this.exclusive(this.cachePath(remote.repo, url), async (dir) => {
      const out = await this.git(null, ['merge-base', baseSha, headSha], dir).catch(() => null);
      const sha = out?.toString('utf8').trim() ?? '';
      return SHA.test(sha) ? sha : null;
    });
  }

  private async readBlobOf(remote: Remote, blobSha: string): Promise<Uint8Array> {
    const { repo } = remote;
    const url = this.urlOf(repo);
    return this.exclusive(this.cachePath(repo, url), async (dir) => {
      try {
        return new Uint8Array(await this.git(remote, ['cat-file', 'blob', blobSha], dir));
      } catch (error) {
        if (error instanceof IntegrationUnavailableError) throw error;
        throw new NotFoundError('BLOB_NOT_FOUND', `${displayUrl(url)} has no blob ${blobSha}`);
      }
    });
  }

  private urlOf(repo: RepoCoordinates): string {
    if (!repo.gitUrl) throw new ValidationError(`${repo.owner}/${repo.name} has no git URL`);
    const { scheme } = parseGitUrl(repo.gitUrl);
    if (scheme === 'file' && !this.options.allowFileUrls) {
      throw new ValidationError('file:// repositories are not allowed on this instance', [
        { field: 'git_url', problem: 'file:// is disabled (GIT_ALLOW_FILE_URLS)' },
      ]);
    }
    return repo.gitUrl;
  }

  /** Per org and repository: a clone made with one org's credentials is never read for another. */
  private cachePath(repo: RepoCoordinates, url: string): string {
    const key = createHash('sha256')
      .update(`${repo.orgId ?? ''}\0${repo.repoId ?? ''}\0${url}`)
      .digest('hex')
      .slice(0, 24);
    return path.join(this.options.cacheDir, key);
  }

  private async sync(remote: Remote, url: string, dir: string): Promise<void> {
    if (!existsSync(path.join(dir, 'HEAD'))) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(path.dirname(dir), { recursive: true });
      const { url: remoteUrl } = await remote.target();
      await this.git(remote, ['clone', '--bare', '--filter=blob:none', '--no-tags', '--', remoteUrl, dir]);
    }
    await this.git(
      remote,
      [
        'fetch',
        '--filter=blob:none',
        '--prune',
        '--force',
        'origin',
        '+refs/heads/*:refs/heads/*',
        '+refs/tags/*:refs/tags/*',
      ],
      dir,
    );
  }

  private async defaultBranch(remote: Remote, url: string): Promise<string> {
    const { url: remoteUrl } = await remote.target();
    const out = (
      await this.git(
        remote,
        ['ls-remote', '--symref', '--', remoteUrl, 'HEAD'],
        undefined,
        undefined,
        this.probeTimeoutMs,
      )
    ).toString('utf8');
    const symref = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(out);
    if (!symref) throw new NotFoundError('REF_NOT_FOUND', `${displayUrl(url)} has no default branch`);
    return symref[1]!;
  }

  private async hasCommit(dir: string, sha: string): Promise<boolean> {
    return (await this.revParse(dir, sha)) === sha;
  }

  private async revParse(dir: string, ref: string): Promise<string | null> {
    try {
      const out = await this.git(null, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], dir);
      return out.toString('utf8').trim() || null;
    } catch {
      return null;
    }
  }

  private async sizes(remote: Remote, dir: string, shas: readonly string[]): Promise<Map<string, number>> {
    if (shas.length === 0) return new Map();
    const out = await this.git(
      remote,
      ['cat-file', '--batch-check=%(objectname) %(objectsize)'],
      dir,
      `${shas.join('\n')}\n`,
    );
    const sizes = new Map<string, number>();
    for (const line of out.toString('utf8').split('\n')) {
      const [sha, size] = line.split(' ');
      if (sha && size && /^\d+$/.test(size)) sizes.set(sha, Number(size));
    }
    return sizes;
  }

  private async exclusive<T>(dir: string, work: (dir: string) => Promise<T>): Promise<T> {
    const previous = this.locks.get(dir) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => work(dir));
    this.locks.set(dir, run);
    try {
      return await run;
    } finally {
      if (this.locks.get(dir) === run) this.locks.delete(dir);
    }
  }

  /**
   * Runs git with a clean, non-interactive environment; `remote` null: no network is needed. git
   * leads a process group of its own (git-remote-https, ssh below it): a timeout kills them all.
   */
  private async git(
    remote: Remote | null,
    args: string[],
    cwd?: string,
    input?: string,
    timeoutMs = this.timeoutMs,
  ): Promise<Buffer> {
    const ssh = await this.sshSetup(remote);
    try {
      return await this.gitWith(ssh.command, remote, args, cwd, input, timeoutMs);
    } finally {
      await ssh.cleanup();
    }
  }

  private async gitWith(
    sshCommand: string,
    remote: Remote | null,
    args: string[],
    cwd?: string,
    input?: string,
    timeoutMs = this.timeoutMs,
  ): Promise<Buffer> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: this.options.cacheDir,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_PROTOCOL_FROM_USER: '0',
      LC_ALL: 'C',
    };
    if (this.options.caFile) env['GIT_SSL_CAINFO'] = this.options.caFile;
    const target = remote ? await remote.target() : null;
    const config: [string, string][] = target
      ? [...target.config]
      : [['protocol.file.allow', this.options.allowFileUrls ? 'always' : 'never']];
    // The address the policy judged, whatever the host name resolves to by now.
    env['GIT_SSH_COMMAND'] = target?.sshHostName
      ? `${sshCommand} -o HostName=${shellQuote(target.sshHostName)}`
      : sshCommand;
    const credentials = remote ? await remote.login() : null;
    if (credentials) {
      const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
      config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
    }
    env['GIT_CONFIG_COUNT'] = String(config.length);
    config.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
    const { code, stdout, stderr, timedOut, overflowed } = await runGroup(args, {
      cwd,
      env,
      input,
      timeoutMs,
    });
    if (code === 0 && !timedOut && !overflowed) return stdout;
    const message = overflowed ? `output over ${MAX_OUTPUT} bytes` : `exit code ${code ?? 'none'}`;
    throw gitError(args, { killed: timedOut, message }, stderr, timeoutMs);
  }
}

interface GroupResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly overflowed: boolean;
}

/** git as the leader of a new process group, killed as a whole (SIGKILL) on timeout or runaway output. */
function runGroup(
  args: readonly string[],
  options: { cwd: string | undefined; env: NodeJS.ProcessEnv; input: string | undefined; timeoutMs: number },
): Promise<GroupResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: options.env, detached: true, stdio: 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let overflowed = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT) {
        overflowed = true;
        killGroup();
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < MAX_STDERR) err.push(chunk);
      errBytes += chunk.length;
    });
    child.stdin.on('error', () => undefined); // git may exit before reading its input
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        overflowed,
      });
    });
    child.stdin.end(options.input);
  });
}

let resolvePinning: Promise<void> | undefined;

/** http.curloptResolve came with git 2.37: an older git would ignore the pin and resolve again. */
function requireResolvePinning(): Promise<void> {
  return (resolvePinning ??= new Promise<void>((resolve, reject) => {
    execFile('git', ['version'], { timeout: 10_000 }, (error, stdout) => {
      const [major = 0, minor = 0] = (/\b(\d+)\.(\d+)/.exec(stdout)?.slice(1) ?? []).map(Number);
      if (!error && (major > 2 || (major === 2 && minor >= 37))) return resolve();
      resolvePinning = undefined;
      reject(
        new IntegrationUnavailableError(
          'git',
          'other',
          `git 2.37 or later is needed to pin a remote's address (found: ${stdout.trim() || 'none'})`,
        ),
      );
    });
  }));
}

function gitError(
  args: readonly string[],
  error: { readonly killed: boolean; readonly message: string },
  stderr: string,
  timeoutMs: number,
) {
  const what = `git ${args[0]}`;
  const detail = scrub(stderr.trim().split('\n').slice(-3).join(' ')) || error.message;
  if (error.killed)
    return new IntegrationUnavailableError('git', 'timeout', `${what} took over ${timeoutMs} ms`);
  if (
    /could not resolve host|connection refused|failed to connect|couldn't connect|connection timed out|network is unreachable|early eof|remote end hung up/i.test(
      stderr,
    )
  ) {
    return new IntegrationUnavailableError('git', 'network', `${what}: ${detail}`);
  }
  if (/returned error: 5\d\d|HTTP 5\d\d/i.test(stderr))
    return new IntegrationUnavailableError('git', '5xx', `${what}: ${detail}`);
  if (/returned error: 429/i.test(stderr))
    return new IntegrationUnavailableError('git', '429', `${what}: ${detail}`);
  if (
    /not found|does not appear to be a git repository|does not exist|authentication failed|returned error: 40[134]|permission denied|could not read username/i.test(
      stderr,
    )
  ) {
    return new NotFoundError(
      'REPO_NOT_FOUND',
      `${what}: the repository is not there or not readable with the credentials given (${detail})`,
    );
  }
  // Anything else (TLS, a server that speaks no git): the integration failed; a retry may help.
  return new IntegrationUnavailableError('git', 'other', `${what} failed: ${detail}`);
}

function refNotFound(url: string, ref: string): NotFoundError {
  return new NotFoundError('REF_NOT_FOUND', `${displayUrl(url)} has no branch, tag or commit "${ref}"`);
}

/** Userinfo never reaches a message, whatever git printed. */
function scrub(text: string): string {
  return text.replace(/\b(\w+:\/\/)[^/@\s]+@/g, '$1***@');
}

function displayUrl(url: string): string {
  return scrub(url);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
