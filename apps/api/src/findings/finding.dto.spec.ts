import { FINDING_SORTS, findingSortOf, triageDecisionOf, type TriageBody } from './finding.dto';

describe('the findings sort parameter', () => {
  it("takes each key's own direction when none is given", () => {
    expect(findingSortOf('severity')).toEqual({ key: 'severity', direction: 'desc' });
    expect(findingSortOf('package')).toEqual({ key: 'package', direction: 'asc' });
    expect(findingSortOf('first_seen')).toEqual({ key: 'first_seen', direction: 'desc' });
    expect(findingSortOf('first_seen:asc')).toEqual({ key: 'first_seen', direction: 'asc' });
  });

  it('offers every key in both directions', () => {
    expect(FINDING_SORTS).toEqual([
      'severity',
      'severity:asc',
      'severity:desc',
      'package',
      'package:asc',
      'package:desc',
      'first_seen',
      'first_seen:asc',
      'first_seen:desc',
    ]);
  });
});

describe('the triage body', () => {
  const refused = (body: TriageBody) => {
    try {
      triageDecisionOf(body);
    } catch (error) {
      return (error as { kind: string; details: unknown[] }).details;
    }
    return 'accepted';
  };

  it('is today’s status or a VEX decision', () => {
    expect(triageDecisionOf({ status: 'ignored', reason: 'x' })).toEqual({ status: 'ignored', reason: 'x' });
    expect(triageDecisionOf({ state: 'exploitable', response: ['update'] })).toEqual({
      vex: { state: 'exploitable', justification: null, responses: ['update'], detail: null },
    });
  });

  it('refuses status and state together, neither, and VEX fields with status, naming the field', () => {
    expect(refused({ status: 'ignored', reason: 'x', state: 'not_affected' })).toEqual([
      { field: 'state', problem: 'give either status or state, not both' },
    ]);
    expect(refused({})).toEqual([{ field: 'status', problem: expect.stringContaining('or state') }]);
    expect(refused({ status: 'open', justification: 'code_not_present' })).toEqual([
      { field: 'justification', problem: 'only with state, not with status' },
    ]);
    expect(refused({ state: 'resolved', reason: 'x' })).toEqual([
      { field: 'reason', problem: 'with state, the reason is detail' },
    ]);
  });
});
