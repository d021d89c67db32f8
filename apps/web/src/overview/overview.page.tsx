import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiGet, apiGetAll } from '../api/api-client';
import { SEVERITIES, type PolicyReason, type Repo, type RepoStatus } from '../api/api-types';
import { Empty, ErrorMessage, Loading } from '../layout/query-states';
import { useMyOrgs, useToken } from '../session/session.context';
import { byUrgency, isRepoStatus, type OrgSummary } from './org-summary';
import { NewestCriticalFindings, RecentScans } from './overview-lists';
import { TrendChart } from './trend-chart';
import './overview.css';

const STATUS_WORDS: Record<RepoStatus, string> = {
  FAIL: 'failing the policy',
  WARN: 'with warnings',
  OK: 'passing',
  PENDING: 'not scanned yet',
  ERROR: 'whose last scan failed',
};

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

  const summary = useQuery({
    queryKey: ['summary', token, orgId],
    queryFn: ({ signal }) => apiGet<OrgSummary>(token, `/orgs/${orgId}/summary`, signal),
  });

  return (
    <>
      <h1>Overview{org && <span className="subtitle"> of {org.name}</span>}</h1>
      {summary.isPending ? (
        <Loading what="the org's overview" />
      ) : summary.isError ? (
        <ErrorMessage what="the org's overview" error={summary.error} retry={() => void summary.refetch()} />
      ) : summary.data.repositories.total === 0 ? (
        <Empty>
          No repositories are connected to this org yet. Connect one with{' '}
          <code>POST /api/v1/orgs/{orgId}/repos</code>.
        </Empty>
      ) : (
        <Summary orgId={orgId} summary={summary.data} status={status} />
      )}
    </>
  );
}

function Summary({
  orgId,
  summary,
  status,
}: {
  orgId: string;
  summary: OrgSummary;
  status: RepoStatus | null;
}) {
  const byStatus = summary.repositories.by_status;
  const lower = (s: RepoStatus) => s.toLowerCase() as Lowercase<RepoStatus>;
  return (
    <div className="overview">
      <section aria-labelledby="by-status">
        <h2 id="by-status">Repositories by status</h2>
        <ul className="tiles">
          <li>
            <Link to={`/orgs/${orgId}`} aria-current={status === null ? 'page' : undefined} className="tile">
              <span className="count" data-testid="repos-total">
                {summary.repositories.total}
              </span>{' '}
              <span className="label">all repositories</span>
            </Link>
          </li>
          {(['FAIL', 'WARN', 'OK', 'ERROR', 'PENDING'] as const)
            .filter((s) => s === 'FAIL' || s === 'WARN' || s === 'OK' || byStatus[lower(s)] > 0)
            .map((s) => (
              <li key={s}>
                <Link
                  to={`/orgs/${orgId}?status=${s}`}
                  aria-current={status === s ? 'page' : undefined}
                  className={`tile status-${s}`}
                >
                  <span className="count" data-testid={`status-count-${s}`}>
                    {byStatus[lower(s)]}
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
                  {summary.open_findings[s]}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="number" data-testid="severity-count-total">
                {summary.open_findings.total}
              </td>
            </tr>
          </tfoot>
        </table>
      </section>

      <section aria-labelledby="trend" className="wide">
        <h2 id="trend">Open findings over the last {summary.trend.points.length} days</h2>
        <TrendChart points={summary.trend.points} />
      </section>

      <section aria-labelledby="newest-critical">
        <h2 id="newest-critical">Newest critical findings</h2>
        <NewestCriticalFindings findings={summary.newest_critical_findings} />
      </section>

      <section aria-labelledby="recent-scans">
        <h2 id="recent-scans">Recent scans</h2>
        <RecentScans scans={summary.recent_scans} />
      </section>

      <section aria-labelledby="repositories" className="wide">
        <h2 id="repositories">{status ? `Repositories ${STATUS_WORDS[status]}` : 'Repositories'}</h2>
        <Repositories orgId={orgId} summary={summary} status={status} />
      </section>
    </div>
  );
}

/** Every repository (all pages of GET /repos), with the reasons the summary gives. */
function Repositories({
  orgId,
  summary,
  status,
}: {
  orgId: string;
  summary: OrgSummary;
  status: RepoStatus | null;
}) {
  const token = useToken();
  const repos = useQuery({
    queryKey: ['repos', token, orgId],
    queryFn: ({ signal }) => apiGetAll<Repo>(token, `/orgs/${orgId}/repos`, signal),
  });
  if (repos.isPending) return <Loading what="the org's repositories" />;
  if (repos.isError)
    return (
      <ErrorMessage what="the org's repositories" error={repos.error} retry={() => void repos.refetch()} />
    );
  const shown = repos.data.filter((r) => status === null || r.status === status).sort(byUrgency);
  if (shown.length === 0)
    return <Empty>No repository is {status ? STATUS_WORDS[status] : 'connected'}.</Empty>;
  const reasons = new Map(summary.repositories.attention.items.map((r) => [r.id, r.reasons]));
  return <RepoTable repos={shown} reasons={reasons} />;
}

function RepoTable({
  repos,
  reasons,
}: {
  repos: readonly Repo[];
  reasons: ReadonlyMap<string, PolicyReason[]>;
}) {
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
                  <Reasons repo={repo} reasons={reasons.get(repo.id)} />
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

function Reasons({ repo, reasons }: { repo: Repo; reasons: PolicyReason[] | undefined }) {
  if (repo.status === 'ERROR') return <span>The last scan did not complete.</span>;
  if (repo.status === 'PENDING') return <span className="muted">Not scanned yet.</span>;
  if (repo.status === 'OK') return <span className="muted">No rule applies.</span>;
  if (!reasons) return <span className="muted">Not loaded (the summary gives the first 50).</span>;
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
