import type { UseQueryResult } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { Page } from '../api/api-client';
import { Empty, ErrorMessage, Loading } from '../layout/query-states';
import {
  ECOSYSTEMS,
  FINDING_SORTS,
  FINDING_STATUSES,
  FINDINGS_PER_PAGE,
  type Finding,
  type FindingQuery,
} from './repository.api';
import { SEVERITY_FILTERS, withParams } from './repository-query';

/** The filters (a form whose answer is the address), the table, and its pages. */
export function FindingsTable({
  query,
  findings,
  selectedId,
}: {
  query: FindingQuery;
  findings: UseQueryResult<Page<Finding>>;
  selectedId: string | null;
}) {
  const [search, setSearch] = useSearchParams();

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    setSearch(
      withParams(search, {
        status: field('status') === 'open' ? null : field('status'),
        severity: field('severity'),
        ecosystem: field('ecosystem'),
        package: field('package'),
        sort: field('sort') === 'severity' ? null : field('sort'),
        page: null,
        finding: null,
      }),
    );
  }

  return (
    <>
      {/* Keyed by the address so the fields show what the address says after back and forward. */}
      <form className="filters" onSubmit={apply} key={search.toString()} aria-label="Filter findings">
        <label>
          Status
          <select name="status" defaultValue={query.status}>
            {FINDING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'all' ? 'any status' : s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select name="severity" defaultValue={query.severity}>
            <option value="">any severity</option>
            {SEVERITY_FILTERS.map((s) => (
              <option key={s} value={s}>
                {s === 'unknown' ? 'unknown only' : s === 'critical' ? 'critical' : `${s} and above`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Ecosystem
          <select name="ecosystem" defaultValue={query.ecosystem}>
            <option value="">any ecosystem</option>
            {ECOSYSTEMS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label>
          Package
          <input name="package" type="search" defaultValue={query.package} maxLength={300} />
        </label>
        <label>
          Sort
          <select name="sort" defaultValue={query.sort}>
            {FINDING_SORTS.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Apply</button>
      </form>

      {findings.isPending ? (
        <Loading what="the findings" />
      ) : findings.isError ? (
        <ErrorMessage
          what="the findings"
          error={findings.error}
          notFound="No repository with this id is in your orgs."
          retry={() => void findings.refetch()}
        />
      ) : findings.data.items.length === 0 ? (
        <Empty>
          {findings.data.total > 0
            ? 'This page is past the last one.'
            : query.status === 'open' && !query.severity && !query.ecosystem && !query.package
              ? 'No open findings.'
              : 'No finding matches these filters.'}
        </Empty>
      ) : (
        <>
          <p className="muted" role="status" data-testid="findings-total">
            {findings.data.total} finding{findings.data.total === 1 ? '' : 's'}
            {findings.isFetching ? ' (updating…)' : ''}
          </p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Findings table">
            <table className="findings">
              <thead>
                <tr>
                  <th scope="col">Advisory</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Package</th>
                  <th scope="col">Manifest</th>
                  <th scope="col">Fixed in</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {findings.data.items.map((f) => (
                  <tr
                    key={f.id}
                    data-testid={`finding-${f.id}`}
                    aria-current={f.id === selectedId ? 'true' : undefined}
                  >
                    <th scope="row">
                      <Link to={withParams(search, { finding: f.id })}>{f.vulnerability.id}</Link>
                      {f.vulnerability.summary && <span className="summary">{f.vulnerability.summary}</span>}
                    </th>
                    <td>
                      <span className={`badge severity-${f.severity.toLowerCase()}`}>{f.severity}</span>
                    </td>
                    <td>
                      {f.dependency.name} <span className="muted">{f.dependency.version}</span>
                    </td>
                    <td className="path">
                      {f.dependency.manifest_path}
                      {f.dependency.line !== null && `:${f.dependency.line}`}
                    </td>
                    <td>{f.fixed_versions.length > 0 ? f.fixed_versions.join(', ') : 'no fix yet'}</td>
                    <td>{f.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={query.page} total={findings.data.total} perPage={FINDINGS_PER_PAGE} param="page" />
        </>
      )}
    </>
  );
}

/** Previous and next as links (the page is in the address), with where the reader is. */
export function Pager({
  page,
  total,
  perPage,
  param,
}: {
  page: number;
  total: number;
  perPage: number;
  param: string;
}) {
  const [search] = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages === 1 && page === 1) return null;
  // Another page of findings no longer shows the finding opened on this one.
  const to = (n: number) =>
    withParams(search, {
      [param]: n === 1 ? null : String(n),
      ...(param === 'page' ? { finding: null } : {}),
    });
  return (
    <nav className="pager" aria-label={`${param === 'page' ? 'Findings' : 'Scans'} pages`}>
      {page > 1 ? <Link to={to(page - 1)}>Previous page</Link> : <span className="muted">Previous page</span>}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link to={to(page + 1)}>Next page</Link> : <span className="muted">Next page</span>}
    </nav>
  );
}
