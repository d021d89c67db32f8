import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  GIT_STAND_IN_HOST_NAME,
  startGitHttpStandIn,
  type GitHttpStandIn,
} from '../../../../test/stand-ins/git-http-stand-in';
import {
  startGithubStandIn,
  type GithubStandIn,
  type TestRepo,
} from '../../../../test/stand-ins/github-stand-in';
import { IpaddrOutboundAddressPolicy } from '../network/ipaddr-outbound-address-policy';
import { startSshGitStandIn, type SshGitStandIn } from '../../../../test/stand-ins/ssh-git-stand-in';
import { Ssh2KeyGenerator } from '../crypto/ssh2-key-generator';
import { GitCliManifestSource, type OrgSshKeys } from './git-cli-manifest-source';
import { listenTcp } from '../../../../test/stand-ins/tcp-listener';

// The stand-ins listen on the loopback, which a git URL reaches only when the operator opened it.
const loopback = new IpaddrOutboundAddressPolicy({ allowedHosts: ['127.0.0.1'] });

const LOCK = JSON.stringify({
  name: 'web',
  lockfileVersion: 3,
  packages: { '': { name: 'web' }, 'node_modules/lodash': { version: '4.17.20' } },
});
const BIG_ASSET = 'x'.repeat(200_000);

describe('any git remote through the git CLI', () => {
  let repos: GithubStandIn; // only for its real git repositories
  let http: GitHttpStandIn;
  let cacheDir: string;
  let repo: TestRepo;
  let first: string;

  beforeAll(async () => {
    repos = await startGithubStandIn();
    http = await startGitHttpStandIn();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-git-cache-'));
    repo = await repos.createRepo('acme', 'web');
    first = await repo.commit({
      'frontend/package-lock.json': LOCK,
      'requirements.txt': 'django==3.2.0\n',
      'README.md': '# web\n',
      'assets/big.bin': BIG_ASSET,
    });
    await repo.tag('v1.0.0');
  });
  afterAll(async () => {
    await http?.close();
    await repos?.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  describe('file:// (a local repository)', () => {
    const source = () => new GitCliManifestSource({ cacheDir, allowFileUrls: true });
    const coords = () => ({
      owner: 'acme',
      name: 'web',
      orgId: 'org-1',
      repoId: 'repo-file',
      gitUrl: `file://${repo.path}`,
    });

    it('names the repository and finds its default branch', async () => {
      const described = await source().describeRepository(coords());
      // A local path has no host: its parent directories stand in for the owner.
      const parent = path.dirname(repo.path).split('/').filter(Boolean).join('/').slice(-100);
      expect(described).toEqual({
        owner: parent,
        name: path.basename(repo.path),
        defaultBranch: 'main',
        externalId: null,
      });
    });

    it('resolves branches, tags and commits, lists the manifests with sizes and reads them', async () => {
      const git = source();
      expect(await git.resolveCommit(coords())).toEqual({ sha: first, ref: 'main' });
      expect(await git.resolveCommit(coords(), 'v1.0.0')).toEqual({ sha: first, ref: 'v1.0.0' });
      expect(await git.resolveCommit(coords(), first)).toEqual({ sha: first, ref: first });
      const tree = await git.listTree(coords(), first);
      expect(tree.map((b) => [b.path, b.size])).toEqual([
        ['frontend/package-lock.json', Buffer.byteLength(LOCK)],
        ['requirements.txt', 14],
      ]);
      const lock = tree.find((b) => b.path === 'frontend/package-lock.json')!;
      expect(Buffer.from(await git.readBlob(coords(), lock.sha)).toString('utf8')).toBe(LOCK);
    });

    it('finds the merge base of a branch that main moved past, through the reader too', async () => {
      await repo.createBranch('mb-topic', 'main');
      const branchPoint = (await source().resolveCommit(coords())).sha;
      const topic = await repo.commit({ 'README.md': '# topic\n' }, 'topic', 'mb-topic');
      const mainTip = await repo.commit({ 'requirements.txt': 'django==5.0.0\n' }, 'main moves on');

      const reader = await source().forRepository(coords());
      expect(await reader.mergeBase!(mainTip, topic)).toBe(branchPoint);
      expect(await source().mergeBase(coords(), topic, mainTip)).toBe(branchPoint);
      await expect(source().mergeBase(coords(), mainTip, 'f'.repeat(40))).rejects.toMatchObject({
        code: 'REF_NOT_FOUND',
      });
    });

    it('sees new commits on the next resolve, and refuses unknown refs', async () => {
      const git = source();
      await git.resolveCommit(coords());
      const next = await repo.commit({ 'requirements.txt': 'django==4.2.0\n' }, 'bump django');
      expect(await git.resolveCommit(coords())).toEqual({ sha: next, ref: 'main' });
      await expect(git.resolveCommit(coords(), 'no-such-branch')).rejects.toMatchObject({
        code: 'REF_NOT_FOUND',
      });
      await expect(git.resolveCommit(coords(), 'f'.repeat(40))).rejects.toMatchObject({
        code: 'REF_NOT_FOUND',
      });
    });

    it('is refused unless the operator allows file:// URLs', async () => {
      const locked = new GitCliManifestSource({ cacheDir });
      await expect(locked.resolveCommit(coords())).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'git_url', problem: expect.stringContaining('GIT_ALLOW_FILE_URLS') }],
      });
    });
  });

  describe('https:// (a self-hosted server with its own CA)', () => {
    it('clones without blobs, downloads only the manifests, and trusts the configured CA', async () => {
      const url = http.serve('group/sub', 'api', repo.path);
      const git = new GitCliManifestSource({ cacheDir, caFile: http.caFile, outbound: loopback });
      const coords = { owner: 'group/sub', name: 'api', orgId: 'org-1', repoId: 'repo-https', gitUrl: url };
      expect(await git.describeRepository(coords)).toEqual({
        owner: `${new URL(url).host}/group/sub`,
        name: 'api',
        defaultBranch: 'main',
        externalId: null,
      });
      const { sha } = await git.resolveCommit(coords, first);
      const tree = await git.listTree(coords, sha);
      expect(tree.map((b) => b.path)).toEqual(['frontend/package-lock.json', 'requirements.txt']);
      expect(Buffer.from(await git.readBlob(coords, tree[1]!.sha)).toString('utf8')).toBe('django==3.2.0\n');

      // The 200 kB asset was never downloaded: the clone holds it only as a promised object.
      const clone = fs
        .readdirSync(cacheDir)
        .map((d) => path.join(cacheDir, d))
        .find((d) => fs.readFileSync(path.join(d, 'config'), 'utf8').includes('/group/sub/api.git'))!;
      const missing = execFileSync('git', ['rev-list', '--objects', '--missing=print', sha], {
        cwd: clone,
        encoding: 'utf8',
      });
      const bigSha = execFileSync('git', ['rev-parse', `${first}:assets/big.bin`], {
        cwd: repo.path,
        encoding: 'utf8',
      }).trim();
      expect(missing).toContain(`?${bigSha}`);

      // Without the CA the server is not trusted.
      const untrusting = new GitCliManifestSource({
        cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-git-cache-')),
        outbound: loopback,
      });
      await expect(untrusting.resolveCommit(coords)).rejects.toThrow(/certificate|SSL/i);
    });

    it('logs in with the repository credentials, which never appear in errors', async () => {
      const login = { username: 'scanner', password: 's3cret-git-password' };
      const url = http.serve('acme', 'private', repo.path, login);
      const coords = { owner: 'acme', name: 'private', orgId: 'org-2', repoId: 'repo-private', gitUrl: url };
      const anonymous = new GitCliManifestSource({ cacheDir, caFile: http.caFile, outbound: loopback });
      const refused = await anonymous.resolveCommit(coords).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'REPO_NOT_FOUND' });

      const wrong = new GitCliManifestSource({
        cacheDir,
        caFile: http.caFile,
        outbound: loopback,
        credentials: { credentialsFor: async () => ({ ...login, password: 'wrong-password-value' }) },
      });
      const denied = (await wrong.resolveCommit(coords).catch((e: unknown) => e)) as Error;
      expect(denied).toMatchObject({ code: 'REPO_NOT_FOUND' });
      expect(denied.message).not.toContain('wrong-password-value');

      const allowed = new GitCliManifestSource({
        cacheDir,
        caFile: http.caFile,
        outbound: loopback,
        credentials: { credentialsFor: async (r) => (r.repoId === 'repo-private' ? login : null) },
      });
      expect((await allowed.resolveCommit(coords, first)).sha).toBe(first);
      const config = fs
        .readdirSync(cacheDir)
        .map((d) => fs.readFileSync(path.join(cacheDir, d, 'config'), 'utf8'))
        .join('\n');
      expect(config).not.toContain(login.password);
    });

    it('looks the login up once for everything read through one reader', async () => {
      const login = { username: 'scanner', password: 'once-per-reader' };
      const url = http.serve('acme', 'counted', repo.path, login);
      const lookups: string[] = [];
      const git = new GitCliManifestSource({
        cacheDir,
        caFile: http.caFile,
        outbound: loopback,
        credentials: {
          credentialsFor: async (r) => {
            lookups.push(r.repoId!);
            return login;
          },
        },
      });
      const reader = await git.forRepository({
        owner: 'acme',
        name: 'counted',
        orgId: 'org-3',
        repoId: 'repo-counted',
        gitUrl: url,
      });
      const { sha } = await reader.resolveCommit(first);
      const tree = await reader.listTree(sha);
      for (const blob of tree) await reader.readBlob(blob.sha);
      expect(tree).toHaveLength(2);
      expect(lookups).toEqual(['repo-counted']);
    });

    it('reports an unreachable server as a retryable network failure', async () => {
      const git = new GitCliManifestSource({ cacheDir, timeoutMs: 20_000, outbound: loopback });
      await expect(
        git.resolveCommit({ owner: 'x', name: 'y', repoId: 'gone', gitUrl: 'https://127.0.0.1:1/x/y.git' }),
      ).rejects.toMatchObject({ code: 'INTEGRATION_UNAVAILABLE', integration: 'git', reason: 'network' });
    });
  });

  describe('where a git URL may lead (SSRF)', () => {
    /** Holds connections open, answering nothing (reads and drops, so the peer's close is seen). */
    const silentListener = () => listenTcp((socket) => socket.resume());

    /** Answers `name` with the answers given, in turn (the last one repeats); counts the lookups. */
    function resolver(name: string, ...answers: string[][]) {
      const asked: string[] = [];
      const lookup = (host: string) => {
        asked.push(host);
        if (host !== name) return Promise.reject(new Error(`ENOTFOUND ${host}`));
        return Promise.resolve(answers[Math.min(asked.length - 1, answers.length - 1)]!);
      };
      return { asked, lookup };
    }

    it('refuses a loopback host before git runs: nothing connects', async () => {
      const listener = await silentListener();
      try {
        const strict = new GitCliManifestSource({ cacheDir, caFile: http.caFile });
        for (const gitUrl of [
          `https://127.0.0.1:${listener.port}/x/y.git`,
          `https://localhost:${listener.port}/x/y.git`,
          `https://2130706433:${listener.port}/x/y.git`,
          `https://[::ffff:127.0.0.1]:${listener.port}/x/y.git`,
          `ssh://git@127.0.0.1:${listener.port}/x/y.git`,
          `ssh://git@0x7f000001:${listener.port}/x/y.git`,
        ]) {
          const coords = { owner: 'x', name: 'y', orgId: 'org-ssrf', repoId: 'repo-ssrf', gitUrl };
          await expect(strict.describeRepository(coords)).rejects.toMatchObject({
            code: 'GIT_URL_HOST_FORBIDDEN',
            details: [{ field: 'git_url', problem: expect.stringContaining('this server does not connect') }],
          });
          await expect(strict.resolveCommit(coords)).rejects.toMatchObject({
            code: 'GIT_URL_HOST_FORBIDDEN',
          });
        }
        expect(listener.sockets).toHaveLength(0);
      } finally {
        await listener.close();
      }
    });

    it('resolves a name once per reader and connects git to that address, never resolving it again', async () => {
      const url = http.serve('pinned', 'api', repo.path).replace('127.0.0.1', GIT_STAND_IN_HOST_NAME);
      const dns = resolver(GIT_STAND_IN_HOST_NAME, ['127.0.0.1']);
      const git = new GitCliManifestSource({
        cacheDir,
        caFile: http.caFile,
        outbound: new IpaddrOutboundAddressPolicy({ allowedHosts: ['127.0.0.1'], lookup: dns.lookup }),
      });
      const coords = { owner: 'pinned', name: 'api', orgId: 'org-pin', repoId: 'repo-pin', gitUrl: url };
      const reader = await git.forRepository(coords);
      const { sha } = await reader.resolveCommit(first);
      const tree = await reader.listTree(sha);
      await reader.readBlob(tree[0]!.sha);
      // The name exists in no DNS: git reached the stand-in only through the pinned address.
      expect(dns.asked).toEqual([GIT_STAND_IN_HOST_NAME]);
      expect(http.requests.some((r) => r.url.startsWith('/pinned/api.git/') && r.status === 200)).toBe(true);
    });

    it('judges a name again at the next scan: one that re-resolved to a private address is refused', async () => {
      const url = http.serve('rebind', 'api', repo.path).replace('127.0.0.1', GIT_STAND_IN_HOST_NAME);
      const dns = resolver(GIT_STAND_IN_HOST_NAME, ['127.0.0.1'], ['10.0.0.7']);
      const git = new GitCliManifestSource({
        cacheDir,
        caFile: http.caFile,
        outbound: new IpaddrOutboundAddressPolicy({ allowedHosts: ['127.0.0.1'], lookup: dns.lookup }),
      });
      const coords = {
        owner: 'rebind',
        name: 'api',
        orgId: 'org-rebind',
        repoId: 'repo-rebind',
        gitUrl: url,
      };
      expect(await git.describeRepository(coords)).toMatchObject({ defaultBranch: 'main' });
      const before = http.requests.length;
      const reader = await git.forRepository(coords);
      await expect(reader.resolveCommit()).rejects.toMatchObject({ code: 'GIT_URL_HOST_FORBIDDEN' });
      expect(dns.asked).toHaveLength(2);
      expect(http.requests.length).toBe(before);
    });

    it('does not follow a redirect', async () => {
      const target = http.serve('redirected', 'api', repo.path);
      const moved = http.redirect('moved', 'api', target);
      const git = new GitCliManifestSource({ cacheDir, caFile: http.caFile, outbound: loopback });
      const coords = { owner: 'moved', name: 'api', orgId: 'org-moved', repoId: 'repo-moved', gitUrl: moved };
      await expect(git.describeRepository(coords)).rejects.toBeInstanceOf(Error);
      expect(http.requests.filter((r) => r.url.startsWith('/moved/api.git/')).map((r) => r.status)).toContain(
        302,
      );
      expect(http.requests.some((r) => r.url.startsWith('/redirected/'))).toBe(false);
    });

    it('pins ssh to the judged address (HostName), whatever the name resolves to later', async () => {
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-fake-ssh-'));
      const argsFile = path.join(bin, 'args');
      // Stands in for OpenSSH: records how git called it, then fails as an unreachable host does.
      fs.writeFileSync(
        path.join(bin, 'ssh'),
        `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\necho 'ssh: connect to host x port 22: Connection refused' >&2\nexit 255\n`,
        { mode: 0o755 },
      );
      const dns = resolver(GIT_STAND_IN_HOST_NAME, ['127.0.0.1']);
      // The instance key, lent to every org: the fake ssh never reads it.
      const git = new GitCliManifestSource({
        cacheDir,
        sshKeyPath: path.join(bin, 'instance_key'),
        sshKeyOrgs: ['*'],
        outbound: new IpaddrOutboundAddressPolicy({ allowedHosts: ['127.0.0.1'], lookup: dns.lookup }),
      });
      const savedPath = process.env['PATH'];
      process.env['PATH'] = `${bin}:${savedPath}`;
      try {
        await expect(
          git.describeRepository({
            owner: 'x',
            name: 'y',
            orgId: 'org-ssh-pin',
            repoId: 'repo-ssh',
            gitUrl: `ssh://git@${GIT_STAND_IN_HOST_NAME}:2222/x/y.git`,
          }),
        ).rejects.toMatchObject({ code: 'INTEGRATION_UNAVAILABLE', reason: 'network' });
      } finally {
        process.env['PATH'] = savedPath;
      }
      const args = fs.readFileSync(argsFile, 'utf8').split('\n');
      expect(args).toEqual(expect.arrayContaining(['-o', 'HostName=127.0.0.1', 'BatchMode=yes']));
      expect(args).toContain(`git@${GIT_STAND_IN_HOST_NAME}`);
      expect(dns.asked).toEqual([GIT_STAND_IN_HOST_NAME]);
      fs.rmSync(bin, { recursive: true, force: true });
    });

    it('gives ls-remote a bounded time, then kills git with its helpers (the held connection closes)', async () => {
      const listener = await silentListener();
      try {
        const git = new GitCliManifestSource({ cacheDir, outbound: loopback, probeTimeoutMs: 1_000 });
        await expect(
          git.describeRepository({
            owner: 'x',
            name: 'y',
            repoId: 'repo-silent',
            gitUrl: `https://127.0.0.1:${listener.port}/x/y.git`,
          }),
        ).rejects.toMatchObject({ code: 'INTEGRATION_UNAVAILABLE', reason: 'timeout' });
        expect(listener.sockets.length).toBeGreaterThan(0);
        // git-remote-https held the socket: it closes only because the whole process group was killed.
        await Promise.all(
          listener.sockets.map((s) =>
            s.closed ? Promise.resolve() : new Promise((r) => s.once('close', r)),
          ),
        );
      } finally {
        await listener.close();
      }
    });
  });

  describe('ssh:// (whose key is offered)', () => {
    const ORG = '11111111-1111-4111-8111-111111111111';
    const keys = new Ssh2KeyGenerator();
    const instance = keys.generate('operator');
    const deployKey = keys.generate('repoguard-acme');
    let ssh: SshGitStandIn;
    let keyPath: string;
    let url: string;

    beforeAll(async () => {
      ssh = await startSshGitStandIn();
      ssh.authorize(instance.publicKey);
      ssh.authorize(deployKey.publicKey);
      url = ssh.serve('web', repo.path);
      keyPath = path.join(cacheDir, 'instance_key');
      fs.writeFileSync(keyPath, instance.privateKey, { mode: 0o600 });
    });
    afterAll(async () => ssh?.close());

    const orgKeys = (own: string | null): OrgSshKeys => ({
      deployKeyOf: () => Promise.resolve(own),
      slugOf: () => Promise.resolve('acme'),
    });
    const coords = (repoId: string) => ({ owner: 'acme', name: 'web', orgId: ORG, repoId, gitUrl: url });
    const offeredWhile = async (work: () => Promise<unknown>) => {
      const from = ssh.offers.length;
      await work();
      return [...new Set(ssh.offers.slice(from).map((o) => o.fingerprint))];
    };

    it('offers only the org deploy key, even to an org the instance key serves', async () => {
      const git = new GitCliManifestSource({
        cacheDir,
        outbound: loopback,
        sshKeyPath: keyPath,
        sshKeyOrgs: ['acme'],
        orgSshKeys: orgKeys(deployKey.privateKey),
      });
      const keyDirs = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('repoguard-ssh-'));
      const before = new Set(keyDirs());
      const offered = await offeredWhile(async () => {
        const reader = await git.forRepository(coords('repo-ssh-own'));
        const { sha } = await reader.resolveCommit(first);
        expect(await reader.listTree(sha)).toContainEqual(
          expect.objectContaining({ path: 'requirements.txt' }),
        );
      });
      expect(offered).toEqual([deployKey.fingerprint]);
      // The key file lived for the run only.
      expect(keyDirs().filter((dir) => !before.has(dir))).toEqual([]);
    });

    it('lends the instance key to an org named by slug or id, and to no other', async () => {
      for (const named of [['acme'], [ORG], ['*']]) {
        const git = new GitCliManifestSource({
          cacheDir,
          outbound: loopback,
          sshKeyPath: keyPath,
          sshKeyOrgs: named,
          orgSshKeys: orgKeys(null),
        });
        expect(await offeredWhile(() => git.describeRepository(coords('repo-ssh-lent')))).toEqual([
          instance.fingerprint,
        ]);
      }
      const before = ssh.connections();
      for (const git of [
        new GitCliManifestSource({
          cacheDir,
          outbound: loopback,
          sshKeyPath: keyPath,
          sshKeyOrgs: ['other'],
          orgSshKeys: orgKeys(null),
        }),
        new GitCliManifestSource({ cacheDir, outbound: loopback, sshKeyPath: keyPath }),
        new GitCliManifestSource({ cacheDir, outbound: loopback }),
      ]) {
        await expect(git.describeRepository(coords('repo-ssh-refused'))).rejects.toMatchObject({
          code: 'SSH_DEPLOY_KEY_REQUIRED',
        });
      }
      // Whose remote it is must be known: an org-less read is refused even where every org is served.
      await expect(
        new GitCliManifestSource({
          cacheDir,
          outbound: loopback,
          sshKeyPath: keyPath,
          sshKeyOrgs: ['*'],
        }).describeRepository({
          owner: 'acme',
          name: 'web',
          repoId: 'repo-ssh-no-org',
          gitUrl: url,
        }),
      ).rejects.toMatchObject({ code: 'SSH_DEPLOY_KEY_REQUIRED' });
      expect(ssh.connections()).toBe(before);
    });
  });
});
