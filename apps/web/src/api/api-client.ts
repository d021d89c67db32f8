// The API on the same origin, with the session's bearer token. Errors keep the API's stable code
// and message ({error: {code, message, details}}) so pages can say what went wrong in words.

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// A page address's parts (a repository id from /repos/:repoId, say) arrive decoded and go into API
// paths: `x/../../orgs/…`, its %2e spelling or a backslash would let a crafted link send the
// session's token to another route. The URL parser treats all of these as dot segments.
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** The URL of `path` under /api/v1, refused when it could leave the route it names. */
export function apiUrl(path: string): string {
  const route = path.split('?', 1)[0]!;
  if (route.includes('\\') || route.includes('#') || route.split('/').some((s) => DOT_SEGMENT.test(s))) {
    throw new ApiError(0, 'BAD_ADDRESS', 'This page address is not one RepoGuard made.');
  }
  return `${API_BASE}${path}`;
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** GET `path` (under /api/v1) as `token`; the JSON answer, or an ApiError. */
export function apiGet<T>(token: string, path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>(token, 'GET', path, undefined, signal);
}

/** `method` on `path` (under /api/v1) as `token`, with `body` as JSON; the JSON answer, or an ApiError. */
export async function apiRequest<T>(
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const url = apiUrl(path);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'The RepoGuard API could not be reached. Check your connection.');
  }
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
  const answer = (await response.json().catch(() => ({}))) as ErrorBody;
  throw new ApiError(
    response.status,
    answer.error?.code ?? `HTTP_${response.status}`,
    answer.error?.message ?? `The API answered ${response.status} ${response.statusText}.`,
  );
}

/** Every item of a paged list (per_page=100 until `total` is reached). */
export async function apiGetAll<T>(token: string, path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  const joiner = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const answer = await apiGet<Page<T>>(token, `${path}${joiner}per_page=100&page=${page}`, signal);
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) return items;
  }
}

export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}
