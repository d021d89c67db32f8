import {
  recurringSchedule,
  recurringScheduleProblems,
  ValidationError,
  type RecurringSchedule,
  type RescanSchedule,
  type UnitOfWork,
} from '@repoguard/domain';
import { callerName, type OrgCaller } from '../shared/caller';

export interface SetRescanScheduleCommand {
  readonly caller: OrgCaller;
  /** As given: every invalid field is named (REQUEST_INVALID). */
  readonly schedule: unknown;
}

/**
 * Sets (or replaces) the org's periodic rescan of its repositories' default branches; audited.
 * The API's schedule reconciler brings the Temporal Schedule in line within its interval.
 */
export class SetRescanSchedule {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ caller, schedule: input }: SetRescanScheduleCommand): Promise<RescanSchedule> {
    const problems = recurringScheduleProblems(input);
    if (problems.length > 0) {
      const fields = problems.map((p) => p.field).join(', ');
      throw new ValidationError(`Invalid request: check ${fields}`, problems, 'REQUEST_INVALID');
    }
    const schedule = recurringSchedule(input as RecurringSchedule);
    return this.uow.transaction(caller.scope, async ({ rescanSchedules, audit }) => {
      const saved = await rescanSchedules.put(caller.orgId, schedule, callerName(caller));
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'rescan_schedule.set',
        targetType: 'organization',
        targetId: caller.orgId,
        metadata: { ...schedule },
      });
      return saved;
    });
  }
}
