// The stack `npm run up` starts for its demo (the advisory mirror, file:// git URLs), on a database
// of its own: the demo imports every shared export into the mirror, which every org shares, and the
// re-match it triggers would reach other tests' repositories.
import { randomBytes } from 'node:crypto';
import { dropDatabase, prepareDatabase } from '@repoguard/infrastructure';
import { sharedAdvisoryExports, type DemoOptions } from '../../scripts/demo';
import { startApiStack, type ApiStack } from './api-stack';
import { freshDatabaseUrl } from './fresh-database';
import { REPO_ROOT } from './processes';
import { temporalAddress, temporalNamespace, uniqueName } from './temporal-harness';

export interface DemoStack {
  readonly stack: ApiStack;
  readonly databaseUrl: string;
  /** runDemo's options as scripts/demo.ts builds them in npm run up, on this stack. */
  demoOptions(stateDir: string, print: (line: string) => void): DemoOptions;
  close(): Promise<void>;
}

/** `env`: what a test adds to npm run up's environment (say, to reach local stand-ins). */
export async function startDemoStack(name: string, env: Record<string, string> = {}): Promise<DemoStack> {
  const databaseUrl = freshDatabaseUrl(`e2e_${name}`);
  await prepareDatabase(databaseUrl);
  const stack = await startApiStack({
    name,
    osvMode: 'mirror',
    databaseUrl,
    env: { GIT_ALLOW_FILE_URLS: 'true', ...env },
    // npm run up keeps one in .repoguard/encryption-key: channels and credentials can be stored.
    encryptionKey: randomBytes(32).toString('base64'),
  }).catch(async (error: unknown) => {
    await dropDatabase(databaseUrl);
    throw error;
  });
  return {
    stack,
    databaseUrl,
    demoOptions: (stateDir, print) => ({
      apiUrl: stack.url,
      adminToken: stack.adminToken,
      stateDir,
      advisorySources: sharedAdvisoryExports(REPO_ROOT),
      temporal: {
        address: temporalAddress(),
        namespace: temporalNamespace(),
        taskQueue: stack.harness.taskQueue,
        rematchTaskQueue: stack.harness.rematchTaskQueue,
        syncWorkflowId: uniqueName(`${name}-sync`),
      },
      print,
    }),
    async close() {
      await stack.close();
      await dropDatabase(databaseUrl);
    },
  };
}
