import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError, type FindingPosition, type FindingSort } from '@repoguard/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?[+-]\d{2}(?::\d{2})?$/;
const TAG_BYTES = 16;

/**
 * `cursor`: where the next page of a findings list starts, opaque to clients. It holds the last
 * finding's sort values and the order it was made for, signed (HMAC-SHA256) so a client cannot
 * edit it: a changed, cut or foreign cursor is a 400 naming `cursor`. The key comes from settings
 * every process of a deployment shares, so any of them takes a cursor another made.
 */
export class FindingCursors {
  private readonly key: Buffer;

  constructor(secrets: readonly string[]) {
    this.key = createHmac('sha256', 'repoguard findings cursor').update(secrets.join('\n')).digest();
  }

  encode(sort: FindingSort, position: FindingPosition): string {
    const body = Buffer.from(
      JSON.stringify([
        1,
        sort.key,
        sort.direction,
        position.severityRank,
        position.firstSeen,
        position.packageName,
        position.id,
      ]),
    ).toString('base64url');
    return `${body}.${this.tag(body).toString('base64url')}`;
  }

  /** The position `value` holds, when this deployment made it for this order. */
  decode(value: string, sort: FindingSort): FindingPosition {
    const [body, tag, extra] = value.split('.');
    if (!body || !tag || extra !== undefined) throw invalid('is not a cursor this API gave out');
    const given = Buffer.from(tag, 'base64url');
    if (given.length !== TAG_BYTES || !timingSafeEqual(given, this.tag(body))) {
      throw invalid('is not a cursor this API gave out (changed, cut short or from elsewhere)');
    }
    const fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
    const [version, key, direction, severityRank, firstSeen, packageName, id] = fields;
    if (key !== sort.key || direction !== sort.direction) {
      throw invalid(`was given for sort=${String(key)}:${String(direction)}: ask with the same sort`);
    }
    if (
      version !== 1 ||
      !Number.isInteger(severityRank) ||
      typeof firstSeen !== 'string' ||
      !TIMESTAMP.test(firstSeen) ||
      typeof packageName !== 'string' ||
      typeof id !== 'string' ||
      !UUID.test(id)
    ) {
      throw invalid('is not a cursor this API gave out');
    }
    return { severityRank: severityRank as number, firstSeen, packageName, id };
  }

  private tag(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, TAG_BYTES);
  }
}

const invalid = (problem: string) =>
  new ValidationError('Invalid request: check cursor', [{ field: 'cursor', problem }], 'REQUEST_INVALID');
