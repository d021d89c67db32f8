import {
  VEX_JUSTIFICATIONS,
  VEX_RESPONSES,
  VEX_STATES,
  type VexAnalysis,
  type VexJustification,
  type VexResponse,
  type VexState,
} from './vex-analysis';
import { ValidationError, type ErrorDetail } from '../errors';

/** As long as an ignore's reason may be: the detail is stored in its place. */
export const VEX_DETAIL_MAX_LENGTH = 1000;

/** A VEX decision as a person or a document states it, before it is checked. */
export interface VexDecisionInput {
  readonly state: string;
  readonly justification?: string | null;
  readonly responses?: readonly string[];
  readonly detail?: string | null;
}

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;
const isIn = <T extends string>(values: readonly T[], value: string): value is T =>
  (values as readonly string[]).includes(value);

/**
 * What is wrong with a VEX decision, each problem naming its field as `field` spells it (the PATCH
 * body's names by default). A justification only says why something is not affected, a response
 * only what is done about an exploitable one; not_affected needs a justification or a detail,
 * because OpenVEX refuses a not_affected statement with neither.
 */
export function vexDecisionProblems(
  input: VexDecisionInput,
  field: (name: string) => string = (name) => name,
): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (!isIn(VEX_STATES, input.state)) {
    return [{ field: field('state'), problem: oneOf(VEX_STATES) }];
  }
  const justification = input.justification ?? null;
  if (justification !== null) {
    if (input.state !== 'not_affected') {
      problems.push({ field: field('justification'), problem: 'only with state not_affected' });
    } else if (!isIn(VEX_JUSTIFICATIONS, justification)) {
      problems.push({ field: field('justification'), problem: oneOf(VEX_JUSTIFICATIONS) });
    }
  }
  const responses = input.responses ?? [];
  if (responses.length > 0 && input.state !== 'exploitable') {
    problems.push({ field: field('response'), problem: 'only with state exploitable' });
  } else {
    responses.forEach((response, i) => {
      if (!isIn(VEX_RESPONSES, response)) {
        problems.push({ field: field(`response[${i}]`), problem: oneOf(VEX_RESPONSES) });
      }
    });
  }
  const detail = input.detail?.trim() || null;
  if (detail !== null && detail.length > VEX_DETAIL_MAX_LENGTH) {
    problems.push({ field: field('detail'), problem: `must be at most ${VEX_DETAIL_MAX_LENGTH} characters` });
  }
  if (input.state === 'not_affected' && justification === null && detail === null) {
    problems.push({
      field: field('justification'),
      problem: 'not_affected needs a justification or a detail',
    });
  }
  return problems;
}

/** The analysis a VEX decision gives (detail trimmed, responses once each); invalid: 400 naming the fields. */
export function vexAnalysisOfDecision(input: VexDecisionInput): VexAnalysis {
  const problems = vexDecisionProblems(input);
  if (problems.length > 0) {
    throw new ValidationError(
      `Invalid VEX decision: check ${problems.map((p) => p.field).join(', ')}`,
      problems,
      'VEX_DECISION_INVALID',
    );
  }
  return checkedVexAnalysis(input);
}

/** The analysis of a decision `vexDecisionProblems` found nothing wrong with. */
export function checkedVexAnalysis(input: VexDecisionInput): VexAnalysis {
  return {
    state: input.state as VexState,
    justification: (input.justification ?? null) as VexJustification | null,
    responses: [...new Set(input.responses ?? [])] as VexResponse[],
    detail: input.detail?.trim() || null,
  };
}
