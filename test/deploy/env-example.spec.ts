import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { ApiConfig } from '../../apps/api/src/config/api.config';
import { WorkerConfig } from '../../apps/worker/src/config/worker.config';

// .env.example is the operator's list of every variable: it must not fall behind the config classes.
describe('.env.example', () => {
  const listed = new Set(
    readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8')
      .split('\n')
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((name): name is string => !!name),
  );

  it.each([
    ['API', ApiConfig],
    ['worker', WorkerConfig],
  ] as const)('lists every variable the %s reads', (_, schema) => {
    const variables = getMetadataStorage()
      .getTargetValidationMetadatas(schema, '', true, false)
      .map((m) => m.propertyName);
    expect(variables.length).toBeGreaterThan(5);
    expect([...new Set(variables)].filter((v) => !listed.has(v))).toEqual([]);
  });
});
