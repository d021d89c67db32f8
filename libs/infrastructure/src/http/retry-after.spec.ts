import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  const now = Date.parse('2015-10-21T07:28:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it.each([
    ['IMF-fixdate', 'Wed, 21 Oct 2015 07:28:30 GMT'],
    ['RFC 850', 'Wednesday, 21-Oct-15 07:28:30 GMT'],
    ['asctime', 'Wed Oct 21 07:28:30 2015'],
  ])('reads an HTTP-date in %s form as the wait until then', (_form, header) => {
    expect(parseRetryAfter(header, now)).toBe(30_000);
  });

  it('waits nothing for a date already past', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it.each([null, undefined, '', '  ', '1.5', '-5', 'soon', 'Someday, 99 Oct 2015 07:00:00 GMT'])(
    'has no answer for %j',
    (header) => {
      expect(parseRetryAfter(header, now)).toBeUndefined();
    },
  );
});
