import type { AdvisorySourceReport } from '@repoguard/contract';
import type { AdvisoryImporter, AdvisorySyncRuns } from '@repoguard/domain';
import { asActivity } from '../as-activity';

export interface ImportAdvisoriesDeps {
  readonly advisoryImporter: AdvisoryImporter;
  readonly syncRuns: AdvisorySyncRuns;
}

/**
 * Loads one OSV export into the mirror; `writtenAt` (null: nothing changed) finds what to re-match.
 * With a `syncRunId`, the run's watermark is recorded first (kept from its first import on), so a
 * retry whose earlier attempt committed still leaves its advisories to the run's re-match.
 */
export function createImportAdvisoriesActivity({ advisoryImporter, syncRuns }: ImportAdvisoriesDeps) {
  return async function importAdvisories(input: {
    readonly source: string;
    readonly syncRunId?: string;
  }): Promise<AdvisorySourceReport & { readonly writtenAt: string | null }> {
    return asActivity(async () => {
      if (input.syncRunId) await syncRuns.begin(input.syncRunId);
      const { writtenAt, ...counts } = await advisoryImporter.importFrom(input.source);
      return { source: input.source, ...counts, writtenAt };
    });
  };
}
