import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { apiGet } from '../api/api-client';
import { Empty, ErrorMessage, Loading } from '../layout/query-states';
import { useToken } from '../session/session.context';

/** A list the API answers as `{items}` (members, invitations, API keys), read as the session. */
export function useItems<T>(key: string, orgId: string, path: string): UseQueryResult<T[]> {
  const token = useToken();
  return useQuery({
    queryKey: [key, token, orgId],
    queryFn: ({ signal }) => apiGet<{ items: T[] }>(token, path, signal).then((a) => a.items),
  });
}

/** Marks these lists (and the audit log, which every change adds to) to be read again. */
export function useRefresh(...keys: string[]): () => Promise<void> {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([...keys, 'audit'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
  };
}

/** Loading, error and empty states in words, else a table of `columns` (its rows from `children`) that scrolls on a phone. */
export function ListState<T>({
  query,
  what,
  empty,
  columns,
  children,
}: {
  query: UseQueryResult<T[]>;
  what: string;
  empty: string;
  columns: readonly string[];
  children: (items: T[]) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError)
    return <ErrorMessage what={what} error={query.error} retry={() => void query.refetch()} />;
  if (query.data.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`${what} table`}>
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children(query.data)}</tbody>
      </table>
    </div>
  );
}

/** What a refused write says, in words, for an alert. */
export function Refusal({ error, doing }: { error: unknown; doing: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <p className="problem" role="alert">
      Could not {doing}: {message}
    </p>
  );
}
