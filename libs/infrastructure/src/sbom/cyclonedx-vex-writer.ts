import * as Models from '@cyclonedx/cyclonedx-library/Models';
import type { Inventory, VexWriter } from '@repoguard/domain';
import { bomOf, serialize, serialUuid, vulnerabilityOf, vulnerabilityRefs } from './cyclonedx-bom';
import { derivedUuid } from './derived-uuid';

/**
 * A CycloneDX 1.6 VEX: the vulnerabilities and their analysis, no components; each affects its
 * components by BOM-Link into the SBOM export of the same scan (`urn:cdx:<its serial>/1#<purl>`).
 */
export class CycloneDxVexWriter implements VexWriter {
  readonly mediaType = 'application/vnd.cyclonedx+json; version=1.6';

  write(inventory: Inventory): string {
    const sbom = serialUuid(inventory.serialNumber);
    const bom = bomOf(inventory, `urn:uuid:${derivedUuid(`vex:${sbom}`)}`);
    const refs = vulnerabilityRefs(inventory.vulnerabilities);
    inventory.vulnerabilities.forEach((v, i) =>
      bom.vulnerabilities.add(
        vulnerabilityOf(
          v,
          refs[i]!,
          // The bom-ref percent-encoded, as a BOM-Link's fragment is.
          v.affects.map((ref) => new Models.BomLinkElement(`urn:cdx:${sbom}/1#${encodeURIComponent(ref)}`)),
        ),
      ),
    );
    return serialize(bom);
  }
}
