import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// The layer rules live in eslint.config.mjs; this proves they fire, so a broken rule cannot
// silently let the domain or a workflow import what it must not.
const DOMAIN_FILE = 'libs/domain/src/rule-probe.ts';
const WORKFLOW_FILE = 'libs/workflows/src/rule-probe.workflow.ts';
const APPLICATION_FILE = 'libs/application/src/probe/rule-probe.use-case.ts';

const cases: { file: string; code: string; expected: RegExp | null }[] = [
  { file: DOMAIN_FILE, code: `import { Injectable } from '@nestjs/common';`, expected: /no framework/ },
  { file: DOMAIN_FILE, code: `import { Entity } from '@mikro-orm/core';`, expected: /no framework/ },
  {
    file: DOMAIN_FILE,
    code: `import { proxyActivities } from '@temporalio/workflow';`,
    expected: /no framework/,
  },
  { file: DOMAIN_FILE, code: `import { Octokit } from '@octokit/rest';`, expected: /no framework/ },
  { file: DOMAIN_FILE, code: `import { readFileSync } from 'node:fs';`, expected: /no Node built-ins/ },
  { file: DOMAIN_FILE, code: `import * as crypto from 'crypto';`, expected: /no Node built-ins/ },
  {
    file: DOMAIN_FILE,
    code: `import { loadConfig } from '@repoguard/infrastructure';`,
    expected: /no framework/,
  },
  {
    file: DOMAIN_FILE,
    code: `import { x } from '../../infrastructure/src/index';`,
    expected: /no framework/,
  },
  {
    file: DOMAIN_FILE,
    code: `import { RepoRef } from './repository/repo-ref.value-object';`,
    expected: null,
  },
  {
    file: APPLICATION_FILE,
    code: `import { Injectable } from '@nestjs/common';`,
    expected: /through domain ports/,
  },
  {
    file: APPLICATION_FILE,
    code: `import { EntityManager } from '@mikro-orm/postgresql';`,
    expected: /through domain ports/,
  },
  {
    file: APPLICATION_FILE,
    code: `import { Client } from '@temporalio/client';`,
    expected: /through domain ports/,
  },
  {
    file: APPLICATION_FILE,
    code: `import { MikroOrmUnitOfWork } from '@repoguard/infrastructure';`,
    expected: /through domain ports/,
  },
  { file: APPLICATION_FILE, code: `import { randomUUID } from 'node:crypto';`, expected: /not Node APIs/ },
  { file: APPLICATION_FILE, code: `import { NotFoundError } from '@repoguard/domain';`, expected: null },
  { file: WORKFLOW_FILE, code: `import { readFile } from 'node:fs/promises';`, expected: /Node APIs/ },
  {
    file: WORKFLOW_FILE,
    code: `import { createActivities } from '@repoguard/activities';`,
    expected: /by type only/,
  },
  {
    file: WORKFLOW_FILE,
    code: `import { createProbeDatabaseActivity } from '../../activities/src/self-check/probe-database.activity';`,
    expected: /by type only/,
  },
  { file: WORKFLOW_FILE, code: `import { Client } from '@temporalio/client';`, expected: /I\/O clients/ },
  {
    file: WORKFLOW_FILE,
    code: `import { MikroOrmSystemProbe } from '@repoguard/infrastructure';`,
    expected: /I\/O clients/,
  },
  { file: WORKFLOW_FILE, code: `import type { Activities } from '@repoguard/activities';`, expected: null },
  { file: WORKFLOW_FILE, code: `import { proxyActivities } from '@temporalio/workflow';`, expected: null },
  { file: WORKFLOW_FILE, code: `import { RepoRef } from '@repoguard/domain';`, expected: null },
];

describe('layer rules', () => {
  let results: string[][];

  beforeAll(() => {
    const input = JSON.stringify(
      cases.map(({ file, code }) => ({ file, code: `${code}\nexport const probe = 1;\n` })),
    );
    const output = execFileSync(process.execPath, [path.join(__dirname, 'lint-probe.mjs')], {
      input,
      encoding: 'utf8',
    });
    results = JSON.parse(output) as string[][];
  }, 60_000);

  it.each(
    cases.map(
      (c, index) =>
        [
          c.file.includes('workflow')
            ? 'workflow'
            : c.file.includes('application')
              ? 'application'
              : 'domain',
          c.code,
          index,
        ] as const,
    ),
  )('%s file: %s', (_, __, index) => {
    const { expected } = cases[index]!;
    expect(results[index]).toEqual(expected ? [expect.stringMatching(expected)] : []);
  });
});
