import type { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { ORG_BUSY_FAILURE } from '@repoguard/contract';
import { OrgScanSlots, orgScanSlotsInterceptor } from './org-scan-slots.interceptor';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('the per-org share of a worker’s slots', () => {
  const inbound = (slots: OrgScanSlots, activityType: string) =>
    orgScanSlotsInterceptor(slots)({ info: { activityType } } as Context).inbound;

  it('runs an org’s steps up to its share and turns the next away with ORG_BUSY, before it runs', async () => {
    const slots = new OrgScanSlots(2);
    const hold = gate();
    const ran: string[] = [];
    const step = (name: string) =>
      inbound(slots, 'parse')!.execute!(
        { args: [{ orgId: 'org-a', scanId: name }], headers: {} },
        async () => {
          ran.push(name);
          await hold.opened;
          return name;
        },
      );

    const first = step('s1');
    const second = step('s2');
    const refused = await step('s3').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({
      type: ORG_BUSY_FAILURE,
      nonRetryable: true,
      category: ApplicationFailureCategory.BENIGN,
    });
    expect(ran).toEqual(['s1', 's2']);
    expect(slots.heldBy('org-a')).toBe(2);

    // Another org is not counted against it.
    const other = inbound(slots, 'osvQuery')!.execute!(
      { args: [{ orgId: 'org-b' }], headers: {} },
      async () => 'b',
    );
    await expect(other).resolves.toBe('b');

    hold.open();
    await expect(Promise.all([first, second])).resolves.toEqual(['s1', 's2']);
    expect(slots.heldBy('org-a')).toBe(0);
  });

  it('gives the slot back when the step fails', async () => {
    const slots = new OrgScanSlots(1);
    const failing = inbound(slots, 'fetchManifest')!.execute!(
      { args: [{ orgId: 'org-a' }], headers: {} },
      async () => {
        throw new Error('boom');
      },
    );
    await expect(failing).rejects.toThrow('boom');
    expect(slots.heldBy('org-a')).toBe(0);
  });

  it('leaves alone recordScanFailure, activities of no scan, and inputs without an org', async () => {
    const slots = new OrgScanSlots(1);
    const release = slots.tryAcquire('org-a');
    expect(release).not.toBeNull();
    expect(
      orgScanSlotsInterceptor(slots)({ info: { activityType: 'recordScanFailure' } } as Context),
    ).toEqual({});
    expect(orgScanSlotsInterceptor(slots)({ info: { activityType: 'importAdvisories' } } as Context)).toEqual(
      {},
    );
    for (const arg of [undefined, 'x', { orgId: 42 }, { orgId: '' }]) {
      await expect(
        inbound(slots, 'parse')!.execute!({ args: [arg], headers: {} }, async () => 'ran'),
      ).resolves.toBe('ran');
    }
    release!();
    release!(); // a second call gives back nothing more
    expect(slots.heldBy('org-a')).toBe(0);
    expect(slots.tryAcquire('org-a')).not.toBeNull();
  });

  it('refuses a share below one', () => {
    expect(() => new OrgScanSlots(0)).toThrow(RangeError);
    expect(() => new OrgScanSlots(1.5)).toThrow(RangeError);
  });
});
