import { NotFoundError, type ScanRecord, type UnitOfWork } from '@repoguard/domain';
import type { Caller } from '../shared/caller';

export interface GetScanCommand {
  readonly caller: Caller;
  readonly scanId: string;
}

export class GetScan {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, scanId }: GetScanCommand): Promise<ScanRecord> {
    const scan = await this.uow.read(caller.scope, ({ scanHistory }) => scanHistory.get(scanId));
    if (!scan) throw new NotFoundError('SCAN_NOT_FOUND', `No scan with id ${scanId}`);
    return scan;
  }
}
