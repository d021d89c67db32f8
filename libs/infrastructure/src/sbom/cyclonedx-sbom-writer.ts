import type { Inventory, SbomWriter } from '@repoguard/domain';
import { addComponents, bomOf, serialize, vulnerabilityOf, vulnerabilityRefs } from './cyclonedx-bom';

/**
 * CycloneDX 1.6 JSON, built with the CycloneDX library. The vulnerabilities of the inventory, if
 * any (the CLI's report), are listed too, affecting components by bom-ref.
 */
export class CycloneDxSbomWriter implements SbomWriter {
  readonly mediaType = 'application/vnd.cyclonedx+json; version=1.6';

  write(inventory: Inventory): string {
    const bom = bomOf(inventory, inventory.serialNumber);
    const components = addComponents(bom, inventory);
    const refs = vulnerabilityRefs(inventory.vulnerabilities);
    inventory.vulnerabilities.forEach((v, i) =>
      bom.vulnerabilities.add(
        vulnerabilityOf(
          v,
          refs[i]!,
          v.affects.map((ref) => components.get(ref)!.bomRef),
        ),
      ),
    );
    return serialize(bom);
  }
}
