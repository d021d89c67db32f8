import { NotFoundError, type OutboxRequestStatus, type UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface GetScanRequestCommand {
  readonly caller: Caller;
  readonly repoId: string;
  readonly requestId: string;
}

/**
 * What became of a scan request whose id the API answered with (PENDING while Temporal was out of
 * reach): waiting, relayed (with its scan when known) or given up, with its last error.
 */
export class GetScanRequest {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, repoId, requestId }: GetScanRequestCommand): Promise<OutboxRequestStatus> {
    const status = await this.uow.read(caller.scope, async ({ repositories, scanRequestOutbox }) => {
      // Read in the caller's tenant scope: another org's repository is not found, nor its requests.
      const repo = await repositories.get(repoId);
      return repo ? scanRequestOutbox.status(repo.id, requestId) : null;
    });
    if (!status) {
      throw new NotFoundError(
        'SCAN_REQUEST_NOT_FOUND',
        `No scan request with id ${requestId} for repository ${repoId}`,
      );
    }
    return status;
  }
}
