// A log destination that keeps the JSON lines in memory, for tests that assert on what was logged.
import { Writable } from 'node:stream';

export type LogRecord = Record<string, unknown> & { level?: string; msg?: string };

export interface LogCapture {
  readonly destination: Writable;
  /** Every line written so far, as written (after redaction). */
  text(): string;
  records(): LogRecord[];
  /**
   * The records once `ready` holds for them: a process's lines arrive after its HTTP answer.
   * Gives up after `timeoutMs` and returns what there is, for the test's assertion to show.
   */
  until(ready: (records: LogRecord[]) => boolean, timeoutMs?: number): Promise<LogRecord[]>;
}

export function captureLogs(limit = 20_000): LogCapture {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line !== ''),
      );
      // A long test file must not grow without bound: the oldest lines go first.
      if (lines.length > limit) lines.splice(0, lines.length - limit);
      done();
    },
  });
  const records = () => lines.map((line) => JSON.parse(line) as LogRecord);
  return {
    destination,
    text: () => lines.join('\n'),
    records,
    async until(ready, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!ready(records()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return records();
    },
  };
}
