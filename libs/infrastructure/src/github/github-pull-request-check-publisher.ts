import { Octokit } from '@octokit/rest';
import {
  ACCEPT_RISK_ACTION,
  ACCEPT_RISK_DAYS,
  DomainError,
  IntegrationUnavailableError,
  isObject,
  ValidationError,
  type CheckAnnotation,
  type CheckPublishTarget,
  type PublishedCheck,
  type PullRequestCheckPublisher,
  type PullRequestCheckReport,
} from '@repoguard/domain';
import type { RepositoryCredential } from '../persistence/repositories/repository-github-credentials';
import { withDeadline } from './github-app-installation-tokens';
import { describeGithubFailure, transientGithubFailure } from './github-request-failure';

export interface GithubPullRequestCheckPublisherOptions {
  /** `https://api.github.com`, a GitHub Enterprise `…/api/v3`, or a stand-in. */
  readonly baseUrl: string;
  /** Per request. Default 30 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** The credential a check on the repository is published with (null: the repository has none of its own). */
export interface CheckCredentials {
  credentialFor(target: CheckPublishTarget): Promise<RepositoryCredential | null>;
}

/** GitHub's limits: annotations per request, status descriptions. */
const ANNOTATIONS_PER_REQUEST = 50;
const MAX_STATUS_DESCRIPTION = 140;
/** GitHub allows labels of 20 characters: "Accept risk (30 days)" has 21. */
export const ACCEPT_RISK_LABEL = `Accept risk (${ACCEPT_RISK_DAYS}d)`;
const ACCEPT_RISK_DESCRIPTION = `Accept the new findings for ${ACCEPT_RISK_DAYS} days`;

type Octo = Octokit['rest']['checks'];
type AnnotationBody = NonNullable<NonNullable<Parameters<Octo['create']>[0]>['output']>['annotations'];

/**
 * Puts a pull request's check on GitHub: a check run when the GitHub App is installed on the
 * repository (its installation token; annotations 50 per request, the rest appended), else a
 * commit status through the org's token (context `RepoGuard`). A run is created per verdict and
 * updated until the verdict changes (see runToUpdate). It never retries: what a retry may fix
 * throws IntegrationUnavailableError, GitHub's refusals a DomainError with a stable code. A retried
 * publish finds the run it created before by its external id and sends only the annotations the
 * run does not have yet, so retries add no second run nor copies.
 */
export class GithubPullRequestCheckPublisher implements PullRequestCheckPublisher {
  private readonly octokit: Octokit;

  constructor(
    options: GithubPullRequestCheckPublisherOptions,
    private readonly credentials: CheckCredentials,
  ) {
    this.octokit = new Octokit({
      baseUrl: options.baseUrl.replace(/(?<!\/)\/+$/, ''),
      userAgent: 'repoguard',
      request: { fetch: withDeadline(options.fetch, options.timeoutMs ?? 30_000) },
      log: { debug: noop, info: noop, warn: noop, error: noop },
    });
  }

  async publish(target: CheckPublishTarget, report: PullRequestCheckReport): Promise<PublishedCheck> {
    const credential = await this.credentials.credentialFor(target);
    if (!credential) {
      throw new ValidationError(
        `${target.owner}/${target.name} has neither the GitHub App installed nor an org token: no check can be published`,
        [{ field: 'repository', problem: 'needs the GitHub App or an org token' }],
        'GITHUB_CHECK_CREDENTIALS_REQUIRED',
      );
    }
    const authorization = `token ${await credential.token()}`;
    if (credential.via === 'org_token') {
      await this.postStatus(target, report, authorization);
      return { delivery: 'commit_status', checkRunId: null };
    }
    const checkRunId = await this.putCheckRun(target, report, authorization);
    return { delivery: 'check_run', checkRunId };
  }

  private async putCheckRun(
    target: CheckPublishTarget,
    report: PullRequestCheckReport,
    authorization: string,
  ): Promise<string> {
    const repo = { owner: target.owner, repo: target.name, headers: { authorization } };
    const { existing, present, replaced } = await this.runToUpdate(target, report, authorization);
    const pending = report.annotations.filter((a) => !present.has(keyOf(a))).map(toGithubAnnotation);
    const batches: AnnotationBody[] = [];
    for (let i = 0; i < pending.length; i += ANNOTATIONS_PER_REQUEST) {
      batches.push(pending.slice(i, i + ANNOTATIONS_PER_REQUEST));
    }
    const output = (annotations: AnnotationBody | undefined) => ({
      title: report.title,
      summary: report.summary,
      ...(annotations && annotations.length > 0 ? { annotations } : {}),
    });
    const fields = {
      name: report.name,
      external_id: report.externalId,
      ...(report.detailsUrl ? { details_url: report.detailsUrl } : {}),
      ...(report.status === 'completed' && report.conclusion
        ? { status: 'completed' as const, conclusion: report.conclusion }
        : { status: 'in_progress' as const }),
      // An empty list takes the button away once nothing is left to accept.
      actions: report.offerAcceptRisk
        ? [{ label: ACCEPT_RISK_LABEL, identifier: ACCEPT_RISK_ACTION, description: ACCEPT_RISK_DESCRIPTION }]
        : [],
      output: output(batches[0]),
    };
    const slug = `${target.owner}/${target.name}`;
    // The run left behind keeps its verdict but loses its button: RepoGuard acts on the new run only.
    // First, so a retry after a failed create still finds the old run newest and does it again.
    if (replaced) {
      await this.call(`PATCH /repos/${slug}/check-runs/${replaced}`, () =>
        this.octokit.rest.checks.update({ ...repo, check_run_id: Number(replaced), actions: [] }),
      );
    }
    const id = existing
      ? (await this.call(`PATCH /repos/${slug}/check-runs/${existing}`, () =>
          this.octokit.rest.checks.update({ ...repo, check_run_id: Number(existing), ...fields }),
        ),
        existing)
      : String(
          (
            await this.call(`POST /repos/${slug}/check-runs`, () =>
              this.octokit.rest.checks.create({ ...repo, head_sha: report.headSha, ...fields }),
            )
          ).data.id,
        );
    // GitHub appends the annotations of each update to the run's.
    for (const batch of batches.slice(1)) {
      await this.call(`PATCH /repos/${slug}/check-runs/${id}`, () =>
        this.octokit.rest.checks.update({ ...repo, check_run_id: Number(id), output: output(batch) }),
      );
    }
    return id;
  }

  /**
   * The run to update, with the annotations it has; none: create one. GitHub only ever appends
   * annotations, so a run can show a verdict only if it has none this verdict lacks: the newest run
   * of this check (by external id) is updated while in progress, or when it is completed with the
   * same conclusion and no annotation of another finding or level (a retry, or one more finding).
   * Any other verdict gets a new run, as GitHub asks of re-runs; GitHub shows the newest.
   */
  private async runToUpdate(
    target: CheckPublishTarget,
    report: PullRequestCheckReport,
    authorization: string,
  ): Promise<{ existing: string | null; present: Set<string>; replaced?: string }> {
    const newest = await this.newestRun(target, report, authorization);
    if (!newest) return { existing: null, present: new Set<string>() };
    const id = String(newest.id);
    const replace = { existing: null, present: new Set<string>(), replaced: id };
    const present = await this.annotationKeys(target, id, authorization);
    if (newest.status !== 'completed') return { existing: id, present };
    if (report.status !== 'completed' || newest.conclusion !== report.conclusion) return replace;
    const wanted = new Set(report.annotations.map(keyOf));
    return [...present].every((key) => wanted.has(key)) ? { existing: id, present } : replace;
  }

  /** The newest run this check published on the head (same name and external id), if any. */
  private async newestRun(
    target: CheckPublishTarget,
    report: PullRequestCheckReport,
    authorization: string,
  ): Promise<{ id: number; status: string; conclusion: string | null } | null> {
    const what = `GET /repos/${target.owner}/${target.name}/commits/${report.headSha}/check-runs`;
    const runs = await this.call(what, () =>
      this.octokit.paginate(this.octokit.rest.checks.listForRef, {
        owner: target.owner,
        repo: target.name,
        ref: report.headSha,
        check_name: report.name,
        filter: 'all',
        per_page: 100,
        headers: { authorization },
      }),
    );
    const mine = runs
      .filter((run) => run.external_id === report.externalId)
      .sort((a, b) => Number(b.id) - Number(a.id));
    return mine[0] ?? null;
  }

  private async annotationKeys(
    target: CheckPublishTarget,
    checkRunId: string,
    authorization: string,
  ): Promise<Set<string>> {
    const what = `GET /repos/${target.owner}/${target.name}/check-runs/${checkRunId}/annotations`;
    const annotations = await this.call(what, () =>
      this.octokit.paginate(this.octokit.rest.checks.listAnnotations, {
        owner: target.owner,
        repo: target.name,
        check_run_id: Number(checkRunId),
        per_page: 100,
        headers: { authorization },
      }),
    );
    return new Set(
      annotations.map((a) =>
        keyOf({
          path: a.path,
          startLine: a.start_line,
          endLine: a.end_line,
          level: a.annotation_level ?? '',
          title: a.title ?? '',
          message: a.message ?? '',
        }),
      ),
    );
  }

  private async postStatus(
    target: CheckPublishTarget,
    report: PullRequestCheckReport,
    authorization: string,
  ): Promise<void> {
    const what = `POST /repos/${target.owner}/${target.name}/statuses/${report.headSha}`;
    await this.call(what, () =>
      this.octokit.rest.repos.createCommitStatus({
        owner: target.owner,
        repo: target.name,
        sha: report.headSha,
        state: statusStateOf(report),
        context: report.name,
        description: statusDescription(report),
        ...(report.detailsUrl ? { target_url: report.detailsUrl } : {}),
        headers: { authorization },
      }),
    );
  }

  /** One request; its failure as a domain error (the message names the request, never the token). */
  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toDomainError(error, what);
    }
  }
}

/**
 * A status has no `neutral`. WARN (neutral) is `success` with `WARN:` opening its description: a
 * neutral check run does not block a merge either (GitHub counts it as passing a required check),
 * and an org that wants an unread manifest to block sets `fail_on_incomplete` (FAIL). A check that
 * could not be done is `error`, never `success`; one not finished is `pending`.
 */
export function statusStateOf(report: PullRequestCheckReport): 'pending' | 'success' | 'failure' | 'error' {
  if (report.status !== 'completed' || !report.conclusion) return 'pending';
  if (report.errorCode !== undefined) return 'error';
  return report.conclusion === 'failure' ? 'failure' : 'success';
}

/** The verdict and the title (a check in progress: its title alone), within GitHub's 140 characters. */
function statusDescription(report: PullRequestCheckReport): string {
  const verdict =
    report.status !== 'completed'
      ? null
      : report.errorCode !== undefined
        ? 'ERROR'
        : report.conclusion === 'failure'
          ? 'FAIL'
          : report.conclusion === 'neutral'
            ? 'WARN'
            : 'OK';
  const text = (verdict ? `${verdict}: ${report.title}` : report.title).replace(/\s+/g, ' ');
  return text.length <= MAX_STATUS_DESCRIPTION ? text : `${text.slice(0, MAX_STATUS_DESCRIPTION - 1)}…`;
}

function toGithubAnnotation(a: CheckAnnotation): NonNullable<AnnotationBody>[number] {
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine,
    annotation_level: a.level,
    title: a.title,
    message: a.message,
  };
}

function keyOf(
  a: Pick<CheckAnnotation, 'path' | 'startLine' | 'endLine' | 'title' | 'message'> & { level: string },
): string {
  return JSON.stringify([a.path, a.startLine, a.endLine, a.level, a.title, a.message]);
}

function toDomainError(error: unknown, what: string): DomainError {
  if (error instanceof DomainError) return error;
  const failure = describeGithubFailure(error);
  const transient = transientGithubFailure(failure, what);
  if (transient) return transient;
  const { status, data } = failure.response!;
  // An installation token GitHub no longer takes is renewed by the next attempt.
  if (status === 401)
    return new IntegrationUnavailableError('github', 'auth', `GitHub refused the token (401) for ${what}`);
  const said =
    isObject(data) && typeof data['message'] === 'string' ? data['message'].slice(0, 500) : failure.message;
  if (status === 403) {
    return new DomainError(
      'forbidden',
      'GITHUB_CHECK_PERMISSION_DENIED',
      `GitHub refused ${what} (403: ${said}): the app needs checks: write and statuses: write, an org token repo:status`,
    );
  }
  return new DomainError('invalid', 'GITHUB_CHECK_REFUSED', `GitHub refused ${what} (${status}: ${said})`);
}

function noop(): void {}
