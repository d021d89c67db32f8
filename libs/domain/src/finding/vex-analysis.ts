/**
 * Triage in the words of VEX (CycloneDX's `analysis`, which OpenVEX maps onto): what a team decided
 * about a finding. Today's ignore is `not_affected` with the reason as its detail; reopening clears
 * the analysis. Only a decision that the finding does not apply takes it out of the policy's count.
 */
export const VEX_STATES = ['in_triage', 'exploitable', 'not_affected', 'false_positive', 'resolved'] as const;
export type VexState = (typeof VEX_STATES)[number];

/** CycloneDX 1.6 `impactAnalysisJustification`: why a finding is `not_affected`. */
export const VEX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

/** CycloneDX 1.6 `impactAnalysisResponse`: what is done about an `exploitable` finding. */
export const VEX_RESPONSES = [
  'can_not_fix',
  'will_not_fix',
  'update',
  'rollback',
  'workaround_available',
] as const;
export type VexResponse = (typeof VEX_RESPONSES)[number];

export interface VexAnalysis {
  readonly state: VexState;
  /** Only with `not_affected` (optional there; OpenVEX then needs the detail as impact statement). */
  readonly justification: VexJustification | null;
  /** Only with `exploitable`; may be empty. */
  readonly responses: readonly VexResponse[];
  /** Free text: the ignore's reason, the impact statement. */
  readonly detail: string | null;
}

const OUT_OF_COUNT: ReadonlySet<VexState> = new Set(['not_affected', 'false_positive', 'resolved']);

/** Whether a finding with this analysis leaves the policy's count (and lists as `ignored`). */
export function leavesPolicyCount(state: VexState): boolean {
  return OUT_OF_COUNT.has(state);
}

/** The finding status a decision in this state gives: out of the count is `ignored`, else `open`. */
export function findingStatusOfVexState(state: VexState): 'ignored' | 'open' {
  return leavesPolicyCount(state) ? 'ignored' : 'open';
}

/** Today's ignore, as VEX: not affected, for the reason given. */
export function vexAnalysisOfIgnore(reason: string | null): VexAnalysis {
  return { state: 'not_affected', justification: null, responses: [], detail: reason };
}
