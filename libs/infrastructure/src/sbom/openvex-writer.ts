import { openVexVerdictOf, type Inventory, type VexWriter } from '@repoguard/domain';

/**
 * OpenVEX 0.2.0 JSON, by hand: a statement per vulnerability and decision, its products named by
 * purl (as the SBOM exports name components), the decision mapped by openVexVerdictOf.
 */
export class OpenVexWriter implements VexWriter {
  readonly mediaType = 'application/json';

  write(inventory: Inventory): string {
    const scanId = inventory.serialNumber.replace(/^urn:uuid:/, '');
    const document = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': `urn:repoguard:openvex:${scanId}`,
      author: inventory.tool.name,
      timestamp: inventory.timestamp.toISOString(),
      version: 1,
      tooling: `${inventory.tool.name} ${inventory.tool.version}`,
      statements: inventory.vulnerabilities.map((v) => {
        const verdict = openVexVerdictOf(v.analysis);
        return {
          vulnerability: { name: v.id, ...(v.aliases.length > 0 ? { aliases: v.aliases } : {}) },
          products: v.affects.map((ref) => ({ '@id': ref })),
          status: verdict.status,
          ...(verdict.justification ? { justification: verdict.justification } : {}),
          ...(verdict.impactStatement ? { impact_statement: verdict.impactStatement } : {}),
          ...(verdict.actionStatement ? { action_statement: verdict.actionStatement } : {}),
          ...(verdict.statusNotes ? { status_notes: verdict.statusNotes } : {}),
        };
      }),
    };
    return JSON.stringify(document, null, 2);
  }
}
