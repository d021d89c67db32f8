import { createHash } from 'node:crypto';
import type {
  ComponentScope,
  DependencyHash,
  Inventory,
  InventoryComponent,
  SbomWriter,
} from '@repoguard/domain';
import { licenceChoiceOf } from './licence-choice';

const CHECKSUM_ALGORITHM: Record<DependencyHash['algorithm'], string> = {
  MD5: 'MD5',
  'SHA-1': 'SHA1',
  'SHA-256': 'SHA256',
  'SHA-384': 'SHA384',
  'SHA-512': 'SHA512',
};

const DOCUMENT = 'SPDXRef-DOCUMENT';
const ROOT = 'SPDXRef-Repository';

/**
 * SPDX 2.3 JSON, written by hand (no SPDX library is at hand): a package per component with its
 * purl, the repository at its commit as the package the document describes, and the graph: each
 * edge typed by the scope of the package depended on (SPDX 2.3 has no scope field; its
 * relationship types are how an SPDX reader, RepoGuard's import among them, learns it).
 */
export class SpdxSbomWriter implements SbomWriter {
  readonly mediaType = 'application/spdx+json';

  write(inventory: Inventory): string {
    const ids = new Map(inventory.components.map((c) => [c.ref, spdxIdOf(c.ref)]));
    const scopes = new Map(inventory.components.map((c) => [c.ref, c.scope]));
    const scanId = inventory.serialNumber.replace(/^urn:uuid:/, '');
    const relationships = [
      relationship(DOCUMENT, 'DESCRIBES', ROOT),
      ...inventory.components.filter((c) => c.direct).map((c) => dependency(ROOT, ids.get(c.ref)!, c.scope)),
      ...inventory.components.flatMap((c) =>
        c.dependsOn.map((ref) => dependency(ids.get(c.ref)!, ids.get(ref)!, scopes.get(ref)!)),
      ),
    ];
    const document = {
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: DOCUMENT,
      name: inventory.subject.ref,
      documentNamespace: `https://spdx.org/spdxdocs/repoguard-${scanId}`,
      creationInfo: {
        // SPDX's timestamps have no fraction of a second.
        created: inventory.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        creators: [`Tool: ${inventory.tool.name}-${inventory.tool.version}`],
      },
      packages: [
        {
          SPDXID: ROOT,
          name: inventory.subject.name,
          ...(inventory.subject.version !== null ? { versionInfo: inventory.subject.version } : {}),
          downloadLocation: 'NOASSERTION',
          filesAnalyzed: false,
          licenseConcluded: 'NOASSERTION',
          licenseDeclared: 'NOASSERTION',
          copyrightText: 'NOASSERTION',
          primaryPackagePurpose: 'APPLICATION',
        },
        ...inventory.components.map((c) => packageOf(c, ids.get(c.ref)!)),
      ],
      relationships,
    };
    return JSON.stringify(document, null, 2);
  }
}

function packageOf(c: InventoryComponent, spdxId: string) {
  const licence = declaredLicence(c.licenses);
  return {
    SPDXID: spdxId,
    name: c.group === null ? c.name : `${c.group}${c.ecosystem === 'Maven' ? ':' : '/'}${c.name}`,
    ...(c.version !== null ? { versionInfo: c.version } : {}),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: licence.declared,
    ...(licence.comment ? { licenseComments: licence.comment } : {}),
    copyrightText: 'NOASSERTION',
    ...(c.hashes.length > 0
      ? {
          checksums: c.hashes.map((h) => ({
            algorithm: CHECKSUM_ALGORITHM[h.algorithm],
            checksumValue: h.content,
          })),
        }
      : {}),
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.ref }],
    primaryPackagePurpose: 'LIBRARY',
  };
}

/**
 * The licences joined with AND when each is an SPDX id or expression; NOASSERTION (the names in
 * the licence comment) when one is known only by a name SPDX cannot state.
 */
function declaredLicence(licences: readonly string[]): { declared: string; comment?: string } {
  if (licences.length === 0) return { declared: 'NOASSERTION' };
  const choices = licences.map(licenceChoiceOf);
  if (choices.some((c) => c.kind === 'name'))
    return { declared: 'NOASSERTION', comment: `As declared: ${licences.join('; ')}` };
  const terms = choices.map((c) => (c.kind === 'id' ? c.id : c.kind === 'expression' ? c.expression : ''));
  return {
    declared: terms.length === 1 ? terms[0]! : terms.map((t) => (/\s/.test(t) ? `(${t})` : t)).join(' AND '),
  };
}

/**
 * `SPDXRef-` and the purl in the characters an SPDXID may hold, with a hash of the purl so two
 * purls that read alike once cleaned never share an id.
 */
function spdxIdOf(purl: string): string {
  const readable = purl
    .replace(/^pkg:/, '')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .slice(0, 100);
  const hash = createHash('sha256').update(purl).digest('hex').slice(0, 8);
  return `SPDXRef-Package-${readable}-${hash}`;
}

/** `from` needs `to`, in the relationship that says how: at run time, optionally, or to build and test. */
function dependency(from: string, to: string, scope: ComponentScope) {
  if (scope === 'excluded') return relationship(to, 'DEV_DEPENDENCY_OF', from);
  if (scope === 'optional') return relationship(to, 'OPTIONAL_DEPENDENCY_OF', from);
  return relationship(from, 'DEPENDS_ON', to);
}

const relationship = (spdxElementId: string, relationshipType: string, relatedSpdxElement: string) => ({
  spdxElementId,
  relationshipType,
  relatedSpdxElement,
});
