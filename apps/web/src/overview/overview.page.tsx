import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, apiGet, apiGetAll } from '../api/api-client';
import { SEVERITIES, type PolicyEvaluation, type Repo, type RepoStatus } from '../api/api-types';
import { Empty, ErrorMessage, Loading } from '../layout/query-states';
import { useMyOrgs, useToken } from '../session/session.context';
import { byUrgency, isRepoStatus, summarize, type OrgSummary } from './org-summary';

const STATUS_WORDS: Record<RepoStatus, string> = {
  FAIL: 'failing the policy',
  WARN: 'with warnings',
  OK: 'passing',
  PENDING: 'not scanned yet',
  ERROR: 'whose last scan failed',
};

// Reasons are read one repository at a time (GET /policies/evaluation): at most this many per view.
const MAX_REASONS = 50;

export function OverviewPage() {
  const { orgId = '' } = useParams();
  const token = useToken();
  const [search] = useSearchParams();
  const statusParam = search.get('status');
  const status = isRepoStatus(statusParam) ? statusParam : null;
  const org = useMyOrgs().data?.find((o) => o.id === orgId);

  useEffect(() => {
    document.title = `Overview${org ? ` · ${org.name}` : ''} · RepoGuard`;
  }, [org]);

  const repos = useQuery({
    queryKey: ['repos', token, orgId],
    queryFn: ({ signal }) => apiGetAll<Repo>(token, `/orgs/${orgId}/repos`, signal),
  });

  return (
    <>
      <h1>Overview{org && <span className="subtitle"> of {org.name}</span>}</h1>
      {repos.isPending ? (
        <Loading what="the org's repositories" />
      ) : repos.isError ? (
        <ErrorMessage what="the org's repositories" error={repos.error} retry={() => void repos.refetch()} />
      ) : repos.data.length === 0 ? (
        <Empty>
          No repositories are connected to this org yet. Connect one with{' '}
          <code>POST /api/v1/orgs/{orgId}/repos</code>.
        </Empty>
      ) : (
        <Summary orgId={orgId} repos={repos.data} summary={summarize(repos.data)} status={status} />
      )}
    </>
  );
}

function Summary({
  orgId,
  repos,
  summary,
  status,
}: {
  orgId: string;
  repos: readonly Repo[];
  summary: OrgSummary;
  status: RepoStatus | null;
}) {
  const shown = repos.filter((r) => status === null || r.status === status).sort(byUrgency);
  return (
    <div className="overview">
      <section aria-labelledby="by-status">
        <h2 id="by-status">Repositories by status</h2>
        <ul className="tiles">
          <li>
            <Link to={`/orgs/${orgId}`} aria-current={status === null ? 'page' : undefined} className="tile">
              <span className="count" data-testid="repos-total">
                {summary.repos}
              </span>{' '}
              <span className="label">all repositories</span>
            </Link>
          </li>
          {(['FAIL', 'WARN', 'OK', 'ERROR', 'PENDING'] as const)
            .filter((s) => s === 'FAIL' || s === 'WARN' || s === 'OK' || summary.byStatus[s] > 0)
            .map((s) => (
              <li key={s}>
                <Link
                  to={`/orgs/${orgId}?status=${s}`}
                  aria-current={status === s ? 'page' : undefined}
                  className={`tile status-${s}`}
                >
                  <span className="count" data-testid={`status-count-${s}`}>
                    {summary.byStatus[s]}
                  </span>{' '}
                  <span className="label">
                    <span className={`badge status-${s}`}>{s}</span> {STATUS_WORDS[s]}
                  </span>
                </Link>
              </li>
            ))}
        </ul>
      </section>

      <section aria-labelledby="by-severity">
        <h2 id="by-severity">Open findings by severity</h2>
        <table className="severities">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col" className="number">
                Open findings
              </th>
            </tr>
          </thead>
          <tbody>
            {SEVERITIES.map((s) => (
              <tr key={s}>
                <th scope="row">
                  <span className={`badge severity-${s}`}>{s}</span>
                </th>
                <td className="number" data-testid={`severity-count-${s}`}>
                  {summary.openFindings[s]}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="number" data-testid="severity-count-total">
                {summary.openFindings.total}
              </td>
            </tr>
          </tfoot>
        </table>
      </section>

      <section aria-labelledby="repositories" className="wide">
        <h2 id="repositories">{status ? `Repositories ${STATUS_WORDS[status]}` : 'Repositories'}</h2>
        {shown.length === 0 ? (
          <Empty>No repository is {status ? STATUS_WORDS[status] : 'connected'}.</Empty>
        ) : (
          <RepoTable orgId={orgId} repos={shown} />
        )}
      </section>
    </div>
  );
}

function RepoTable({ orgId, repos }: { orgId: string; repos: readonly Repo[] }) {
  const token = useToken();
  const judged = repos.filter((r) => r.status === 'FAIL' || r.status === 'WARN').slice(0, MAX_REASONS);
  const evaluations = useQueries({
    queries: judged.map((repo) => ({
      queryKey: ['evaluation', token, orgId, repo.id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiGet<PolicyEvaluation>(
          token,
          `/orgs/${orgId}/policies/evaluation?repo_id=${encodeURIComponent(repo.id)}`,
          signal,
        ),
    })),
  });
  const reasonsOf = new Map(judged.map((repo, i) => [repo.id, evaluations[i]]));

  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Repositories table">
      <table className="repos">
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">Status</th>
            <th scope="col">Why</th>
            <th scope="col" className="number">
              Open findings
            </th>
            <th scope="col">Last scan</th>
          </tr>
        </thead>
        <tbody>
          {repos.map((repo) => {
            const evaluation = reasonsOf.get(repo.id);
            return (
              <tr key={repo.id} data-testid={`repo-${repo.id}`}>
                <th scope="row">
                  <Link to={`/repos/${repo.id}`}>{repo.full_name}</Link>
                </th>
                <td>
                  <span className={`badge status-${repo.status}`}>{repo.status}</span>
                  {repo.disabled && <span className="muted"> (disabled)</span>}
                </td>
                <td>
                  <Reasons repo={repo} evaluation={evaluation} />
                </td>
                <td className="number">
                  <FindingCounts repo={repo} />
                </td>
                <td>
                  {repo.last_scan_at ? (
                    <time dateTime={repo.last_scan_at}>{new Date(repo.last_scan_at).toLocaleString()}</time>
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Reasons({
  repo,
  evaluation,
}: {
  repo: Repo;
  evaluation: { data?: PolicyEvaluation; isPending: boolean; error: unknown } | undefined;
}) {
  if (repo.status === 'ERROR') return <span>The last scan did not complete.</span>;
  if (repo.status === 'PENDING') return <span className="muted">Not scanned yet.</span>;
  if (repo.status === 'OK') return <span className="muted">No rule applies.</span>;
  if (!evaluation) return <span className="muted">Not loaded (too many to show).</span>;
  if (evaluation.isPending) return <span className="muted">Loading…</span>;
  if (evaluation.error) {
    return (
      <span>
        Reasons unavailable
        {evaluation.error instanceof ApiError ? `: ${evaluation.error.message}` : '.'}
      </span>
    );
  }
  const reasons = evaluation.data?.reasons ?? [];
  if (reasons.length === 0) return <span className="muted">No reason given.</span>;
  return (
    <ul className="reasons">
      {reasons.map((reason) => (
        <li key={`${reason.rule}:${reason.message}`}>
          <span className={`badge status-${reason.status}`}>{reason.status}</span> {reason.message}
        </li>
      ))}
    </ul>
  );
}

function FindingCounts({ repo }: { repo: Repo }) {
  const counts = repo.open_findings;
  if (counts.total === 0) return <span>0</span>;
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return (
    <span>
      {counts.total} <span className="muted">({parts.join(', ')})</span>
    </span>
  );
}
