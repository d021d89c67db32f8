import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { RequestHolds, type RequestHold } from './request-holds';
import { writeSelfSignedCert } from './self-signed-cert';

export interface GitHttpRequest {
  readonly method: string;
  /** Path and query, e.g. `/acme/web.git/info/refs?service=git-upload-pack`. */
  readonly url: string;
  readonly status: number;
}

/** A name the certificate also covers; it resolves nowhere, so only a pinned address reaches the stand-in. */
export const GIT_STAND_IN_HOST_NAME = 'git.repoguard.test';

export interface GitHttpStandIn {
  /** e.g. https://127.0.0.1:41234 (no trailing slash); repositories are at `${url}/<owner>/<name>.git`. */
  readonly url: string;
  /** The self-signed certificate to trust (GIT_SSL_CAINFO). */
  readonly caFile: string;
  readonly requests: GitHttpRequest[];
  /** Serves the repository whose `.git` is in `workTree` as `<owner>/<name>.git`; `basicAuth` requires that login. */
  serve(
    owner: string,
    name: string,
    workTree: string,
    basicAuth?: { username: string; password: string },
  ): string;
  /** Answers every request below `/<owner>/<name>.git/` with a 302 to the same path below `location`. */
  redirect(owner: string, name: string, location: string): string;
  /** The next request that `matches` waits unanswered until the hold is released (or `close`). */
  holdNext(matches: (request: { method: string; url: string }) => boolean): RequestHold;
  close(): Promise<void>;
}

/**
 * Git's smart HTTP protocol over TLS on the loopback, as GitLab, Gitea or Bitbucket speak it: the
 * real `git http-backend` run as a CGI program for each request, behind a self-signed certificate.
 */
export async function startGitHttpStandIn(): Promise<GitHttpStandIn> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-git-http-'));
  const projects = path.join(root, 'projects');
  fs.mkdirSync(projects);
  const { keyFile, caFile } = writeSelfSignedCert(root, [GIT_STAND_IN_HOST_NAME]);
  const logins = new Map<string, string>();
  const redirects = new Map<string, string>();
  const requests: GitHttpRequest[] = [];
  const holds = new RequestHolds<{ method: string; url: string }>();

  const server: Server = createServer(
    { key: fs.readFileSync(keyFile), cert: fs.readFileSync(caFile) },
    (req, res) => {
      // A held request is read, and so answered, only once its hold is released.
      req.pause();
      void holds.pass({ method: req.method ?? 'GET', url: req.url ?? '' }).then(() => req.resume());
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'https://stand-in');
        const repoKey = /^\/(.+?\.git)\//.exec(url.pathname)?.[1];
        const answer = (status: number, body = '') => {
          requests.push({ method: req.method ?? 'GET', url: req.url ?? '', status });
          res.writeHead(status, status === 401 ? { 'www-authenticate': 'Basic realm="git"' } : {}).end(body);
        };
        const moved = repoKey ? redirects.get(repoKey) : undefined;
        if (moved) {
          requests.push({ method: req.method ?? 'GET', url: req.url ?? '', status: 302 });
          const rest = (req.url ?? '').slice(repoKey!.length + 1);
          res.writeHead(302, { location: `${moved}${rest}` }).end();
          return;
        }
        if (!repoKey || !fs.existsSync(path.join(projects, repoKey)))
          return answer(404, 'Repository not found');
        const login = logins.get(repoKey);
        if (login && req.headers.authorization !== `Basic ${login}`)
          return answer(401, 'Authentication required');

        const body = Buffer.concat(chunks);
        const cgi = spawn('git', ['http-backend'], {
          env: {
            PATH: process.env['PATH'],
            GIT_PROJECT_ROOT: projects,
            GIT_HTTP_EXPORT_ALL: '1',
            GIT_CONFIG_NOSYSTEM: '1',
            GIT_CONFIG_GLOBAL: os.devNull,
            // Partial clones need the server to accept filters, as hosted servers do.
            GIT_CONFIG_COUNT: '2',
            GIT_CONFIG_KEY_0: 'uploadpack.allowFilter',
            GIT_CONFIG_VALUE_0: 'true',
            GIT_CONFIG_KEY_1: 'uploadpack.allowAnySHA1InWant',
            GIT_CONFIG_VALUE_1: 'true',
            REQUEST_METHOD: req.method ?? 'GET',
            PATH_INFO: decodeURIComponent(url.pathname),
            QUERY_STRING: url.search.replace(/^\?/, ''),
            CONTENT_TYPE: req.headers['content-type'] ?? '',
            CONTENT_LENGTH: String(body.length),
            HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
            GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
            REMOTE_ADDR: '127.0.0.1',
          },
        });
        const out: Buffer[] = [];
        cgi.stdout.on('data', (chunk: Buffer) => out.push(chunk));
        cgi.stderr.resume();
        cgi.on('close', () => {
          const raw = Buffer.concat(out);
          const split = raw.indexOf('\r\n\r\n');
          const head = raw.subarray(0, split).toString('latin1');
          const headers: Record<string, string> = {};
          let status = 200;
          for (const line of head.split('\r\n')) {
            const colon = line.indexOf(':');
            if (colon < 0) continue;
            const name = line.slice(0, colon).trim();
            const value = line.slice(colon + 1).trim();
            if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
            else headers[name] = value;
          }
          requests.push({ method: req.method ?? 'GET', url: req.url ?? '', status });
          res.writeHead(status, headers).end(raw.subarray(split + 4));
        });
        // git http-backend may exit before reading the whole body (a request it refuses): the
        // EPIPE is expected, its answer comes through stdout and 'close' as usual.
        cgi.stdin.on('error', () => undefined);
        cgi.stdin.end(body);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    caFile,
    requests,
    serve(owner, name, workTree, basicAuth) {
      const key = `${owner}/${name}.git`;
      fs.mkdirSync(path.join(projects, owner), { recursive: true });
      fs.symlinkSync(path.join(workTree, '.git'), path.join(projects, key));
      if (basicAuth)
        logins.set(key, Buffer.from(`${basicAuth.username}:${basicAuth.password}`).toString('base64'));
      return `${url}/${key}`;
    },
    redirect(owner, name, location) {
      const key = `${owner}/${name}.git`;
      redirects.set(key, location);
      return `${url}/${key}`;
    },
    holdNext(matches) {
      return holds.add(matches);
    },
    async close() {
      holds.releaseAll();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
