import type { ReactNode } from 'react';
import { ApiError } from '../api/api-client';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      Loading {what}…
    </p>
  );
}

/** An error in words, with the API's code for a support request, and a retry. */
export function ErrorMessage({
  what,
  error,
  retry,
  notFound = 'This org does not exist or you are not a member of it.',
}: {
  what: string;
  error: unknown;
  retry?: () => void;
  /** What a 403 or 404 means here. */
  notFound?: string;
}) {
  const detail =
    error instanceof ApiError
      ? error.status === 403 || error.status === 404
        ? notFound
        : `${error.message}${error.code ? ` (${error.code})` : ''}`
      : 'Something went wrong in the page.';
  return (
    <div role="alert" className="problem">
      <p>
        Could not load {what}. {detail}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
