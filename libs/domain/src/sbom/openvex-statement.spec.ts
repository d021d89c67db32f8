import type { VexAnalysis } from '../finding/vex-analysis';
import { openVexVerdictOf } from './openvex-statement';

const analysis = (over: Partial<VexAnalysis> & Pick<VexAnalysis, 'state'>): VexAnalysis => ({
  justification: null,
  responses: [],
  detail: null,
  ...over,
});

describe('openVexVerdictOf', () => {
  it('reads no decision and in_triage as under_investigation', () => {
    expect(openVexVerdictOf(null)).toEqual({ status: 'under_investigation' });
    expect(openVexVerdictOf(analysis({ state: 'in_triage', detail: 'looking' }))).toEqual({
      status: 'under_investigation',
      statusNotes: 'looking',
    });
  });

  it.each([
    ['code_not_present', 'vulnerable_code_not_present'],
    ['code_not_reachable', 'vulnerable_code_not_in_execute_path'],
    ['requires_configuration', 'vulnerable_code_cannot_be_controlled_by_adversary'],
    ['requires_dependency', 'component_not_present'],
    ['requires_environment', 'vulnerable_code_cannot_be_controlled_by_adversary'],
    ['protected_by_compiler', 'inline_mitigations_already_exist'],
    ['protected_at_runtime', 'inline_mitigations_already_exist'],
    ['protected_at_perimeter', 'inline_mitigations_already_exist'],
    ['protected_by_mitigating_control', 'inline_mitigations_already_exist'],
  ] as const)('maps not_affected because %s to %s', (justification, openVex) => {
    expect(openVexVerdictOf(analysis({ state: 'not_affected', justification }))).toEqual({
      status: 'not_affected',
      justification: openVex,
    });
  });

  it('gives not_affected without a justification its detail as the impact statement (never neither)', () => {
    expect(openVexVerdictOf(analysis({ state: 'not_affected', detail: 'only in tests' }))).toEqual({
      status: 'not_affected',
      impactStatement: 'only in tests',
    });
    expect(openVexVerdictOf(analysis({ state: 'not_affected' })).impactStatement).toMatch(/no detail/);
  });

  it('reads false_positive as not_affected, saying so', () => {
    expect(openVexVerdictOf(analysis({ state: 'false_positive', detail: 'wrong package' }))).toEqual({
      status: 'not_affected',
      justification: 'vulnerable_code_not_present',
      impactStatement: 'False positive: the advisory does not apply to this component. wrong package',
    });
  });

  it('reads resolved as fixed and exploitable as affected with an action statement', () => {
    expect(openVexVerdictOf(analysis({ state: 'resolved' }))).toEqual({ status: 'fixed' });
    expect(
      openVexVerdictOf(
        analysis({ state: 'exploitable', responses: ['update', 'workaround_available'], detail: 'soon' }),
      ),
    ).toEqual({
      status: 'affected',
      actionStatement: 'Response: update to a fixed version; a workaround is available. soon',
    });
    expect(openVexVerdictOf(analysis({ state: 'exploitable' })).actionStatement).toMatch(/no response/);
  });
});
