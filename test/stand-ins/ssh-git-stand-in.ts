import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import * as os from 'node:os';
import { Server, utils, type ParsedKey } from 'ssh2';

/** One public key a client offered (a probe or a signed attempt) and what the stand-in answered. */
export interface SshKeyOffer {
  readonly username: string;
  /** `SHA256:...` of the offered public key, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  readonly accepted: boolean;
}

export interface SshGitStandIn {
  /** `ssh://git@127.0.0.1:<port>` (no trailing slash): append `/<name>.git`. */
  readonly url: string;
  /** TCP connections accepted, whether or not they ever spoke ssh. */
  readonly connections: () => number;
  /** Every public key offered, in order. */
  readonly offers: SshKeyOffer[];
  /** Serves the real git repository at `dir` as `/<name>.git`. */
  serve(name: string, dir: string): string;
  /** Lets the holder of this public key (`ssh-ed25519 AAAA... comment`) in. */
  authorize(publicKeyLine: string): void;
  close(): Promise<void>;
}

// The machine's git configuration must not change what is served.
const GIT_ENV = {
  PATH: process.env['PATH'],
  HOME: os.tmpdir(),
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_CONFIG_NOSYSTEM: '1',
};

/**
 * A git server over ssh on the loopback, as GitHub, GitLab or a bare sshd serves repositories:
 * public-key authentication against the keys the test authorizes (each offered key recorded),
 * then `git-upload-pack` of a real repository for `git clone`, `fetch` and `ls-remote`. Raw TCP
 * connections are counted too, so a test can show that nothing connected at all.
 */
export async function startSshGitStandIn(): Promise<SshGitStandIn> {
  // ssh2 writes about 1 ed25519 key in 300 in a form its own parser refuses: draw another.
  let hostKey = utils.generateKeyPairSync('ed25519');
  while (utils.parseKey(hostKey.private) instanceof Error) hostKey = utils.generateKeyPairSync('ed25519');
  const authorized: ParsedKey[] = [];
  const repos = new Map<string, string>();
  const offers: SshKeyOffer[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  const ssh = new Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const key = authorized.find(
        (candidate) => candidate.type === ctx.key.algo && candidate.getPublicSSH().equals(ctx.key.data),
      );
      // A probe (no signature) asks whether the key would do; a signed attempt proves its holder.
      const accepted =
        key !== undefined &&
        (ctx.signature === undefined || key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true);
      offers.push({ username: ctx.username, fingerprint: fingerprintOf(ctx.key.data), accepted });
      return accepted ? ctx.accept() : ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        let protocol: string | undefined;
        session.on('env', (accept, _reject, info) => {
          if (info.key === 'GIT_PROTOCOL') protocol = info.val;
          accept?.();
        });
        session.on('exec', (accept, reject, info) => {
          const wanted = /^git-upload-pack '?\/?([^']+)'?$/.exec(info.command)?.[1];
          const dir = wanted === undefined ? undefined : repos.get(wanted);
          if (!dir) return reject();
          const stream = accept();
          const child = spawn('git-upload-pack', [dir], {
            env: { ...GIT_ENV, ...(protocol ? { GIT_PROTOCOL: protocol } : {}) },
            stdio: ['pipe', 'pipe', 'pipe'],
          });
          stream.pipe(child.stdin);
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          child.stdin.on('error', () => undefined);
          child.on('close', (code) => {
            stream.exit(code ?? 1);
            stream.end();
          });
        });
      });
    });
  });

  const tcp = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    ssh.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `ssh://git@127.0.0.1:${(tcp.address() as AddressInfo).port}`;

  return {
    url,
    connections: () => connections,
    offers,
    serve(name, dir) {
      repos.set(`${name}.git`, dir);
      return `${url}/${name}.git`;
    },
    authorize(publicKeyLine) {
      const parsed = utils.parseKey(publicKeyLine);
      if (parsed instanceof Error) throw parsed;
      authorized.push(Array.isArray(parsed) ? parsed[0]! : parsed);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** `SHA256:<unpadded base64>` of a public key blob. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256')
    .update(blob)
    .digest('base64')
    .replace(/(?<!=)=+$/, '')}`;
}
