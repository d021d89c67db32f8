import { FINDING_SORTS, findingSortOf } from './finding.dto';

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
