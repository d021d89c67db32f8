// Writes to the API (POST, PUT, PATCH, DELETE) as the session's token. A refusal keeps the API's
// details ({field, problem}) so a form can show each problem next to its field.
import { ApiError, apiUrl } from './api-client';

export interface FieldProblem {
  field: string;
  problem: string;
}

export class ApiRefusal extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details: readonly FieldProblem[],
  ) {
    super(status, code, message);
    this.name = 'ApiRefusal';
  }
}

interface RefusalBody {
  error?: { code?: string; message?: string; details?: FieldProblem[] };
}

/** Sends `body` as JSON to `path` (under /api/v1); the JSON answer (undefined for 204), or an ApiRefusal. */
export async function apiSend<T>(
  token: string,
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
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
    });
  } catch {
    throw new ApiRefusal(0, 'NETWORK', 'The RepoGuard API could not be reached. Check your connection.', []);
  }
  if (response.status === 204) return undefined as T;
  if (response.ok) return (await response.json()) as T;
  const answer = (await response.json().catch(() => ({}))) as RefusalBody;
  throw new ApiRefusal(
    response.status,
    answer.error?.code ?? `HTTP_${response.status}`,
    answer.error?.message ?? `The API answered ${response.status} ${response.statusText}.`,
    Array.isArray(answer.error?.details) ? answer.error.details : [],
  );
}

/** The problems of a refusal by field, for forms; a refusal without details under ''. */
export function problemsByField(error: unknown): Map<string, string[]> {
  const problems = new Map<string, string[]>();
  if (!(error instanceof ApiError)) return problems;
  const details = error instanceof ApiRefusal ? error.details : [];
  if (details.length === 0) problems.set('', [error.message]);
  for (const { field, problem } of details) problems.set(field, [...(problems.get(field) ?? []), problem]);
  return problems;
}
