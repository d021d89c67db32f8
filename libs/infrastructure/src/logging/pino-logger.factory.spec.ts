import { Writable } from 'node:stream';
import { createLogger } from './pino-logger.factory';
import { PinoNestLogger } from './pino-nest-logger';
import { fieldsOf, PinoTemporalLogger } from './temporal-runtime-logger';

const GITHUB_TOKEN = 'ghp_ThisIsAFakeGithubToken0123456789abcdef';
const WEBHOOK_SECRET = 'webhook "secret" never printed';
const ADMIN_TOKEN = 'admin-token-that-must-never-be-printed-0001';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return {
    destination,
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function logger(level: 'info' | 'warn' | 'debug' = 'info') {
  const out = capture();
  const log = createLogger({
    service: 'test',
    level,
    secrets: [GITHUB_TOKEN, WEBHOOK_SECRET, ADMIN_TOKEN],
    destination: out.destination,
  });
  return { log, ...out };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the service, level name, time and message', () => {
    const { log, records } = logger();
    log.info({ scanId: 's-1' }, 'scan started');
    expect(records()).toEqual([
      expect.objectContaining({ service: 'test', level: 'info', msg: 'scan started', scanId: 's-1' }),
    ]);
    expect(Date.parse(String(records()[0]!['time']))).not.toBeNaN();
  });

  it('drops lines below its level', () => {
    const { log, lines } = logger('warn');
    log.info('not shown');
    log.warn('shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('shown');
  });

  it('masks credential fields by name: headers, tokens, secrets, nested', () => {
    const { log, records, lines } = logger();
    log.info(
      {
        req: {
          headers: {
            authorization: 'Basic dXNlcjpwYXNz',
            cookie: 'sid=1',
            'x-hub-signature-256': 'sha256=ab',
          },
        },
        token: 'plain-token-value',
        options: { secret: 'plain-secret-value', auth: { password: 'hunter22' } },
      },
      'call',
    );
    const record = records()[0]!;
    expect(record['req']).toEqual({
      headers: { authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-hub-signature-256': '[REDACTED]' },
    });
    expect(record['token']).toBe('[REDACTED]');
    expect(record['options']).toEqual({ secret: '[REDACTED]', auth: { password: '[REDACTED]' } });
    for (const value of [
      'dXNlcjpwYXNz',
      'sid=1',
      'sha256=ab',
      'plain-token-value',
      'plain-secret-value',
      'hunter22',
    ]) {
      expect(lines.join('\n')).not.toContain(value);
    }
  });

  it('masks configured secrets and token-shaped strings anywhere in the line, stacks and escapes included', () => {
    const { log, lines } = logger();
    const error = new Error(`GitHub refused Authorization: Bearer ${GITHUB_TOKEN}`);
    log.error({ err: error, note: `admin ${ADMIN_TOKEN}` }, `webhook secret was ${WEBHOOK_SECRET}`);
    log.info(`key rg_key_Zz9AbCdEf0123456789 and rg_pat_Q2hhcmxpZVNheXNIZWxsbzEyMzQ1Njc4OTA`);
    const text = lines.join('\n');
    expect(text).toContain('Bearer [REDACTED]');
    expect(text).toContain('webhook secret was [REDACTED]');
    expect(text).toContain('admin [REDACTED]');
    for (const secret of [
      GITHUB_TOKEN,
      ADMIN_TOKEN,
      'webhook \\"secret\\" never printed',
      'rg_key_Zz9',
      'rg_pat_Q2h',
    ]) {
      expect(text).not.toContain(secret);
    }
    // Still JSON after masking.
    expect(() => lines.map((line) => JSON.parse(line) as unknown)).not.toThrow();
  });
});

describe('PinoNestLogger', () => {
  it('turns Nest calls into lines with the context as a field', () => {
    const { log, records } = logger('debug');
    const nest = new PinoNestLogger(log);
    nest.log('polling', 'Worker');
    nest.warn('slow', 'Worker');
    nest.error('failed', 'Error: failed\n    at x', 'Worker');
    nest.error(new Error('boom'));
    nest.debug({ detail: 1 }, 'Worker');
    expect(records()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'polling', context: 'Worker' }),
      expect.objectContaining({ level: 'warn', msg: 'slow', context: 'Worker' }),
      expect.objectContaining({
        level: 'error',
        msg: 'failed',
        context: 'Worker',
        stack: 'Error: failed\n    at x',
      }),
      expect.objectContaining({
        level: 'error',
        msg: 'boom',
        err: expect.objectContaining({ message: 'boom' }),
      }),
      expect.objectContaining({ level: 'debug', detail: 1, context: 'Worker' }),
    ]);
  });
});

describe('PinoTemporalLogger', () => {
  it("maps the SDK's levels and makes its metadata JSON fields, without the task token", () => {
    const { log, records } = logger();
    const temporal = new PinoTemporalLogger(log);
    temporal.debug('Activity started', { activityType: 'parse' });
    temporal.warn('Activity failed', {
      activityType: 'osvQuery',
      attempt: 3,
      workflowId: 'repo-scan:r1',
      workflowRunId: 'run-1',
      namespace: 'default',
      taskQueue: 'scans',
      taskToken: 'Q2hhcmxpZQ==',
      error: new Error('OSV answered 503'),
    });
    temporal.log('INFO', 'scan starting', { workflowId: 'repo-scan:r1', runId: 'run-1' });
    const [failed, starting] = records();
    expect(failed).toEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'Activity failed',
        activityType: 'osvQuery',
        attempt: 3,
        workflowId: 'repo-scan:r1',
        runId: 'run-1',
        namespace: 'default',
        taskQueue: 'scans',
        err: expect.objectContaining({ message: 'OSV answered 503' }),
      }),
    );
    expect(failed).not.toHaveProperty('taskToken');
    expect(starting).toEqual(
      expect.objectContaining({ level: 'info', msg: 'scan starting', runId: 'run-1' }),
    );
    expect(records()).toHaveLength(2);
  });

  it('keeps a workflow run id as it is and passes an empty meta through', () => {
    expect(fieldsOf({ runId: 'a', workflowRunId: 'b' })).toEqual({ runId: 'a' });
    expect(fieldsOf(undefined)).toEqual({});
  });
});
