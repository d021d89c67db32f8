// Pull requests as GitHub would deliver and show them, on an API stack: repositories connected
// through a GitHub App installation (linked by a GitHub user) or the org's own token, signed
// `pull_request` deliveries in GitHub's payload shape, and the check runs, annotations and commit
// statuses read back from the stand-in's REST API. Shared by the acceptance spec and bench:pr-check.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { request as octokitRequest } from '@octokit/request';
import type { OsvRecord } from '@repoguard/domain';
import type { TestRepo } from '../stand-ins/github-stand-in';
import { startApiStack, type ApiStack } from './api-stack';
import { linkInstallation } from './github-link';
import { request, type JsonResponse } from './http';

/** A check run as GitHub's REST API answers it (the fields the tests read). */
export interface CheckRunBody {
  readonly id: number;
  readonly head_sha: string;
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly external_id: string | null;
  readonly details_url: string | null;
  readonly output: { title: string | null; summary: string | null; annotations_count: number };
}

export interface AnnotationBody {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: string;
  readonly message: string;
}

export interface ConnectedRepo {
  readonly repo: TestRepo;
  readonly fullName: string;
  readonly repoId: string;
  readonly githubId: number;
  /** The default branch's commit the repository was connected (and scanned) at. */
  readonly baseSha: string;
  /** The token GitHub would take for reads of this repository (the installation's or the org's). */
  readonly readToken: () => Promise<string>;
  readonly installationId?: number;
}

export interface PullRequestWorldOptions {
  readonly name: string;
  readonly advisories: readonly OsvRecord[];
  readonly env?: Record<string, string>;
}

/** Polls `probe` every `everyMs` until it answers something, or throws after `deadlineMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { deadlineMs = 60_000, everyMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`waited ${deadlineMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * GitHub's X-Hub-Signature-256: the body's HMAC-SHA256 under the webhook secret, hex. Written out
 * rather than @octokit/webhooks-methods' `sign`, which Node cannot require (its exports have only
 * `import`), so bench:pr-check runs under @swc-node/register as well as under Jest.
 */
function signature(secret: string, raw: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

function expectStatus(what: string, answer: JsonResponse, status: number): void {
  if (answer.status !== status)
    throw new Error(`${what}: ${answer.status} (expected ${status}) ${JSON.stringify(answer.body)}`);
}

/** One API stack (so one task queue) with the GitHub App, and one org of its own. */
export class PullRequestWorld {
  private constructor(
    readonly stack: ApiStack,
    readonly org: Awaited<ReturnType<ApiStack['createOrg']>>,
  ) {}

  static async start(options: PullRequestWorldOptions): Promise<PullRequestWorld> {
    const stack = await startApiStack({
      name: options.name,
      advisories: options.advisories,
      withGithubApp: true,
      encryptionKey: randomBytes(32).toString('base64'),
      ...(options.env ? { env: options.env } : {}),
    });
    try {
      return new PullRequestWorld(stack, await stack.createOrg(options.name));
    } catch (error) {
      await stack.close();
      throw error;
    }
  }

  get github() {
    return this.stack.harness.github;
  }

  /** A repository with the App installed, linked to the org by a GitHub user and connected through it. */
  async appRepo(name: string, files: Record<string, string>): Promise<ConnectedRepo> {
    const owner = `acme-${randomUUID().slice(0, 8)}`;
    const repo = await this.github.createRepo(owner, name);
    const baseSha = await repo.commit(files, 'initial');
    const installationId = this.github.createInstallation(owner, [`${owner}/${name}`]);
    const login = `octo-${randomUUID().slice(0, 8)}`;
    this.github.createUser(login, [installationId]);
    expectStatus(
      'linking the installation',
      await linkInstallation(this.stack, this.org.ownerToken, this.org.orgId, installationId, login),
      200,
    );
    const app = this.stack.harness.githubApp!;
    const auth = createAppAuth({
      appId: app.appId,
      privateKey: app.privateKeyPem,
      request: octokitRequest.defaults({ baseUrl: this.github.url }),
    });
    const readToken = async () => (await auth({ type: 'installation', installationId })).token;
    return {
      ...(await this.connect(repo, { repo: `${owner}/${name}`, installation_id: installationId })),
      baseSha,
      readToken,
      installationId,
    };
  }

  /** A private repository the org reaches with its own stored token (no App). */
  async tokenRepo(name: string, files: Record<string, string>): Promise<ConnectedRepo> {
    const owner = `corp-${randomUUID().slice(0, 8)}`;
    const orgToken = `ghp_${randomBytes(18).toString('hex')}`;
    const repo = await this.github.createRepo(owner, name, { privateToken: orgToken });
    const baseSha = await repo.commit(files, 'initial');
    expectStatus(
      'storing the org token',
      await this.stack.call(this.org.ownerToken, 'PUT', `/api/v1/orgs/${this.org.orgId}/github/token`, {
        token: orgToken,
      }),
      200,
    );
    return {
      ...(await this.connect(repo, { repo: `${owner}/${name}` })),
      baseSha,
      readToken: async () => orgToken,
    };
  }

  /** Connects the repository and scans its default branch: the base every pull request is compared with. */
  private async connect(repo: TestRepo, body: Record<string, unknown>) {
    const connected = await this.stack.call(
      this.org.ownerToken,
      'POST',
      `/api/v1/orgs/${this.org.orgId}/repos`,
      body,
    );
    expectStatus('connecting the repository', connected, 201);
    const repoId: string = connected.body.id;
    const row = await this.stack.harness.orm.em
      .getKnex()('repositories')
      .where({ id: repoId })
      .first('external_id');
    const scan = await this.stack.scanToEnd(this.org.ownerToken, repoId);
    if (scan.status !== 'COMPLETED') throw new Error(`the base scan ended ${scan.status}`);
    return { repo, fullName: `${repo.owner}/${repo.name}`, repoId, githubId: Number(row.external_id) };
  }

  /** GET on the stand-in's REST API with the repository's token, as GitHub's UI would read it. */
  async read<T>(target: ConnectedRepo, path: string): Promise<T> {
    const answer = await request(`${this.github.url}/repos/${target.fullName}${path}`, {
      headers: { authorization: `token ${await target.readToken()}` },
    });
    expectStatus(`GET ${path}`, answer, 200);
    return answer.body as T;
  }

  /** Every check run on the commit, newest first (filter=all: superseded runs too). */
  async checkRuns(target: ConnectedRepo, sha: string): Promise<CheckRunBody[]> {
    const body = await this.read<{ check_runs: CheckRunBody[] }>(
      target,
      `/commits/${sha}/check-runs?filter=all&per_page=100`,
    );
    return body.check_runs;
  }

  completedRun(target: ConnectedRepo, sha: string): Promise<CheckRunBody> {
    return until(`a completed check run on ${sha}`, async () =>
      (await this.checkRuns(target, sha)).find((run) => run.status === 'completed'),
    );
  }

  annotations(target: ConnectedRepo, runId: number): Promise<AnnotationBody[]> {
    return this.read<AnnotationBody[]>(target, `/check-runs/${runId}/annotations?per_page=100`);
  }

  /** A `pull_request` delivery in GitHub's payload shape (the repository as the stand-in answers it). */
  async pullRequestPayload(
    target: ConnectedRepo,
    action: 'opened' | 'synchronize',
    pr: { number: number; headSha: string; headRef: string },
  ): Promise<Record<string, unknown>> {
    const repository = await this.read<Record<string, unknown>>(target, '');
    const sender = { login: 'octocat', id: 583231, type: 'User', site_admin: false };
    const side = (ref: string, sha: string) => ({
      label: `${target.repo.owner}:${ref}`,
      ref,
      sha,
      user: { login: target.repo.owner },
      repo: repository,
    });
    return {
      action,
      number: pr.number,
      ...(action === 'synchronize' ? { before: target.baseSha, after: pr.headSha } : {}),
      pull_request: {
        url: `${this.github.url}/repos/${target.fullName}/pulls/${pr.number}`,
        id: target.githubId * 100 + pr.number,
        number: pr.number,
        state: 'open',
        locked: false,
        draft: false,
        title: `change #${pr.number}`,
        user: sender,
        head: side(pr.headRef, pr.headSha),
        base: side('main', target.baseSha),
        merged: false,
      },
      repository,
      sender,
      ...(target.installationId === undefined ? {} : { installation: { id: target.installationId } }),
    };
  }

  /** Signs and sends a delivery to the App's webhook URL, as GitHub does. */
  async deliver(event: string, payload: Record<string, unknown>): Promise<JsonResponse> {
    const raw = JSON.stringify(payload);
    return request(`${this.stack.url}/api/v1/webhooks/github`, {
      method: 'POST',
      headers: {
        'x-github-event': event,
        'x-github-delivery': randomUUID(),
        'x-github-hook-installation-target-type': 'integration',
        'x-hub-signature-256': signature(this.stack.webhookSecret!, raw),
        'user-agent': 'GitHub-Hookshot/stand-in',
      },
      body: raw,
    });
  }

  /** A pull_request delivery that must be taken (202, handled). */
  async deliverPullRequest(
    target: ConnectedRepo,
    action: 'opened' | 'synchronize',
    pr: { number: number; headSha: string; headRef: string },
  ): Promise<JsonResponse> {
    const answer = await this.deliver('pull_request', await this.pullRequestPayload(target, action, pr));
    expectStatus('the pull_request delivery', answer, 202);
    if (answer.body.handled !== true) throw new Error(`not handled: ${JSON.stringify(answer.body)}`);
    return answer;
  }

  close(): Promise<void> {
    return this.stack.close();
  }
}
