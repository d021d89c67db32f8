import type { components, operations } from '@octokit/openapi-types';
import { isObject } from '@repoguard/domain';

type CheckRun = components['schemas']['check-run'];
type CheckAnnotation = components['schemas']['check-annotation'];
type CommitStatus = components['schemas']['status'];
type CombinedStatus = components['schemas']['combined-commit-status'];
type CreateCheckRun = operations['checks/create']['requestBody']['content']['application/json'];
type CreateStatus = operations['repos/create-commit-status']['requestBody']['content']['application/json'];
type RequestedAnnotation = NonNullable<NonNullable<CreateCheckRun['output']>['annotations']>[number];
type RequestedAction = NonNullable<CreateCheckRun['actions']>[number];

export interface ChecksAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** The repository a checks request names, as the stand-in knows it. */
export interface ChecksRepo {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
}

/** Who is asking: an installation token (with the app and its permissions), another token, or nobody. */
export type ChecksCaller =
  | {
      readonly kind: 'installation';
      readonly installationId: number;
      readonly appId: number;
      readonly appSlug: string;
      readonly permissions: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'token'; readonly token: string; readonly canWrite: boolean }
  | { readonly kind: 'anonymous' };

/** One request to a repository's checks or statuses; `rest` is the path after `repos/{owner}/{repo}`. */
export interface ChecksRequest {
  readonly method: string;
  readonly repo: ChecksRepo;
  readonly rest: string[];
  readonly query: URLSearchParams;
  readonly caller: ChecksCaller;
  /** The request body as sent. */
  readonly raw: string;
}

export interface ChecksApiHost {
  /** The stand-in's base URL (known once it listens). */
  url(): string;
  /** The full SHA of a commit of the repository, or undefined when `ref` names none. */
  commitOf(repo: ChecksRepo, ref: string): Promise<string | undefined>;
}

/** A check run as published, for tests to read. */
export interface PublishedCheckRun {
  readonly id: number;
  readonly repo: string;
  readonly appId: number;
  readonly name: string;
  readonly headSha: string;
  readonly externalId: string | null;
  readonly detailsUrl: string | null;
  readonly status: 'queued' | 'in_progress' | 'completed';
  readonly conclusion: string | null;
  readonly output: { title: string | null; summary: string | null; text: string | null };
  readonly annotations: readonly RequestedAnnotation[];
  readonly actions: readonly RequestedAction[];
  /** How many create and update requests carried it so far. */
  readonly requests: number;
}

/** A commit status as published, for tests to read. */
export interface PublishedStatus {
  readonly id: number;
  readonly repo: string;
  readonly sha: string;
  readonly state: string;
  readonly context: string;
  readonly description: string | null;
  readonly targetUrl: string | null;
  readonly createdAt: string;
}

interface RunRecord {
  id: number;
  repo: ChecksRepo;
  installationId: number;
  appId: number;
  appSlug: string;
  name: string;
  headSha: string;
  externalId: string | null;
  detailsUrl: string | null;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: RequestedAnnotation[];
  actions: RequestedAction[];
  checkSuiteId: number;
  requests: number;
}

const DOCS = 'https://docs.github.com/rest/checks/runs';
const STATUS_DOCS = 'https://docs.github.com/rest/commits/statuses';
// GitHub's documented limits of the Checks API and commit statuses.
const MAX_ANNOTATIONS_PER_REQUEST = 50;
const MAX_OUTPUT_TEXT = 65_535;
const MAX_ANNOTATION_MESSAGE_BYTES = 64 * 1024;
const MAX_ANNOTATION_TITLE = 255;
const MAX_ACTIONS = 3;
const MAX_ACTION_LABEL = 20;
const MAX_ACTION_IDENTIFIER = 20;
const MAX_ACTION_DESCRIPTION = 40;
const MAX_STATUS_DESCRIPTION = 140;
const RUN_STATUSES = ['queued', 'in_progress', 'completed'] as const;
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
];
const LEVELS = ['notice', 'warning', 'failure'];
const STATUS_STATES = ['error', 'failure', 'pending', 'success'];

const error = (status: number, message: string, docs = DOCS): ChecksAnswer => ({
  status,
  body: { message, documentation_url: docs, status: String(status) },
});
/** GitHub's schema refusal: `Invalid request.` and what is wrong. */
const invalid = (problem: string): ChecksAnswer => error(422, `Invalid request.\n\n${problem}`);
/** GitHub's model validation refusal: `Validation Failed` with one error per field. */
const validationFailed = (resource: string, field: string, message: string, docs = DOCS): ChecksAnswer => ({
  status: 422,
  body: {
    message: 'Validation Failed',
    errors: [{ resource, code: 'custom', field, message }],
    documentation_url: docs,
    status: '422',
  },
});

const isoSeconds = (epochMs: number) =>
  new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * GitHub's Checks API and commit statuses, in the shapes of GitHub's OpenAPI description: check runs
 * only through an installation token with `checks: write` (a personal token gets GitHub's 403),
 * statuses through any token that may write to the repository. GitHub's limits are enforced with
 * its 422s: 50 annotations per request (those of an update are appended), 65,535 characters of
 * summary or text, 3 actions with short labels, `conclusion` once completed, a `head_sha` that is a
 * commit of the repository.
 */
export function createChecksApi(host: ChecksApiHost) {
  const runs = new Map<number, RunRecord>();
  const statuses: (PublishedStatus & { repoId: number; creator: string })[] = [];
  const idBase = Math.floor(Math.random() * 2 ** 30) * 1000;
  let nextRun = 0;
  let nextStatus = 0;

  const repoApi = (repo: ChecksRepo, rest = '') => `${host.url()}/repos/${repo.owner}/${repo.name}${rest}`;

  const runBody = (run: RunRecord): CheckRun => ({
    id: run.id,
    head_sha: run.headSha,
    node_id: Buffer.from(`012:CheckRun${run.id}`).toString('base64'),
    external_id: run.externalId ?? '',
    url: repoApi(run.repo, `/check-runs/${run.id}`),
    html_url: `${host.url()}/${run.repo.owner}/${run.repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion as CheckRun['conclusion'],
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      ...run.output,
      annotations_count: run.annotations.length,
      annotations_url: repoApi(run.repo, `/check-runs/${run.id}/annotations`),
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: {
      id: run.appId,
      slug: run.appSlug,
      node_id: Buffer.from(`03:App${run.appId}`).toString('base64'),
      owner: ownerBody(run.repo.owner, run.appId),
      name: run.appSlug,
      description: null,
      external_url: host.url(),
      html_url: `${host.url()}/apps/${run.appSlug}`,
      created_at: isoSeconds(0),
      updated_at: isoSeconds(0),
      permissions: {},
      events: [],
    },
    pull_requests: [],
  });

  /** The app's owner, as GitHub's `simple-user`. */
  const ownerBody = (login: string, id: number): components['schemas']['simple-user'] => {
    const users = `${host.url()}/users/${login}`;
    return {
      login,
      id,
      node_id: Buffer.from(`012:Organization${id}`).toString('base64'),
      avatar_url: `${host.url()}/avatars/${login}`,
      gravatar_id: '',
      url: users,
      html_url: `${host.url()}/${login}`,
      followers_url: `${users}/followers`,
      following_url: `${users}/following{/other_user}`,
      gists_url: `${users}/gists{/gist_id}`,
      starred_url: `${users}/starred{/owner}{/repo}`,
      subscriptions_url: `${users}/subscriptions`,
      organizations_url: `${users}/orgs`,
      repos_url: `${users}/repos`,
      events_url: `${users}/events{/privacy}`,
      received_events_url: `${users}/received_events`,
      type: 'Organization',
      site_admin: false,
    };
  };

  const annotationBody = (run: RunRecord, a: RequestedAnnotation): CheckAnnotation => ({
    path: a.path,
    start_line: a.start_line,
    end_line: a.end_line,
    start_column: a.start_column ?? null,
    end_column: a.end_column ?? null,
    annotation_level: a.annotation_level,
    title: a.title ?? null,
    message: a.message,
    raw_details: a.raw_details ?? null,
    blob_href: `${host.url()}/${run.repo.owner}/${run.repo.name}/blob/${run.headSha}/${a.path}`,
  });

  const statusBody = (s: (typeof statuses)[number]): CommitStatus => ({
    url: repoApi(
      { id: s.repoId, owner: s.repo.split('/')[0]!, name: s.repo.split('/')[1]! },
      `/statuses/${s.sha}`,
    ),
    avatar_url: null,
    id: s.id,
    node_id: Buffer.from(`013:StatusContext${s.id}`).toString('base64'),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: null,
  });

  /** What a create or update body asks, checked as GitHub checks it; `patch` leaves omissions alone. */
  const checkRunRequest = (
    raw: string,
    patch: boolean,
  ): { request: Partial<CreateCheckRun> } | { refusal: ChecksAnswer } => {
    let parsed: unknown;
    try {
      parsed = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      return { refusal: error(400, 'Problems parsing JSON') };
    }
    if (!isObject(parsed)) return { refusal: error(400, 'Problems parsing JSON') };
    const body = parsed as Partial<CreateCheckRun> & Record<string, unknown>;
    for (const field of patch ? [] : (['name', 'head_sha'] as const)) {
      if (body[field] === undefined) return { refusal: invalid(`"${field}" wasn't supplied.`) };
    }
    for (const field of ['name', 'head_sha', 'details_url', 'external_id', 'started_at', 'completed_at']) {
      if (body[field] !== undefined && typeof body[field] !== 'string') {
        return { refusal: invalid(`For '${field}', ${JSON.stringify(body[field])} is not a string.`) };
      }
    }
    if (body.status !== undefined && !RUN_STATUSES.includes(body.status)) {
      return {
        refusal: invalid(
          `For 'status', ${JSON.stringify(body.status)} is not a member of ${RUN_STATUSES.join(', ')}.`,
        ),
      };
    }
    if (body.conclusion !== undefined && !CONCLUSIONS.includes(body.conclusion)) {
      return {
        refusal: invalid(`For 'conclusion', ${JSON.stringify(body.conclusion)} is not a valid conclusion.`),
      };
    }
    if (body.status === 'completed' && body.conclusion === undefined) {
      return { refusal: invalid('"conclusion" wasn\'t supplied.') };
    }
    if (body.output !== undefined) {
      const output: unknown = body.output;
      if (!isObject(output))
        return { refusal: invalid(`For 'properties/output', ${JSON.stringify(output)} is not an object.`) };
      for (const field of ['title', 'summary']) {
        if (typeof output[field] !== 'string') return { refusal: invalid(`"${field}" wasn't supplied.`) };
      }
      for (const field of ['summary', 'text']) {
        const value = output[field];
        if (value !== undefined && typeof value !== 'string')
          return { refusal: invalid(`For '${field}', it is not a string.`) };
        if (typeof value === 'string' && value.length > MAX_OUTPUT_TEXT) {
          return {
            refusal: invalid(
              `Only ${MAX_OUTPUT_TEXT} characters are allowed; ${value.length} were supplied.`,
            ),
          };
        }
      }
      const annotations: unknown = output['annotations'];
      if (annotations !== undefined) {
        if (!Array.isArray(annotations))
          return { refusal: invalid("For 'annotations', it is not an array.") };
        if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
          return {
            refusal: validationFailed(
              'CheckRun',
              'annotations',
              `Only ${MAX_ANNOTATIONS_PER_REQUEST} annotations are allowed per request; ${annotations.length} were supplied.`,
            ),
          };
        }
        for (const a of annotations as unknown[]) {
          const refusal = annotationRefusal(a);
          if (refusal) return { refusal };
        }
      }
    }
    if (body.actions !== undefined) {
      const actions: unknown = body.actions;
      if (!Array.isArray(actions)) return { refusal: invalid("For 'actions', it is not an array.") };
      if (actions.length > MAX_ACTIONS) {
        return {
          refusal: validationFailed('CheckRun', 'actions', `Only ${MAX_ACTIONS} actions are allowed.`),
        };
      }
      for (const action of actions as unknown[]) {
        if (!isObject(action)) return { refusal: invalid("For 'items', it is not an object.") };
        const limits = {
          label: MAX_ACTION_LABEL,
          identifier: MAX_ACTION_IDENTIFIER,
          description: MAX_ACTION_DESCRIPTION,
        };
        for (const [field, max] of Object.entries(limits)) {
          const value = action[field];
          if (typeof value !== 'string') return { refusal: invalid(`"${field}" wasn't supplied.`) };
          if (value.length > max) {
            return {
              refusal: validationFailed(
                'CheckRun',
                `actions.${field}`,
                `${field} is too long (maximum is ${max} characters)`,
              ),
            };
          }
        }
      }
    }
    return { request: body };
  };

  const annotationRefusal = (a: unknown): ChecksAnswer | undefined => {
    if (!isObject(a)) return invalid("For 'items', it is not an object.");
    for (const field of ['path', 'start_line', 'end_line', 'annotation_level', 'message']) {
      if (a[field] === undefined) return invalid(`"${field}" wasn't supplied.`);
    }
    const { path, start_line: start, end_line: end, annotation_level: level, message, title } = a;
    if (typeof path !== 'string' || typeof message !== 'string')
      return invalid("For 'path', it is not a string.");
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      (start as number) < 1 ||
      (end as number) < (start as number)
    ) {
      return validationFailed(
        'CheckRun',
        'annotations.start_line',
        'start_line and end_line must be lines, start_line first',
      );
    }
    if (typeof level !== 'string' || !LEVELS.includes(level)) {
      return invalid(
        `For 'annotation_level', ${JSON.stringify(level)} is not a member of ${LEVELS.join(', ')}.`,
      );
    }
    if (Buffer.byteLength(message) > MAX_ANNOTATION_MESSAGE_BYTES) {
      return validationFailed('CheckRun', 'annotations.message', 'message is too long (maximum is 64 KB)');
    }
    if (title !== undefined && (typeof title !== 'string' || title.length > MAX_ANNOTATION_TITLE)) {
      return validationFailed(
        'CheckRun',
        'annotations.title',
        `title is too long (maximum is ${MAX_ANNOTATION_TITLE} characters)`,
      );
    }
    return undefined;
  };

  /** Only a GitHub App's installation, granted `checks: write`, writes check runs. */
  const writerRefusal = (caller: ChecksCaller): ChecksAnswer | undefined => {
    if (caller.kind === 'anonymous') return error(401, 'Requires authentication');
    if (caller.kind === 'token') return error(403, 'You must authenticate via a GitHub App.');
    if (caller.permissions['checks'] !== 'write') return error(403, 'Resource not accessible by integration');
    return undefined;
  };

  const apply = (run: RunRecord, request: Partial<CreateCheckRun>) => {
    if (request.name !== undefined) run.name = request.name;
    if (request.details_url !== undefined) run.detailsUrl = request.details_url;
    if (request.external_id !== undefined) run.externalId = request.external_id;
    if (request.conclusion !== undefined) {
      // GitHub: a conclusion completes the run.
      run.status = 'completed';
      run.conclusion = request.conclusion;
      run.completedAt = request.completed_at ?? isoSeconds(Date.now());
    } else if (request.status !== undefined) {
      run.status = request.status;
      if (request.status !== 'completed') {
        run.conclusion = null;
        run.completedAt = null;
      }
    }
    if (request.output !== undefined) {
      run.output = {
        title: request.output.title,
        summary: request.output.summary,
        text: request.output.text ?? null,
      };
      run.annotations.push(...(request.output.annotations ?? []));
    }
    if (request.actions !== undefined) run.actions = [...request.actions];
    run.requests += 1;
  };

  const page = <T>(all: T[], query: URLSearchParams, path: string) => {
    const asked = Number.parseInt(query.get('per_page') ?? '', 10);
    const perPage = asked > 0 ? Math.min(asked, 100) : 30;
    const number = Math.max(1, Number.parseInt(query.get('page') ?? '', 10) || 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number) => `<${host.url()}${path}?per_page=${perPage}&page=${n}>`;
    const links = number < last ? [`${link(number + 1)}; rel="next"`, `${link(last)}; rel="last"`] : [];
    return {
      items: all.slice((number - 1) * perPage, number * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : undefined,
    };
  };

  const createRun = async (repo: ChecksRepo, caller: ChecksCaller, raw: string): Promise<ChecksAnswer> => {
    const refused = writerRefusal(caller);
    if (refused || caller.kind !== 'installation') return refused!;
    const checked = checkRunRequest(raw, false);
    if ('refusal' in checked) return checked.refusal;
    const { request } = checked;
    const sha = await host.commitOf(repo, request.head_sha!);
    if (!sha || sha !== request.head_sha) return error(422, `No commit found for SHA: ${request.head_sha}`);
    nextRun += 1;
    const run: RunRecord = {
      id: idBase + nextRun,
      repo,
      installationId: caller.installationId,
      appId: caller.appId,
      appSlug: caller.appSlug,
      name: request.name!,
      headSha: sha,
      externalId: null,
      detailsUrl: null,
      status: 'queued',
      conclusion: null,
      startedAt: request.started_at ?? isoSeconds(Date.now()),
      completedAt: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      checkSuiteId: idBase + 500_000 + nextRun,
      requests: 0,
    };
    apply(run, request);
    runs.set(run.id, run);
    return { status: 201, body: runBody(run) };
  };

  const runOf = (repo: ChecksRepo, id: string | undefined): RunRecord | undefined => {
    const run = id !== undefined && /^\d+$/.test(id) ? runs.get(Number(id)) : undefined;
    return run?.repo.id === repo.id ? run : undefined;
  };

  const checkRunsRoute = async (request: ChecksRequest): Promise<ChecksAnswer> => {
    const { method, repo, query, caller, raw } = request;
    const [id, sub, ...extra] = request.rest;
    if (extra.length > 0) return error(404, 'Not Found');
    if (id === undefined) return method === 'POST' ? createRun(repo, caller, raw) : error(404, 'Not Found');
    const run = runOf(repo, id);
    if (!run) return error(404, 'Not Found');
    if (sub === 'annotations' && method === 'GET') {
      const { items, headers } = page(
        run.annotations,
        query,
        `/repos/${repo.owner}/${repo.name}/check-runs/${run.id}/annotations`,
      );
      return { status: 200, body: items.map((a) => annotationBody(run, a)), ...(headers ? { headers } : {}) };
    }
    if (sub !== undefined) return error(404, 'Not Found');
    if (method === 'GET') return { status: 200, body: runBody(run) };
    if (method !== 'PATCH') return error(404, 'Not Found');
    const refused = writerRefusal(caller);
    if (refused || caller.kind !== 'installation') return refused!;
    // Only the app that created a check run may change it.
    if (caller.appId !== run.appId)
      return error(
        403,
        'Invalid app_id `' +
          caller.appId +
          '` - check run can only be modified by the GitHub App that created it.',
      );
    const checked = checkRunRequest(raw, true);
    if ('refusal' in checked) return checked.refusal;
    if (checked.request.head_sha !== undefined) return invalid('"head_sha" cannot be changed.');
    apply(run, checked.request);
    return { status: 200, body: runBody(run) };
  };

  const listForRef = async (repo: ChecksRepo, ref: string, query: URLSearchParams): Promise<ChecksAnswer> => {
    const sha = await host.commitOf(repo, ref);
    if (!sha) return error(422, `No commit found for SHA: ${ref}`);
    const name = query.get('check_name');
    const status = query.get('status');
    const appId = query.get('app_id');
    let found = [...runs.values()]
      .filter((run) => run.repo.id === repo.id && run.headSha === sha)
      .filter((run) => name === null || run.name === name)
      .filter((run) => status === null || run.status === status)
      .filter((run) => appId === null || String(run.appId) === appId)
      .sort((a, b) => b.id - a.id);
    // `filter=latest` (GitHub's default): the newest run of each name.
    if (query.get('filter') !== 'all') {
      found = found.filter((run, i) => found.findIndex((other) => other.name === run.name) === i);
    }
    const { items, headers } = page(
      found,
      query,
      `/repos/${repo.owner}/${repo.name}/commits/${ref}/check-runs`,
    );
    return {
      status: 200,
      body: { total_count: found.length, check_runs: items.map(runBody) },
      ...(headers ? { headers } : {}),
    };
  };

  const createStatus = async (
    repo: ChecksRepo,
    sha: string,
    caller: ChecksCaller,
    raw: string,
  ): Promise<ChecksAnswer> => {
    if (caller.kind === 'anonymous') return error(401, 'Requires authentication', STATUS_DOCS);
    const mayWrite = caller.kind === 'token' ? caller.canWrite : caller.permissions['statuses'] === 'write';
    if (!mayWrite) return error(403, 'Resource not accessible by integration', STATUS_DOCS);
    let parsed: unknown;
    try {
      parsed = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      return error(400, 'Problems parsing JSON', STATUS_DOCS);
    }
    if (!isObject(parsed)) return error(400, 'Problems parsing JSON', STATUS_DOCS);
    const body = parsed as Partial<CreateStatus>;
    if (typeof body.state !== 'string' || !STATUS_STATES.includes(body.state)) {
      return validationFailed('Status', 'state', `state is not included in the list`, STATUS_DOCS);
    }
    for (const field of ['target_url', 'description', 'context'] as const) {
      const value = body[field];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        return error(
          422,
          `Invalid request.\n\nFor '${field}', ${JSON.stringify(value)} is not a string.`,
          STATUS_DOCS,
        );
      }
    }
    if ((body.description ?? '').length > MAX_STATUS_DESCRIPTION) {
      return validationFailed(
        'Status',
        'description',
        `description is too long (maximum is ${MAX_STATUS_DESCRIPTION} characters)`,
        STATUS_DOCS,
      );
    }
    const commit = await host.commitOf(repo, sha);
    if (!commit || commit !== sha) return error(422, `No commit found for SHA: ${sha}`, STATUS_DOCS);
    nextStatus += 1;
    const status = {
      id: idBase + nextStatus,
      repoId: repo.id,
      repo: `${repo.owner}/${repo.name}`,
      sha: commit,
      state: body.state,
      context: body.context ?? 'default',
      description: body.description ?? null,
      targetUrl: body.target_url ?? null,
      createdAt: isoSeconds(Date.now()),
      creator: caller.kind === 'token' ? 'token' : `app:${caller.appId}`,
    };
    statuses.push(status);
    return { status: 201, body: statusBody(status) };
  };

  const statusesOf = (repo: ChecksRepo, sha: string) =>
    statuses.filter((s) => s.repoId === repo.id && s.sha === sha).reverse();

  const combined = (repo: ChecksRepo, sha: string): CombinedStatus => {
    const all = statusesOf(repo, sha);
    const latest = all.filter((s, i) => all.findIndex((other) => other.context === s.context) === i);
    const states = latest.map((s) => s.state);
    const state =
      states.includes('error') || states.includes('failure')
        ? 'failure'
        : states.length === 0 || states.includes('pending')
          ? 'pending'
          : 'success';
    return {
      state,
      statuses: latest.map((s) => ({ ...statusBody(s), required: false })) as CombinedStatus['statuses'],
      sha,
      total_count: latest.length,
      repository: {
        id: repo.id,
        name: repo.name,
        full_name: `${repo.owner}/${repo.name}`,
      } as CombinedStatus['repository'],
      commit_url: repoApi(repo, `/commits/${sha}`),
      url: repoApi(repo, `/commits/${sha}/status`),
    };
  };

  return {
    /**
     * `repos/{owner}/{repo}/…` routes of checks and statuses; `rest` is what follows the repository.
     * Undefined when the path is none of them.
     */
    async route(request: ChecksRequest): Promise<ChecksAnswer | undefined> {
      const { method, repo, rest, query, caller, raw } = request;
      if (rest[0] === 'check-runs') return checkRunsRoute({ ...request, rest: rest.slice(1) });
      if (rest[0] === 'statuses' && rest.length >= 2) {
        return method === 'POST'
          ? createStatus(repo, rest.slice(1).join('/'), caller, raw)
          : error(404, 'Not Found');
      }
      const last = rest.at(-1);
      if (rest[0] !== 'commits' || rest.length < 3 || method !== 'GET') return undefined;
      const ref = rest.slice(1, -1).join('/');
      if (last === 'check-runs') return listForRef(repo, ref, query);
      if (last !== 'statuses' && last !== 'status') return undefined;
      const sha = await host.commitOf(repo, ref);
      if (!sha) return error(422, `No commit found for SHA: ${ref}`, STATUS_DOCS);
      if (last === 'status') return { status: 200, body: combined(repo, sha) };
      const { items, headers } = page(
        statusesOf(repo, sha),
        query,
        `/repos/${repo.owner}/${repo.name}/commits/${ref}/statuses`,
      );
      return { status: 200, body: items.map(statusBody), ...(headers ? { headers } : {}) };
    },
    checkRuns(repo?: string): PublishedCheckRun[] {
      return [...runs.values()]
        .filter(
          (run) =>
            repo === undefined || `${run.repo.owner}/${run.repo.name}`.toLowerCase() === repo.toLowerCase(),
        )
        .map((run) => ({
          id: run.id,
          repo: `${run.repo.owner}/${run.repo.name}`,
          appId: run.appId,
          name: run.name,
          headSha: run.headSha,
          externalId: run.externalId,
          detailsUrl: run.detailsUrl,
          status: run.status,
          conclusion: run.conclusion,
          output: { ...run.output },
          annotations: [...run.annotations],
          actions: [...run.actions],
          requests: run.requests,
        }));
    },
    statuses(repo?: string): PublishedStatus[] {
      return statuses
        .filter((s) => repo === undefined || s.repo.toLowerCase() === repo.toLowerCase())
        .map(({ repoId: _repoId, creator: _creator, ...status }) => status);
    },
    /** The check run in GitHub's shape, for webhook payloads. */
    checkRunBody(id: number): CheckRun | undefined {
      const run = runs.get(id);
      return run ? runBody(run) : undefined;
    },
    installationOfRun(id: number): number | undefined {
      return runs.get(id)?.installationId;
    },
    /** The repository the run belongs to. */
    repoOfRun(id: number): ChecksRepo | undefined {
      return runs.get(id)?.repo;
    },
  };
}

export type ChecksApi = ReturnType<typeof createChecksApi>;
