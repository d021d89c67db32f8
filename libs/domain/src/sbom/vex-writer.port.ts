import type { Inventory } from './sbom-inventory';

export const VEX_FORMATS = ['cyclonedx', 'openvex'] as const;
export type VexFormat = (typeof VEX_FORMATS)[number];

/**
 * Writes an inventory's vulnerabilities and their analysis as a VEX document, naming the affected
 * components as the SBOM export of the same inventory names them.
 */
export interface VexWriter {
  readonly mediaType: string;
  write(inventory: Inventory): string;
}
