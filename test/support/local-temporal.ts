// A throwaway Temporal dev server from the CLI binary the scripts build (never a download), with
// RepoGuard's namespace and search attributes. Imports by relative path: Jest's global set-up
// loads this without moduleNameMapper.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerFairnessArgs, findTemporalCli } from '../../libs/infrastructure/src/temporal/temporal-cli';
import { REPOGUARD_SEARCH_ATTRIBUTES } from '../../libs/contract/src/search-attributes';
import { DEFAULT_TEMPORAL_NAMESPACE } from '../../libs/contract/src/task-queues';

export async function startLocalTemporal(): Promise<TestWorkflowEnvironment> {
  const cli = findTemporalCli();
  if (!cli) {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI, PATH, $(go env GOPATH)/bin). Run `npm test` once (it builds it with Go) ' +
        'or set TEMPORAL_ADDRESS to a running server.',
    );
  }
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      ip: '127.0.0.1',
      namespace: DEFAULT_TEMPORAL_NAMESPACE,
      searchAttributes: [...REPOGUARD_SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'error' },
      // As `npm run up` starts it: the scans' fairness keys honoured.
      extraArgs: devServerFairnessArgs(),
    },
  });
}
