// A forger who knows the cursor key (DATABASE_URL may hold no password): whatever the body says,
// decode answers a 400 naming `cursor`, never a value PostgreSQL would refuse (a 500).
import { createHmac } from 'node:crypto';
import { ValidationError, type FindingSort } from '@repoguard/domain';
import { FindingCursors } from './finding-cursor';

const SECRETS = ['postgresql://repoguard@db:5432/repoguard'];
const SORT: FindingSort = { key: 'severity', direction: 'desc' };
const ID = '0b7e2a4c-8f1d-4e6a-9c3b-5d2f1a0e7b64';

/** A cursor signed with the deployment's key, as the forger could make it. */
function forged(body: string): string {
  const key = createHmac('sha256', 'repoguard findings cursor').update(SECRETS.join('\n')).digest();
  return `${body}.${createHmac('sha256', key).update(body).digest().subarray(0, 16).toString('base64url')}`;
}
const encoded = (fields: unknown) => Buffer.from(JSON.stringify(fields)).toString('base64url');

describe('FindingCursors.decode', () => {
  const cursors = new FindingCursors(SECRETS);

  it('takes back the cursor it gave out, and the forger signs the same way (the cases below are signed)', () => {
    const position = {
      severityRank: 3,
      firstSeen: '2026-12-06 10:11:12.123456+00',
      packageName: 'lodash',
      id: ID,
    };
    expect(cursors.decode(cursors.encode(SORT, position), SORT)).toEqual(position);
    expect(
      cursors.decode(forged(encoded([1, 'severity', 'desc', 4, '2026-02-28 23:59:59+00', 'a', ID])), SORT),
    ).toEqual({ severityRank: 4, firstSeen: '2026-02-28 23:59:59+00', packageName: 'a', id: ID });
  });

  it.each([
    ['a body that is not JSON', Buffer.from('{not json').toString('base64url')],
    ['a JSON object, not an array', encoded({ a: 1 })],
    ['a JSON number', encoded(7)],
    ['a rank past smallint', encoded([1, 'severity', 'desc', 1e21, '2026-12-06 10:11:12+00', 'a', ID])],
    ['a rank above CRITICAL', encoded([1, 'severity', 'desc', 5, '2026-12-06 10:11:12+00', 'a', ID])],
    ['a negative rank', encoded([1, 'severity', 'desc', -1, '2026-12-06 10:11:12+00', 'a', ID])],
    [
      'a month and day that do not exist',
      encoded([1, 'severity', 'desc', 1, '2026-99-99 10:11:12+00', 'a', ID]),
    ],
    ['the 30th of February', encoded([1, 'severity', 'desc', 1, '2026-02-30 10:11:12+00', 'a', ID])],
    ['an hour that does not exist', encoded([1, 'severity', 'desc', 1, '2026-12-06 99:99:99+00', 'a', ID])],
    [
      'a NUL in the package name',
      encoded([1, 'severity', 'desc', 1, '2026-12-06 10:11:12+00', 'a\u0000b', ID]),
    ],
    [
      'a huge package name',
      encoded([1, 'severity', 'desc', 1, '2026-12-06 10:11:12+00', 'a'.repeat(5_000), ID]),
    ],
    [
      'an id that is not a UUID',
      encoded([1, 'severity', 'desc', 1, '2026-12-06 10:11:12+00', 'a', "1' or 1=1"]),
    ],
  ])('refuses %s, naming cursor', (_case, body) => {
    let thrown: unknown;
    try {
      cursors.decode(forged(body), SORT);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});
