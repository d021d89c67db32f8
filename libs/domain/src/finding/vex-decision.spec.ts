import { vexAnalysisOfDecision, vexDecisionProblems } from './vex-decision';

describe('vexAnalysisOfDecision', () => {
  it('takes not_affected with a justification, or with a detail only', () => {
    expect(
      vexAnalysisOfDecision({
        state: 'not_affected',
        justification: 'code_not_reachable',
        detail: ' behind a flag ',
      }),
    ).toEqual({
      state: 'not_affected',
      justification: 'code_not_reachable',
      responses: [],
      detail: 'behind a flag',
    });
    expect(vexAnalysisOfDecision({ state: 'not_affected', detail: 'only in tests' })).toEqual({
      state: 'not_affected',
      justification: null,
      responses: [],
      detail: 'only in tests',
    });
  });

  it('takes exploitable with its responses once each, and the states that need nothing', () => {
    expect(
      vexAnalysisOfDecision({ state: 'exploitable', responses: ['update', 'will_not_fix', 'update'] }),
    ).toEqual({
      state: 'exploitable',
      justification: null,
      responses: ['update', 'will_not_fix'],
      detail: null,
    });
    for (const state of ['in_triage', 'false_positive', 'resolved']) {
      expect(vexAnalysisOfDecision({ state, detail: '  ' })).toEqual({
        state,
        justification: null,
        responses: [],
        detail: null,
      });
    }
  });

  it('refuses wrong combinations, naming each field (400)', () => {
    expect(() => vexAnalysisOfDecision({ state: 'not_affected' })).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        details: [{ field: 'justification', problem: 'not_affected needs a justification or a detail' }],
      }),
    );
    expect(vexDecisionProblems({ state: 'exploitable', justification: 'code_not_present' })).toEqual([
      { field: 'justification', problem: 'only with state not_affected' },
    ]);
    expect(vexDecisionProblems({ state: 'not_affected', detail: 'x', responses: ['update'] })).toEqual([
      { field: 'response', problem: 'only with state exploitable' },
    ]);
    expect(vexDecisionProblems({ state: 'exploitable', responses: ['update', 'later'] })).toEqual([
      { field: 'response[1]', problem: expect.stringContaining('must be one of can_not_fix') },
    ]);
    expect(vexDecisionProblems({ state: 'ignored' })).toEqual([
      { field: 'state', problem: expect.stringContaining('must be one of in_triage') },
    ]);
    expect(vexDecisionProblems({ state: 'not_affected', justification: 'because' })).toEqual([
      { field: 'justification', problem: expect.stringContaining('must be one of code_not_present') },
    ]);
    expect(vexDecisionProblems({ state: 'resolved', detail: 'x'.repeat(1001) })).toEqual([
      { field: 'detail', problem: 'must be at most 1000 characters' },
    ]);
  });

  it('names the fields as the caller spells them (a VEX document’s paths)', () => {
    const at = (name: string) => `vulnerabilities[2].analysis.${name}`;
    expect(vexDecisionProblems({ state: 'not_affected' }, at)).toEqual([
      { field: 'vulnerabilities[2].analysis.justification', problem: expect.any(String) },
    ]);
  });
});
