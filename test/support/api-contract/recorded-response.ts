// What the e2e suite records of each answer the API gave it, one JSON line per answer, for the
// contract check at the end of the run (validate-recorded-responses.ts). Relative imports only:
// Jest's global teardown loads this without moduleNameMapper.

/** Set by the e2e global set-up: the folder every Jest worker writes its answers into. */
export const RECORD_DIR_ENV = 'REPOGUARD_API_RESPONSE_DIR';

export interface RecordedResponse {
  /** The OpenAPI document the answering API served (`openapi-<document>.json` in the folder). */
  readonly document: string;
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly status: number;
  readonly contentType: string | null;
  /** Parsed JSON; undefined when the body was empty or not JSON. */
  readonly body?: unknown;
  /** The test file that received it, to find the request that led to it. */
  readonly testFile: string;
}

export const documentFile = (document: string) => `openapi-${document}.json`;
export const RESPONSES_FILE = /^responses-.+\.jsonl$/;
