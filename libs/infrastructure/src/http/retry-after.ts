// HTTP-dates (RFC 9110 §5.6.7) begin with the day name in all three forms it lets a server send.
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i;

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delta-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`, zero once it has passed). Undefined when the header
 * is absent or neither form, so the caller's own backoff applies.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.test(value)) return undefined;
  // asctime dates carry no zone, and HTTP-dates are always GMT.
  const date = Date.parse(/GMT$/i.test(value) ? value : `${value} GMT`);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
