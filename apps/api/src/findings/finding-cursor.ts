import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError, type FindingPosition, type FindingSort } from '@repoguard/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP_PARTS = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-]\d{2}(?::\d{2})?$/;
const TAG_BYTES = 16;
// findings.severity_rank: CRITICAL 4 down to 0 (none or unknown).
const MAX_SEVERITY_RANK = 4;
const MAX_PACKAGE_NAME = 1_000;

/** A cursor body's fields; anything but a JSON array is not a cursor. */
function parsedFields(body: string): unknown[] {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor this API gave out');
  }
  if (!Array.isArray(fields)) throw invalid('is not a cursor this API gave out');
  return fields;
}

/** PostgreSQL's timestamptz text form, with a date and time that exist (2026-99-99 matches the shape). */
function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = TIMESTAMP_PARTS.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! < 24 &&
    minute! < 60 &&
    second! < 60
  );
}

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
    // Signed, but the key may be guessable where DATABASE_URL holds no password: checked as hostile
    // anyway, so a forged cursor is a 400 and never a database error.
    const fields = parsedFields(body);
    const [version, key, direction, severityRank, firstSeen, packageName, id] = fields;
    if (key !== sort.key || direction !== sort.direction) {
      throw invalid(`was given for sort=${String(key)}:${String(direction)}: ask with the same sort`);
    }
    if (
      version !== 1 ||
      !Number.isInteger(severityRank) ||
      (severityRank as number) < 0 ||
      (severityRank as number) > MAX_SEVERITY_RANK ||
      !isTimestamp(firstSeen) ||
      typeof packageName !== 'string' ||
      packageName.length > MAX_PACKAGE_NAME ||
      packageName.includes('\u0000') ||
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
