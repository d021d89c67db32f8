// The Repository page's reads and writes: the repository, its policy reasons, its findings, its
// scans, triage (PATCH /findings/{id}) and "scan now" (POST /repos/{id}/scan, then polling).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiRequest, type Page } from '../api/api-client';
import type { PolicyEvaluation, Repo } from '../api/api-types';
import { useToken } from '../session/session.context';

export interface RepoDetail extends Repo {
  org_id: string;
  default_branch: string;
  git_url: string | null;
}

export const FINDING_STATUSES = ['open', 'ignored', 'fixed', 'withdrawn', 'all'] as const;
export const FINDING_SORTS = [
  ['severity', 'Most severe first'],
  ['severity:asc', 'Least severe first'],
  ['package', 'Package, A to Z'],
  ['package:desc', 'Package, Z to A'],
  ['first_seen', 'Newest first'],
  ['first_seen:asc', 'Oldest first'],
] as const;
export const ECOSYSTEMS = ['PyPI', 'npm', 'Go', 'crates.io', 'RubyGems', 'Packagist', 'Maven'] as const;

export interface Finding {
  id: string;
  repo_id: string;
  status: string;
  severity: string;
  cvss_score: number | null;
  vulnerability: {
    id: string;
    aliases: string[];
    summary: string | null;
    references: { type: string; url: string }[];
  };
  dependency: {
    ecosystem: string;
    name: string;
    version: string;
    purl: string | null;
    manifest_path: string;
    direct: boolean | null;
    line: number | null;
  };
  fixed_versions: string[];
  triage: {
    status: string;
    reason: string | null;
    state: string | null;
    expires_at: string | null;
    decided_by: { type: string; id: string | null } | null;
    decided_at: string | null;
  } | null;
  first_seen: string;
  last_seen: string;
  fixed_at: string | null;
}

export const SCAN_ENDED = ['COMPLETED', 'FAILED', 'SUPERSEDED'] as const;

export interface Scan {
  id: string;
  status: string;
  trigger: string;
  ref: string | null;
  commit_sha: string | null;
  complete: boolean | null;
  phase_timings_ms: Partial<Record<'fetch' | 'parse' | 'match' | 'persist' | 'evaluate', number>>;
  counts: { findings?: number; dependencies?: number; manifests?: number };
  error: { code: string; message: string | null } | null;
  temporal_ui_url: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  verdict: { status: string } | null;
}

export interface ScanRequested {
  scan_id: string | null;
  request_id: string;
  status: 'QUEUED' | 'PENDING';
}

export interface ScanRequestState {
  state: 'pending' | 'relayed' | 'gave_up';
  last_error: string | null;
  scan_id: string | null;
}

/** The filters, order and page of the findings table, as the query string carries them. */
export interface FindingQuery {
  status: string;
  severity: string;
  ecosystem: string;
  package: string;
  sort: string;
  page: number;
}

export const FINDINGS_PER_PAGE = 20;
export const SCANS_PER_PAGE = 10;

export function findingsPath(repoId: string, q: FindingQuery): string {
  const params = new URLSearchParams({
    status: q.status,
    sort: q.sort,
    page: String(q.page),
    per_page: String(FINDINGS_PER_PAGE),
  });
  if (q.severity) params.set('severity', q.severity);
  if (q.ecosystem) params.set('ecosystem', q.ecosystem);
  if (q.package) params.set('package', q.package);
  return `/repos/${repoId}/findings?${params.toString()}`;
}

export function useRepository(repoId: string | undefined) {
  const token = useToken();
  return useQuery({
    queryKey: ['repository', token, repoId],
    queryFn: ({ signal }) => apiGet<RepoDetail>(token, `/repos/${repoId}`, signal),
    enabled: repoId !== undefined,
  });
}

export function useEvaluation(orgId: string | undefined, repoId: string) {
  const token = useToken();
  return useQuery({
    queryKey: ['repository-evaluation', token, repoId],
    queryFn: ({ signal }) =>
      apiGet<PolicyEvaluation>(
        token,
        `/orgs/${orgId}/policies/evaluation?repo_id=${encodeURIComponent(repoId)}`,
        signal,
      ),
    enabled: orgId !== undefined,
  });
}

export function useFindings(repoId: string, query: FindingQuery) {
  const token = useToken();
  const path = findingsPath(repoId, query);
  return useQuery({
    queryKey: ['repository-findings', token, repoId, path],
    queryFn: ({ signal }) => apiGet<Page<Finding>>(token, path, signal),
    placeholderData: (previous) => previous,
  });
}

export function useScans(repoId: string, page: number) {
  const token = useToken();
  return useQuery({
    queryKey: ['repository-scans', token, repoId, page],
    queryFn: ({ signal }) =>
      apiGet<Page<Scan>>(token, `/repos/${repoId}/scans?per_page=${SCANS_PER_PAGE}&page=${page}`, signal),
    placeholderData: (previous) => previous,
  });
}

/** Everything this page shows of the repository is read again (after a triage or a scan). */
function useRefreshRepository(repoId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      ['repository', 'repository-evaluation', 'repository-findings', 'repository-scans', 'repos'].map((key) =>
        queryClient.invalidateQueries({
          predicate: (query) =>
            query.queryKey[0] === key && (key === 'repos' || query.queryKey[2] === repoId),
        }),
      ),
    );
}

export interface TriageInput {
  findingId: string;
  status: 'ignored' | 'open';
  reason?: string;
  expiresAt?: string;
}

export function useTriage(repoId: string) {
  const token = useToken();
  const refresh = useRefreshRepository(repoId);
  return useMutation({
    mutationFn: ({ findingId, status, reason, expiresAt }: TriageInput) =>
      apiRequest<Finding>(token, 'PATCH', `/findings/${findingId}`, {
        status,
        ...(reason ? { reason } : {}),
        ...(expiresAt ? { expires_at: expiresAt } : {}),
      }),
    // Not awaited: the caller's own onSuccess must see the answer before the list is read again
    // (a finding ignored under the open filter leaves the list, and the form with it).
    onSuccess: () => {
      void refresh();
    },
  });
}

export function useRequestScan(repoId: string) {
  const token = useToken();
  return useMutation({
    mutationFn: () => apiRequest<ScanRequested>(token, 'POST', `/repos/${repoId}/scan`, {}),
  });
}

const POLL_MS = 1000;

/** What became of a scan request, polled until it names its scan or gives up. */
export function useScanRequestState(repoId: string, requested: ScanRequested | undefined) {
  const token = useToken();
  return useQuery({
    queryKey: ['scan-request', token, repoId, requested?.request_id],
    queryFn: ({ signal }) =>
      apiGet<ScanRequestState>(token, `/repos/${repoId}/scan-requests/${requested?.request_id}`, signal),
    enabled: requested !== undefined && requested.scan_id === null,
    refetchInterval: (query) =>
      query.state.data?.scan_id || query.state.data?.state === 'gave_up' ? false : POLL_MS,
  });
}

/** The scan, polled until it ends; then the page is read again. */
export function useScanProgress(repoId: string, scanId: string | null) {
  const token = useToken();
  const refresh = useRefreshRepository(repoId);
  return useQuery({
    queryKey: ['scan-progress', token, scanId],
    queryFn: async ({ signal }) => {
      const scan = await apiGet<Scan>(token, `/scans/${scanId}`, signal);
      if ((SCAN_ENDED as readonly string[]).includes(scan.status)) await refresh();
      return scan;
    },
    enabled: scanId !== null,
    refetchInterval: (query) =>
      query.state.data && (SCAN_ENDED as readonly string[]).includes(query.state.data.status)
        ? false
        : POLL_MS,
    staleTime: 0,
  });
}
