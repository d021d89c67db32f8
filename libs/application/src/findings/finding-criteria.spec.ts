import { findingFilterOf, severitiesFrom } from './finding-criteria';

describe('finding criteria', () => {
  it('reads a severity as that severity and above, except UNKNOWN, which is only UNKNOWN', () => {
    expect(severitiesFrom('HIGH')).toEqual(['CRITICAL', 'HIGH']);
    expect(severitiesFrom('LOW')).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
    expect(severitiesFrom('UNKNOWN')).toEqual(['UNKNOWN']);
  });

  it('lists open findings unless a status or all is asked for', () => {
    expect(findingFilterOf({})).toEqual({ statuses: ['open'] });
    expect(findingFilterOf({ status: 'fixed' })).toEqual({ statuses: ['fixed'] });
    expect(findingFilterOf({ status: 'all' })).toEqual({});
  });
});
