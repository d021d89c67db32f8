import { NotFoundError, type UnitOfWork } from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';

export interface RemoveRescanScheduleCommand {
  readonly caller: OrgCaller;
}

/** Stops the org's periodic rescans (the reconciler deletes the Temporal Schedule); audited. */
export class RemoveRescanSchedule {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller }: RemoveRescanScheduleCommand): Promise<void> {
    await this.uow.transaction(caller.scope, async ({ rescanSchedules, audit }) => {
      if (!(await rescanSchedules.remove(caller.orgId)))
        throw new NotFoundError('RESCAN_SCHEDULE_NOT_FOUND', 'This org has no rescan schedule');
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'rescan_schedule.removed',
        targetType: 'organization',
        targetId: caller.orgId,
      });
    });
  }
}
