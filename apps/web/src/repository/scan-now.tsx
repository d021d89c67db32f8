import { ApiError } from '../api/api-client';
import {
  SCAN_ENDED,
  useRequestScan,
  useScanProgress,
  useScanRequestState,
  type RepoDetail,
} from './repository.api';

const STEP_WORDS: Record<string, string> = {
  QUEUED: 'waiting for a worker',
  FETCHING: 'fetching the manifests',
  PARSING: 'reading the dependencies',
  MATCHING: 'matching against the advisories',
  PERSISTING: 'storing the findings',
  EVALUATING: 'applying the policy',
  COMPLETED: 'done',
  FAILED: 'it failed',
  SUPERSEDED: 'a newer scan took its place',
};

/** "Scan now": asks for a scan, then follows the request and the scan until it ends, in words. */
export function ScanNow({ repo }: { repo: RepoDetail }) {
  const request = useRequestScan(repo.id);
  const requested = request.data;
  const relay = useScanRequestState(repo.id, requested);
  const scanId = requested?.scan_id ?? relay.data?.scan_id ?? null;
  const progress = useScanProgress(repo.id, scanId);
  const scan = progress.data;
  const running =
    request.isPending ||
    (requested !== undefined &&
      relay.data?.state !== 'gave_up' &&
      !(scan && (SCAN_ENDED as readonly string[]).includes(scan.status)));

  let words: string | null = null;
  if (request.isPending) words = 'Asking for a scan…';
  else if (requested && relay.data?.state === 'gave_up')
    words = `The scan request was given up: ${relay.data.last_error ?? 'no reason given'}.`;
  else if (scan)
    words = `Scan ${scan.status}: ${STEP_WORDS[scan.status] ?? scan.status.toLowerCase()}${scan.error ? ` (${scan.error.message ?? scan.error.code})` : ''}.`;
  else if (requested?.status === 'PENDING')
    words = 'Scan requested. The workflow engine is out of reach; it starts when it is back.';
  else if (requested) words = 'Scan requested; waiting for it to start…';

  return (
    <>
      {repo.disabled ? (
        <p>This repository is disabled, so it is not scanned.</p>
      ) : (
        <button type="button" onClick={() => request.mutate()} disabled={running}>
          {running ? 'Scanning…' : 'Scan now'}
        </button>
      )}
      <p role="status" data-testid="scan-progress" className="scan-progress">
        {words}
      </p>
      {(request.error ?? progress.error ?? relay.error) && (
        <p role="alert" className="problem">
          {request.error ? 'The scan was not requested. ' : 'The scan could not be followed. '}
          {[request.error, progress.error, relay.error].find((e) => e instanceof ApiError)?.message ?? ''}
        </p>
      )}
    </>
  );
}
