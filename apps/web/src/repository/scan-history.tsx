import { Empty, ErrorMessage, Loading } from '../layout/query-states';
import { Pager } from './findings-table';
import { SCANS_PER_PAGE, useScans, type Scan } from './repository.api';

const PHASES = ['fetch', 'parse', 'match', 'persist', 'evaluate'] as const;

/** Milliseconds as people read them: 850 ms, 1.2 s. */
const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

/** The repository's scans, newest first, with each step's time and the run in the Temporal Web UI. */
export function ScanHistory({ repoId, page }: { repoId: string; page: number }) {
  const scans = useScans(repoId, page);
  if (scans.isPending) return <Loading what="the scan history" />;
  if (scans.isError)
    return (
      <ErrorMessage
        what="the scan history"
        error={scans.error}
        notFound="No repository with this id is in your orgs."
        retry={() => void scans.refetch()}
      />
    );
  if (scans.data.items.length === 0) return <Empty>No scan yet.</Empty>;
  return (
    <>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Scan history table">
        <table className="scans">
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Status</th>
              <th scope="col">Trigger</th>
              <th scope="col">Commit</th>
              <th scope="col">Step times</th>
              <th scope="col" className="number">
                Findings
              </th>
              <th scope="col">Run</th>
            </tr>
          </thead>
          <tbody>
            {scans.data.items.map((scan) => (
              <ScanRow key={scan.id} scan={scan} />
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={page} total={scans.data.total} perPage={SCANS_PER_PAGE} param="scans" />
    </>
  );
}

function ScanRow({ scan }: { scan: Scan }) {
  const created = new Date(scan.created_at);
  const timed = PHASES.filter((p) => scan.phase_timings_ms[p] !== undefined);
  return (
    <tr data-testid={`scan-${scan.id}`}>
      <th scope="row">
        <time dateTime={scan.created_at}>{created.toLocaleString()}</time>
      </th>
      <td>
        <span className={`badge scan-${scan.status}`}>{scan.status}</span>
        {scan.verdict && (
          <>
            {' '}
            <span className={`badge status-${scan.verdict.status}`}>{scan.verdict.status}</span>
          </>
        )}
        {scan.error && <span className="muted"> {scan.error.message ?? scan.error.code}</span>}
        {scan.complete === false && <span className="muted"> (not every manifest was read)</span>}
      </td>
      <td>{scan.trigger}</td>
      <td className="path">
        {scan.commit_sha ? scan.commit_sha.slice(0, 10) : <span className="muted">none</span>}
      </td>
      <td>
        {timed.length === 0 ? (
          <span className="muted">none yet</span>
        ) : (
          <ul className="timings" aria-label="Step times">
            {timed.map((p) => (
              <li key={p}>
                {p} {duration(scan.phase_timings_ms[p]!)}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="number">{scan.counts.findings ?? '–'}</td>
      <td>
        <a href={scan.temporal_ui_url} target="_blank" rel="noreferrer noopener">
          Temporal run<span className="visually-hidden"> of the scan of {created.toLocaleString()}</span>
        </a>
      </td>
    </tr>
  );
}
