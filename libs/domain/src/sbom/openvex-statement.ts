import type { VexAnalysis, VexJustification, VexResponse } from '../finding/vex-analysis';

export const OPENVEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type OpenVexStatus = (typeof OPENVEX_STATUSES)[number];

/** OpenVEX 0.2.0's five justifications for `not_affected`. */
export type OpenVexJustification =
  | 'component_not_present'
  | 'vulnerable_code_not_present'
  | 'vulnerable_code_not_in_execute_path'
  | 'vulnerable_code_cannot_be_controlled_by_adversary'
  | 'inline_mitigations_already_exist';

/** A statement's status and the fields OpenVEX asks for with it. */
export interface OpenVexVerdict {
  readonly status: OpenVexStatus;
  readonly justification?: OpenVexJustification;
  /** Required (or a justification) with `not_affected`. */
  readonly impactStatement?: string;
  /** Required with `affected`. */
  readonly actionStatement?: string;
  readonly statusNotes?: string;
}

/** CycloneDX's nine justifications onto OpenVEX's five (README: "SBOM and VEX"). */
export const OPENVEX_JUSTIFICATION: Readonly<Record<VexJustification, OpenVexJustification>> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  // The vulnerable code needs another component, which is not there.
  requires_dependency: 'component_not_present',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

const RESPONSE_TEXT: Readonly<Record<VexResponse, string>> = {
  can_not_fix: 'cannot be fixed',
  will_not_fix: 'will not be fixed',
  update: 'update to a fixed version',
  rollback: 'roll back to an unaffected version',
  workaround_available: 'a workaround is available',
};

/**
 * A decision (CycloneDX analysis) as OpenVEX states it. No decision, or `in_triage`, is
 * `under_investigation`; `false_positive` is `not_affected` (the advisory's code is not in this
 * component); `resolved` is `fixed`; `exploitable` is `affected` with its responses as the action.
 */
export function openVexVerdictOf(analysis: VexAnalysis | null): OpenVexVerdict {
  const detail = analysis?.detail?.trim() || null;
  switch (analysis?.state) {
    case undefined:
    case 'in_triage':
      return { status: 'under_investigation', ...(detail ? { statusNotes: detail } : {}) };
    case 'not_affected':
      return {
        status: 'not_affected',
        ...(analysis.justification ? { justification: OPENVEX_JUSTIFICATION[analysis.justification] } : {}),
        ...(detail || !analysis.justification
          ? { impactStatement: detail ?? 'Triaged as not affected; no detail was given.' }
          : {}),
      };
    case 'false_positive':
      return {
        status: 'not_affected',
        justification: 'vulnerable_code_not_present',
        impactStatement: `False positive: the advisory does not apply to this component${detail ? `. ${detail}` : '.'}`,
      };
    case 'resolved':
      return { status: 'fixed', ...(detail ? { statusNotes: detail } : {}) };
    case 'exploitable': {
      const responses = analysis.responses.map((r) => RESPONSE_TEXT[r]);
      const action = [responses.length > 0 ? `Response: ${responses.join('; ')}.` : null, detail]
        .filter((part): part is string => part !== null)
        .join(' ');
      return { status: 'affected', actionStatement: action || 'Affected; no response was recorded yet.' };
    }
  }
}
