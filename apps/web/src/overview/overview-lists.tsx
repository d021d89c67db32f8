import { Empty } from '../layout/query-states';
import { formatDuration, type NewestFinding, type RecentScan } from './org-summary';

const when = (iso: string) => <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;

/** The org's newest open critical findings: where, which package, which advisory, and the fix. */
export function NewestCriticalFindings({ findings }: { findings: readonly NewestFinding[] }) {
  if (findings.length === 0) return <Empty>No open critical finding.</Empty>;
  return (
    <ul className="findings-list">
      {findings.map((f) => (
        <li key={f.id} data-testid={`critical-${f.id}`}>
          <span className="badge severity-critical">critical</span>{' '}
          <strong>
            {f.package_name}@{f.version}
          </strong>{' '}
          <span className="muted">({f.ecosystem})</span> in <span>{f.repo_full_name}</span>
          <br />
          <code>{f.vulnerability_id}</code>
          {f.summary && <span>: {f.summary}</span>}
          <br />
          <span className="muted">
            {f.fixed_versions.length > 0 ? `Fixed in ${f.fixed_versions.join(', ')}` : 'No fix yet'} · first
            seen {when(f.first_seen)} · {f.manifest_path}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The org's latest scans: of what, how they ended, the verdict, and how long they took. */
export function RecentScans({ scans }: { scans: readonly RecentScan[] }) {
  if (scans.length === 0) return <Empty>No scan yet.</Empty>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Recent scans table">
      <table className="scans">
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">Scan</th>
            <th scope="col" className="number">
              Took
            </th>
          </tr>
        </thead>
        <tbody>
          {scans.map((scan) => (
            <tr key={scan.id} data-testid={`scan-${scan.id}`}>
              <th scope="row">
                {scan.repo_full_name}
                <br />
                <span className="muted">{when(scan.created_at)}</span>
              </th>
              <td>
                {scan.status.toLowerCase()}
                {scan.verdict && (
                  <>
                    {' '}
                    <span className={`badge status-${scan.verdict}`}>{scan.verdict}</span>
                  </>
                )}
                {scan.error_code && <span className="muted"> ({scan.error_code})</span>}
                <br />
                <span className="muted">{scan.trigger}</span>
              </td>
              <td className="number">
                {scan.duration_ms === null ? (
                  <span className="muted">–</span>
                ) : (
                  formatDuration(scan.duration_ms)
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
