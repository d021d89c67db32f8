import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet } from '../api/api-client';
import { problemsByField } from '../api/api-send';
import { FormField } from '../layout/form-field';
import { Empty, ErrorMessage, Loading } from '../layout/query-states';
import { useToken } from '../session/session.context';
import { useApiKeys } from './api-keys.section';
import { useItems } from './settings-lists';
import {
  AUDIT_ACTIONS,
  auditPath,
  membersPath,
  type AuditEntry,
  type AuditPage,
  type Member,
} from './settings-api';

/** The filters, from the address (`?actor=&action=&from=YYYY-MM-DD&to=YYYY-MM-DD`), so a view can be shared. */
interface AuditFilters {
  actor: string;
  action: string;
  from: string;
  to: string;
}

const FILTER_KEYS = ['actor', 'action', 'from', 'to'] as const;

/** The audit API's query string: days as the browser's local days, as ISO instants. */
function auditQuery(filters: AuditFilters, cursor: string | null): string {
  const query = new URLSearchParams({ per_page: '50' });
  if (filters.actor) query.set('actor_id', filters.actor);
  if (filters.action) query.set('action', filters.action);
  const day = (value: string, time: string) => {
    const at = new Date(`${value}T${time}`);
    // A day the browser cannot read goes as typed: the API names the field.
    return Number.isNaN(at.getTime()) ? value : at.toISOString();
  };
  if (filters.from) query.set('since', day(filters.from, '00:00:00'));
  if (filters.to) query.set('until', day(filters.to, '23:59:59.999'));
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}

export function AuditLogSection({ orgId }: { orgId: string }) {
  const token = useToken();
  const [search, setSearch] = useSearchParams();
  const filters: AuditFilters = {
    actor: search.get('actor') ?? '',
    action: search.get('action') ?? '',
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
  };
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const members = useItems<Member>('members', orgId, membersPath(orgId));
  const keys = useApiKeys(orgId);
  const actorNames = new Map<string, string>([
    ...(members.data ?? []).map((m) => [m.user_id, m.email ?? m.user_id] as const),
    ...(keys.data ?? []).map((k) => [k.id, `API key ${k.name}`] as const),
  ]);

  const log = useInfiniteQuery({
    queryKey: ['audit', token, orgId, filters],
    queryFn: ({ pageParam, signal }) =>
      apiGet<AuditPage>(token, `${auditPath(orgId)}?${auditQuery(filters, pageParam)}`, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const problems = problemsByField(log.error);
  const fieldOf: Record<keyof AuditFilters, string> = {
    actor: 'actor_id',
    action: 'action',
    from: 'since',
    to: 'until',
  };
  const badFilter = FILTER_KEYS.some((k) => problems.has(fieldOf[k]));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(search);
    for (const k of FILTER_KEYS) {
      if (draft[k]) next.set(k, draft[k]);
      else next.delete(k);
    }
    setSearch(next);
  };
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section aria-labelledby="audit-log" className="panel">
      <h2 id="audit-log">Audit log</h2>
      <form onSubmit={apply} noValidate className="filters" aria-label="Audit log filters">
        <FormField id="audit-actor" label="Who" problems={problems.get('actor_id')}>
          {(props) => (
            <select
              {...props}
              value={draft.actor}
              onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
            >
              <option value="">anyone</option>
              {[...actorNames].map(([id, label]) => (
                <option key={id} value={id}>
                  {label}
                </option>
              ))}
              {filters.actor && !actorNames.has(filters.actor) && (
                <option value={filters.actor}>{filters.actor}</option>
              )}
            </select>
          )}
        </FormField>
        <FormField id="audit-action" label="Action" problems={problems.get('action')}>
          {(props) => (
            <select
              {...props}
              value={draft.action}
              onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            >
              <option value="">any action</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField id="audit-from" label="From (day)" problems={problems.get('since')}>
          {(props) => (
            <input
              {...props}
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          )}
        </FormField>
        <FormField id="audit-to" label="To (day)" problems={problems.get('until')}>
          {(props) => (
            <input
              {...props}
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          )}
        </FormField>
        <div className="actions">
          <button type="submit">Filter</button>
          <Link to="?" onClick={() => setDraft({ actor: '', action: '', from: '', to: '' })}>
            Clear filters
          </Link>
        </div>
      </form>

      {log.isPending ? (
        <Loading what="the audit log" />
      ) : log.isError ? (
        badFilter ? (
          <p className="problem" role="alert">
            The API refused these filters: {log.error.message}
          </p>
        ) : (
          <ErrorMessage what="the audit log" error={log.error} retry={() => void log.refetch()} />
        )
      ) : rows.length === 0 ? (
        <Empty>No audit entry {FILTER_KEYS.some((k) => filters[k]) ? 'matches these filters' : 'yet'}.</Empty>
      ) : (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Audit log table">
            <table className="audit">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">On</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <AuditRow key={row.id} row={row} actorNames={actorNames} />
                ))}
              </tbody>
            </table>
          </div>
          {log.hasNextPage && (
            <button
              type="button"
              className="secondary"
              disabled={log.isFetchingNextPage}
              onClick={() => void log.fetchNextPage()}
            >
              {log.isFetchingNextPage ? 'Loading older entries…' : 'Older entries'}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function AuditRow({ row, actorNames }: { row: AuditEntry; actorNames: ReadonlyMap<string, string> }) {
  const who =
    row.actor_id === null
      ? row.actor_type
      : (actorNames.get(row.actor_id) ?? `${row.actor_type.replace('_', ' ')} ${row.actor_id}`);
  const details = Object.entries(row.metadata)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
  return (
    <tr data-testid="audit-row">
      <td>
        <time dateTime={row.created_at}>{new Date(row.created_at).toLocaleString()}</time>
      </td>
      <td>{who}</td>
      <td>
        <code>{row.action}</code>
      </td>
      <td>
        {row.target_type}
        {row.target_id && <span className="muted"> {row.target_id}</span>}
      </td>
      <td>{details || <span className="muted">—</span>}</td>
    </tr>
  );
}
