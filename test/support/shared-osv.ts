import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The real OSV exports beside the repository (`../shared/osv/`), read by path, never copied. */
export const SHARED_OSV_DIR = path.resolve(__dirname, '../../../shared/osv');

export function sharedOsvExport(file: string): string {
  const full = path.join(SHARED_OSV_DIR, file);
  if (!existsSync(full)) {
    throw new Error(
      `${full} is missing: the tests read the OSV exports from ../shared/osv beside the repository`,
    );
  }
  return full;
}
