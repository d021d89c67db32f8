import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Empty, ErrorMessage, Loading } from '../layout/query-states';
import { IfAllowed } from '../session/session.context';
import { FindingDetail } from './finding-detail';
import { FindingsTable } from './findings-table';
import { useEvaluation, useFindings, useRepository, type Finding, type RepoDetail } from './repository.api';
import { findingQueryOf, pageOf } from './repository-query';
import { ScanHistory } from './scan-history';
import { ScanNow } from './scan-now';
import './repository.css';

/** /repos/:repoId: a repository's status and why, its findings with triage, and its scans. */
export function RepositoryPage() {
  const { repoId = '' } = useParams();
  const repo = useRepository(repoId);

  useEffect(() => {
    document.title = `${repo.data ? repo.data.full_name : 'Repository'} · RepoGuard`;
  }, [repo.data]);

  if (repo.isPending) return <Loading what="the repository" />;
  if (repo.isError) {
    return (
      <>
        <h1>Repository</h1>
        <ErrorMessage
          what="the repository"
          error={repo.error}
          notFound="No repository with this id is in your orgs."
          retry={() => void repo.refetch()}
        />
      </>
    );
  }
  return <Repository repo={repo.data} />;
}

function Repository({ repo }: { repo: RepoDetail }) {
  const [search] = useSearchParams();
  const query = findingQueryOf(search);
  const findings = useFindings(repo.id, query);
  const selectedId = search.get('finding');
  // The finding as its last triage left it, shown even when that took it out of the filtered list.
  const [triaged, setTriaged] = useState<Finding | null>(null);
  const selected =
    findings.data?.items.find((f) => f.id === selectedId) ??
    (triaged?.id === selectedId ? triaged : undefined);

  return (
    <div className="repository">
      <p className="crumbs">
        <Link to={`/orgs/${repo.org_id}`}>Overview</Link> <span aria-hidden="true">›</span> Repository
      </p>
      <h1>
        {repo.full_name}{' '}
        <span className={`badge status-${repo.status}`} data-testid="repo-status">
          {repo.status}
        </span>
      </h1>
      <div className="repo-summary">
        <section aria-labelledby="why" className="panel">
          <h2 id="why">Status</h2>
          <StatusReasons repo={repo} />
        </section>
        <IfAllowed orgId={repo.org_id} control="scans.trigger">
          <section aria-labelledby="scan-now" className="panel">
            <h2 id="scan-now">Scan</h2>
            <ScanNow repo={repo} />
          </section>
        </IfAllowed>
      </div>

      <section aria-labelledby="findings" className="panel">
        <h2 id="findings">Findings</h2>
        <FindingsTable query={query} findings={findings} selectedId={selectedId} />
      </section>

      {selectedId && (
        <section aria-labelledby="finding-detail" className="panel" data-testid="finding-detail">
          {selected ? (
            <FindingDetail finding={selected} orgId={repo.org_id} repoId={repo.id} onTriaged={setTriaged} />
          ) : findings.isPending ? (
            <Loading what="the finding" />
          ) : (
            <>
              <h2 id="finding-detail" tabIndex={-1}>
                Finding
              </h2>
              <Empty>This finding is not in the list as filtered now. Change the filters or the page.</Empty>
            </>
          )}
        </section>
      )}

      <section aria-labelledby="scans" className="panel">
        <h2 id="scans">Scan history</h2>
        <ScanHistory repoId={repo.id} page={pageOf(search.get('scans'))} />
      </section>
    </div>
  );
}

function StatusReasons({ repo }: { repo: RepoDetail }) {
  const evaluation = useEvaluation(repo.org_id, repo.id);
  const lastScan = repo.last_scan_at ? (
    <>
      Last scanned <time dateTime={repo.last_scan_at}>{new Date(repo.last_scan_at).toLocaleString()}</time>.
    </>
  ) : (
    'Not scanned yet.'
  );
  return (
    <>
      <p>
        {repo.open_findings.total} open finding{repo.open_findings.total === 1 ? '' : 's'}. {lastScan}
        {repo.disabled && (
          <>
            {' '}
            Disabled since{' '}
            <time dateTime={repo.disabled.at}>{new Date(repo.disabled.at).toLocaleString()}</time>
            {repo.disabled.reason ? `: ${repo.disabled.reason}` : ''}; it is not scanned.
          </>
        )}
      </p>
      {repo.status === 'ERROR' ? (
        <p>The last scan did not complete; see the scan history below.</p>
      ) : repo.status === 'PENDING' ? (
        <Empty>No policy verdict until the first scan completes.</Empty>
      ) : evaluation.isPending ? (
        <Loading what="the policy's reasons" />
      ) : evaluation.isError ? (
        <ErrorMessage
          what="the policy's reasons"
          error={evaluation.error}
          retry={() => void evaluation.refetch()}
        />
      ) : evaluation.data.reasons.length === 0 ? (
        <p data-testid="policy-reasons">The current policy finds nothing to warn about or fail.</p>
      ) : (
        <ul className="reasons" data-testid="policy-reasons">
          {evaluation.data.reasons.map((reason) => (
            <li key={`${reason.rule}:${reason.message}`}>
              <span className={`badge status-${reason.status}`}>{reason.status}</span> {reason.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
