import type { AdvisorySourceReport } from '@repoguard/contract';
import type { AdvisoryImporter } from '@repoguard/domain';
import { asActivity } from '../as-activity';

export interface ImportAdvisoriesDeps {
  readonly advisoryImporter: AdvisoryImporter;
}

/** Loads one OSV export into the mirror; `writtenAt` (null: nothing changed) finds what to re-match. */
export function createImportAdvisoriesActivity({ advisoryImporter }: ImportAdvisoriesDeps) {
  return async function importAdvisories(input: {
    readonly source: string;
  }): Promise<AdvisorySourceReport & { readonly writtenAt: string | null }> {
    return asActivity(async () => {
      const { writtenAt, ...counts } = await advisoryImporter.importFrom(input.source);
      return { source: input.source, ...counts, writtenAt };
    });
  };
}
