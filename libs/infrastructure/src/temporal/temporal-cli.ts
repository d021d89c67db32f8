import { accessSync, constants } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the scripts look for the Temporal CLI, in order: TEMPORAL_CLI, PATH, then Go's bin
 * directory, where `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` puts it.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env['TEMPORAL_CLI'],
    ...(env['PATH'] ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir) => path.join(dir, 'temporal')),
    env['GOBIN'] && path.join(env['GOBIN'], 'temporal'),
    path.join(env['GOPATH'] ?? path.join(os.homedir(), 'go'), 'bin', 'temporal'),
  ];
  return candidates.find((candidate): candidate is string => !!candidate && isExecutable(candidate));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Dynamic config the dev server needs to honour the scans' fairness keys (server 1.29: off by
 * default). One partition per task queue: fairness is kept per partition, and a dev server's
 * queues are small enough that more partitions only make the order of their tasks random.
 * scripts/up.sh passes the same values.
 */
export const DEV_SERVER_FAIRNESS_CONFIG: readonly string[] = [
  'matching.enableFairness=true',
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
];

export const devServerFairnessArgs = (): string[] =>
  DEV_SERVER_FAIRNESS_CONFIG.flatMap((value) => ['--dynamic-config-value', value]);
