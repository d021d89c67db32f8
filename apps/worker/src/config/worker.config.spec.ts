import { loadConfig, notificationSettings } from '@repoguard/infrastructure';
import { WorkerConfig } from './worker.config';

const BASE = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/repoguard' };

describe("the worker's SCAN_SLOTS_PER_ORG", () => {
  it('defaults to 2 and takes a whole number of slots', () => {
    expect(loadConfig(WorkerConfig, BASE).SCAN_SLOTS_PER_ORG).toBe(2);
    expect(loadConfig(WorkerConfig, { ...BASE, SCAN_SLOTS_PER_ORG: '8' }).SCAN_SLOTS_PER_ORG).toBe(8);
  });

  it.each(['0', '-1', '1.5', 'many'])('refuses %p, naming the variable', (value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, SCAN_SLOTS_PER_ORG: value })).toThrow(
      /SCAN_SLOTS_PER_ORG/,
    );
  });
});

describe("the worker's OSV_MIRROR_CACHE_MB", () => {
  it('defaults to 160 megabytes and takes a whole number of them', () => {
    expect(loadConfig(WorkerConfig, BASE).OSV_MIRROR_CACHE_MB).toBe(160);
    expect(loadConfig(WorkerConfig, { ...BASE, OSV_MIRROR_CACHE_MB: '512' }).OSV_MIRROR_CACHE_MB).toBe(512);
  });

  it.each(['0', '-1', '1.5', 'lots', '65537'])('refuses %p, naming the variable', (value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, OSV_MIRROR_CACHE_MB: value })).toThrow(
      /OSV_MIRROR_CACHE_MB/,
    );
  });
});

describe("the worker's OSV_MIRROR_REFRESH_CHECK_MS", () => {
  it('defaults to 5 seconds and takes 0 (check before every match)', () => {
    expect(loadConfig(WorkerConfig, BASE).OSV_MIRROR_REFRESH_CHECK_MS).toBe(5000);
    expect(
      loadConfig(WorkerConfig, { ...BASE, OSV_MIRROR_REFRESH_CHECK_MS: '0' }).OSV_MIRROR_REFRESH_CHECK_MS,
    ).toBe(0);
  });

  it.each(['-1', '1.5', 'soon', '3600001'])('refuses %p, naming the variable', (value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, OSV_MIRROR_REFRESH_CHECK_MS: value })).toThrow(
      /OSV_MIRROR_REFRESH_CHECK_MS/,
    );
  });
});

describe("the worker's slots and activity rates, per queue", () => {
  it("defaults to the SDK's slots and no rate limit", () => {
    const config = loadConfig(WorkerConfig, BASE);
    expect({
      workflowSlots: config.SCAN_WORKFLOW_TASK_SLOTS,
      activitySlots: config.SCAN_ACTIVITY_SLOTS,
      rematchSlots: config.REMATCH_CONCURRENCY,
      rates: [
        config.SCAN_ACTIVITIES_PER_SECOND,
        config.SCAN_QUEUE_ACTIVITIES_PER_SECOND,
        config.REMATCH_ACTIVITIES_PER_SECOND,
        config.REMATCH_QUEUE_ACTIVITIES_PER_SECOND,
      ],
    }).toEqual({
      workflowSlots: 40,
      activitySlots: 100,
      rematchSlots: 2,
      rates: [undefined, undefined, undefined, undefined],
    });
  });

  it('takes whole slots and fractional rates (an empty value is unset)', () => {
    const config = loadConfig(WorkerConfig, {
      ...BASE,
      SCAN_WORKFLOW_TASK_SLOTS: '8',
      SCAN_ACTIVITY_SLOTS: '16',
      SCAN_ACTIVITIES_PER_SECOND: '20',
      SCAN_QUEUE_ACTIVITIES_PER_SECOND: '',
      REMATCH_ACTIVITIES_PER_SECOND: '0.5',
      REMATCH_QUEUE_ACTIVITIES_PER_SECOND: '2',
    });
    expect([
      config.SCAN_WORKFLOW_TASK_SLOTS,
      config.SCAN_ACTIVITY_SLOTS,
      config.SCAN_ACTIVITIES_PER_SECOND,
      config.SCAN_QUEUE_ACTIVITIES_PER_SECOND,
      config.REMATCH_ACTIVITIES_PER_SECOND,
      config.REMATCH_QUEUE_ACTIVITIES_PER_SECOND,
    ]).toEqual([8, 16, 20, undefined, 0.5, 2]);
  });

  it.each([
    ['SCAN_WORKFLOW_TASK_SLOTS', '1'], // the SDK needs 2 with a workflow cache
    ['SCAN_WORKFLOW_TASK_SLOTS', '2.5'],
    ['SCAN_ACTIVITY_SLOTS', '0'],
    ['SCAN_ACTIVITY_SLOTS', 'lots'],
    ['SCAN_ACTIVITIES_PER_SECOND', '0'],
    ['SCAN_ACTIVITIES_PER_SECOND', '-3'],
    ['SCAN_QUEUE_ACTIVITIES_PER_SECOND', 'fast'],
    ['REMATCH_ACTIVITIES_PER_SECOND', 'Infinity'],
    ['REMATCH_QUEUE_ACTIVITIES_PER_SECOND', '0'],
    ['REMATCH_CONCURRENCY', '0'],
    ['REMATCH_STANDS_BACK_MS', '-1'],
    ['REMATCH_STANDS_BACK_MS', '1.5'],
    ['REMATCH_STANDS_BACK_MS', '600001'],
    ['REMATCH_OPEN_LIMIT', '-1'],
    ['REMATCH_OPEN_LIMIT', '2.5'],
    ['REMATCH_OPEN_LIMIT', 'lots'],
  ])('refuses %s=%p, naming the variable', (name, value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, [name]: value })).toThrow(new RegExp(name));
  });
});

describe('which queues a worker process polls, and at what priority', () => {
  it('polls both queues at the normal priority by default; a re-match-only process can yield the CPU', () => {
    const config = loadConfig(WorkerConfig, BASE);
    expect([config.WORKER_QUEUES, config.WORKER_NICE]).toEqual(['all', 0]);
    const rematch = loadConfig(WorkerConfig, { ...BASE, WORKER_QUEUES: 'rematch', WORKER_NICE: '10' });
    expect([rematch.WORKER_QUEUES, rematch.WORKER_NICE]).toEqual(['rematch', 10]);
    expect(loadConfig(WorkerConfig, { ...BASE, WORKER_QUEUES: 'scans' }).WORKER_QUEUES).toBe('scans');
  });

  it.each([
    ['WORKER_QUEUES', 'both'],
    ['WORKER_NICE', '-5'],
    ['WORKER_NICE', '20'],
    ['WORKER_NICE', '2.5'],
  ])('refuses %s=%p, naming the variable', (name, value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, [name]: value })).toThrow(new RegExp(name));
  });
});

describe('re-matches standing back while scans run', () => {
  it('holds a re-match step at most 10 s by default; 0 turns it off', () => {
    expect(loadConfig(WorkerConfig, BASE).REMATCH_STANDS_BACK_MS).toBe(10_000);
    expect(loadConfig(WorkerConfig, { ...BASE, REMATCH_STANDS_BACK_MS: '0' }).REMATCH_STANDS_BACK_MS).toBe(0);
  });
});

describe("the worker's shutdown", () => {
  it('drains for the grace plus a bounded wait for cancelled steps and closing', () => {
    expect(loadConfig(WorkerConfig, BASE).drainSeconds).toBe(45);
    expect(loadConfig(WorkerConfig, { ...BASE, WORKER_SHUTDOWN_GRACE_SECONDS: '120' }).drainSeconds).toBe(
      135,
    );
  });

  it.each(['-1', '3601', '2.5'])('refuses WORKER_SHUTDOWN_GRACE_SECONDS=%p', (value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, WORKER_SHUTDOWN_GRACE_SECONDS: value })).toThrow(
      /WORKER_SHUTDOWN_GRACE_SECONDS/,
    );
  });
});

describe("the worker's notification settings", () => {
  it("hand the senders the operator's receivers and SMTP server, and messages their links", () => {
    const config = loadConfig(WorkerConfig, {
      ...BASE,
      PUBLIC_BASE_URL: 'https://repoguard.example.com',
      NOTIFY_ALLOW_HTTP: 'true',
      NOTIFY_ALLOWED_HOSTS: 'chat.internal,10.20.0.0/16',
      SMTP_URL: 'smtp://mail.internal:25',
      SMTP_FROM: 'RepoGuard <alerts@example.com>',
    });
    expect(config.PUBLIC_BASE_URL).toBe('https://repoguard.example.com');
    expect(notificationSettings(config)).toMatchObject({
      allowHttp: true,
      smtpUrl: 'smtp://mail.internal:25',
      smtpFrom: 'RepoGuard <alerts@example.com>',
    });
  });

  it('default to no links, public https receivers only and no SMTP server', () => {
    const config = loadConfig(WorkerConfig, BASE);
    expect(config.PUBLIC_BASE_URL).toBeUndefined();
    expect(notificationSettings(config)).toEqual({ outbound: expect.anything(), allowHttp: false });
  });

  it.each([
    ['PUBLIC_BASE_URL', 'repoguard.example.com'],
    ['PUBLIC_BASE_URL', 'ftp://repoguard.example.com'],
    ['NOTIFY_ALLOW_HTTP', '1'],
    ['NOTIFY_ALLOWED_HOSTS', '10.0.0.0/99'],
    ['SMTP_URL', 'mail.example.com:25'],
    ['SMTP_FROM', '<>'],
  ])('refuse %s=%p, naming the variable', (variable, value) => {
    expect(() => loadConfig(WorkerConfig, { ...BASE, [variable]: value })).toThrow(
      new RegExp(`\\b${variable} `),
    );
  });
});
