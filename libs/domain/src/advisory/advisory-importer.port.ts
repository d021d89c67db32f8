import type { AdvisoryImportReport } from './advisory-import-report';

/** Loads an OSV export (a path or URL the operator configured) into the local advisory mirror. */
export interface AdvisoryImporter {
  importFrom(source: string): Promise<AdvisoryImportReport>;
}
