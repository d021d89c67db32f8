import type { Inventory } from './sbom-inventory';

export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

/** Writes an inventory as an SBOM document in one format. */
export interface SbomWriter {
  /** The Content-Type the document is served with. */
  readonly mediaType: string;
  /** The document as text; a re-export of the same inventory is identical. */
  write(inventory: Inventory): string;
}
