import type { VexAnalysis, VexJustification } from '../finding/vex-analysis';
import {
  actionStatement,
  clippedVexDetail,
  falsePositiveStatement,
  NO_DETAIL_STATEMENT,
} from '../finding/vex-statement-text';

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

/**
 * A decision (CycloneDX analysis) as OpenVEX states it. No decision, or `in_triage`, is
 * `under_investigation`; `false_positive` is `not_affected` (the advisory's code is not in this
 * component); `resolved` is `fixed`; `exploitable` is `affected` with its responses as the action.
 * The sentences (vex-statement-text) are those the VEX import reads back.
 */
export function openVexVerdictOf(analysis: VexAnalysis | null): OpenVexVerdict {
  const detail = clippedVexDetail(analysis?.detail);
  switch (analysis?.state) {
    case undefined:
    case 'in_triage':
      return { status: 'under_investigation', ...(detail ? { statusNotes: detail } : {}) };
    case 'not_affected':
      return {
        status: 'not_affected',
        ...(analysis.justification ? { justification: OPENVEX_JUSTIFICATION[analysis.justification] } : {}),
        ...(detail || !analysis.justification ? { impactStatement: detail ?? NO_DETAIL_STATEMENT } : {}),
      };
    case 'false_positive':
      return {
        status: 'not_affected',
        justification: 'vulnerable_code_not_present',
        impactStatement: falsePositiveStatement(detail),
      };
    case 'resolved':
      return { status: 'fixed', ...(detail ? { statusNotes: detail } : {}) };
    case 'exploitable':
      return { status: 'affected', actionStatement: actionStatement(analysis.responses, detail) };
  }
}
