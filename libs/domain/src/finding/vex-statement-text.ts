import { VEX_RESPONSES, type VexResponse } from './vex-analysis';
import { VEX_DETAIL_MAX_LENGTH } from './vex-decision';

/*
 * The sentences OpenVEX export writes for what OpenVEX has no field for (false_positive, the
 * responses of an exploitable finding), and their reading back by the VEX import, so that an
 * export re-imported gives the decisions it was written from.
 */

export const FALSE_POSITIVE_STATEMENT = 'False positive: the advisory does not apply to this component.';
/** The impact statement of not_affected with neither justification nor detail (OpenVEX needs one). */
export const NO_DETAIL_STATEMENT = 'Triaged as not affected; no detail was given.';
/** The action statement of exploitable with neither responses nor detail (OpenVEX needs one). */
export const NO_RESPONSE_STATEMENT = 'Affected; no response was recorded yet.';

const RESPONSE_PREFIX = 'Response: ';
const RESPONSE_TEXT: Readonly<Record<VexResponse, string>> = {
  can_not_fix: 'cannot be fixed',
  will_not_fix: 'will not be fixed',
  update: 'update to a fixed version',
  rollback: 'roll back to an unaffected version',
  workaround_available: 'a workaround is available',
};
const RESPONSE_OF_TEXT = new Map(VEX_RESPONSES.map((r) => [RESPONSE_TEXT[r], r]));

/** Free text as a decision's detail holds it: trimmed, and cut to the limit with an ellipsis. */
export function clippedVexDetail(text: string | null | undefined): string | null {
  const trimmed = text?.trim() || null;
  if (trimmed === null || trimmed.length <= VEX_DETAIL_MAX_LENGTH) return trimmed;
  return `${trimmed.slice(0, VEX_DETAIL_MAX_LENGTH - 1).trimEnd()}…`;
}

export function falsePositiveStatement(detail: string | null): string {
  const clipped = clippedVexDetail(detail);
  return clipped ? `${FALSE_POSITIVE_STATEMENT} ${clipped}` : FALSE_POSITIVE_STATEMENT;
}

/** An impact statement: the export's false-positive sentence says false_positive, the rest is detail. */
export function readImpactStatement(text: string | null): { falsePositive: boolean; detail: string | null } {
  const trimmed = text?.trim() ?? '';
  if (trimmed === FALSE_POSITIVE_STATEMENT || trimmed.startsWith(`${FALSE_POSITIVE_STATEMENT} `)) {
    return { falsePositive: true, detail: clippedVexDetail(trimmed.slice(FALSE_POSITIVE_STATEMENT.length)) };
  }
  return { falsePositive: false, detail: clippedVexDetail(trimmed) };
}

export function actionStatement(responses: readonly VexResponse[], detail: string | null): string {
  const clipped = clippedVexDetail(detail);
  const said =
    responses.length > 0 ? `${RESPONSE_PREFIX}${responses.map((r) => RESPONSE_TEXT[r]).join('; ')}.` : null;
  return [said, clipped].filter((part): part is string => part !== null).join(' ') || NO_RESPONSE_STATEMENT;
}

/**
 * An action statement: the export's `Response: …` sentence gives the responses (when every one
 * of them is one the export writes), the rest is detail; the export's no-response sentence is none.
 */
export function readActionStatement(text: string | null): {
  responses: VexResponse[];
  detail: string | null;
} {
  const trimmed = text?.trim() ?? '';
  if (trimmed === NO_RESPONSE_STATEMENT) return { responses: [], detail: null };
  const end = trimmed.indexOf('.');
  if (trimmed.startsWith(RESPONSE_PREFIX) && end > 0) {
    const responses = trimmed
      .slice(RESPONSE_PREFIX.length, end)
      .split('; ')
      .map((t) => RESPONSE_OF_TEXT.get(t));
    if (responses.every((r): r is VexResponse => r !== undefined)) {
      return { responses, detail: clippedVexDetail(trimmed.slice(end + 1)) };
    }
  }
  return { responses: [], detail: clippedVexDetail(trimmed) };
}
