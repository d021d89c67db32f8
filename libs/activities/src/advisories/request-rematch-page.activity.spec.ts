import type { RequestScan } from '@repoguard/application';
import type { AdvisorySyncRuns, NumberedRematchTarget, ServedScanRequests } from '@repoguard/domain';
import { createRequestRematchPageActivity, rematchRequestId } from './request-rematch-page.activity';

const RUN = 'advisory-sync:spec@run-1';
const targets: NumberedRematchTarget[] = Array.from({ length: 6 }, (_, i) => ({
  seq: i + 1,
  orgId: '20000000-0000-4000-8000-000000000001',
  owner: 'acme',
  name: `service-${i + 1}`,
  repoId: `00000000-0000-4000-8000-00000000000${i + 1}`,
  snapshotId: `10000000-0000-4000-8000-00000000000${i + 1}`,
}));
const idOf = (t: NumberedRematchTarget) => rematchRequestId(RUN, t.repoId, t.snapshotId);

function page() {
  const events: string[] = [];
  const servedIds = new Set<string>();
  const syncRuns = {
    targets: async (_run: string, fromSeq: number, limit: number) =>
      targets.filter((t) => t.seq >= fromSeq && t.seq < fromSeq + limit),
  } as unknown as AdvisorySyncRuns;
  const requestScan = {
    execute: jest.fn(async ({ requestId }: { requestId: string }) => {
      events.push(`asked ${targets.find((t) => idOf(t) === requestId)!.seq}`);
      return {};
    }),
  } as unknown as RequestScan;
  const served: ServedScanRequests = {
    served: async (ids) => {
      events.push(`looked up ${ids.map((id) => targets.find((t) => idOf(t) === id)!.seq).join(',')}`);
      // Whatever is looked up is served by the next look-up.
      const answer = new Set(ids.filter((id) => servedIds.has(id)));
      ids.forEach((id) => servedIds.add(id));
      return answer;
    },
  };
  const activity = createRequestRematchPageActivity({
    requestScan,
    syncRuns,
    rematchPacing: { served, limit: 2, pollMs: 5 },
  });
  return { activity, events };
}

const input = (fromSeq: number, limit: number) => ({
  syncRunId: RUN,
  fromSeq,
  limit,
  scanTaskQueue: 'scans',
  rematchTaskQueue: 'rematch',
});

describe('requestRematchPage with pacing', () => {
  it('keeps the limit open on its first page: two at once, then one per request served', async () => {
    const { activity, events } = page();
    expect(await activity(input(1, 3))).toEqual({ requested: 3 });
    expect(events).toEqual(['asked 1', 'asked 2', 'looked up 1,2', 'looked up 1,2', 'asked 3']);
  });

  it('counts the previous page’s last requests as open: a new page does not open the limit again', async () => {
    const { activity, events } = page();
    expect(await activity(input(4, 3))).toEqual({ requested: 3 });
    // Targets 2 and 3 (the last page's) were open before target 4 went.
    expect(events.slice(0, 3)).toEqual(['looked up 2,3', 'looked up 2,3', 'asked 4']);
  });
});
