import { ValidationError } from '../../../errors';
import { normalizeText } from '../../manifest-text';
import { cycloneDxJsonOf } from './cyclonedx-json-document';
import { readCycloneDxXml } from './cyclonedx-xml-document';
import { readJsonObject } from './sbom-json';
import {
  CYCLONEDX_VERSIONS,
  MAX_SBOM_COMPONENTS,
  SPDX_VERSIONS,
  type SbomDocumentFormat,
  type SbomRead,
} from './sbom-document';
import { spdxJsonOf } from './spdx-json-document';

/** The file name a stored SBOM is scanned under: it selects the parser, as in a repository. */
export const SBOM_FILE_NAMES: Readonly<Record<SbomDocumentFormat, string>> = {
  'cyclonedx-json': 'sbom.cdx.json',
  'cyclonedx-xml': 'sbom.cdx.xml',
  'spdx-json': 'sbom.spdx.json',
};

/** Which SBOM format the text is, by its content; undefined when it is none RepoGuard reads. */
export function sniffSbomFormat(text: string): SbomDocumentFormat | undefined {
  const start = normalizeText(text).trimStart();
  // Any XML whose root element is <bom> (past a declaration, comments, a DOCTYPE it then refuses).
  if (start.startsWith('<'))
    return /<(?:[\w.-]+:)?bom[\s/>]/.test(start.slice(0, 4096)) ? 'cyclonedx-xml' : undefined;
  if (!start.startsWith('{')) return undefined;
  // The two keys that tell, looked for near the start (where every tool writes them) and then anywhere.
  const head = start.slice(0, 4096);
  const which = (part: string): SbomDocumentFormat | undefined =>
    /"bomFormat"\s*:\s*"CycloneDX"/.test(part)
      ? 'cyclonedx-json'
      : /"spdxVersion"\s*:/.test(part)
        ? 'spdx-json'
        : undefined;
  return which(head) ?? which(start);
}

/** What an upload is, read from the document itself. */
export interface SbomDescription {
  readonly format: SbomDocumentFormat;
  readonly specVersion: string;
  readonly serialNumber: string | null;
  /** What the document describes: CycloneDX `metadata.component`, SPDX's described package or `name`. */
  readonly rootName: string | null;
  readonly rootVersion: string | null;
  readonly components: number;
  /** The name it is scanned under (`sbom.cdx.json`...). */
  readonly fileName: string;
}

/**
 * Reads an uploaded SBOM far enough to accept or refuse it: a CycloneDX JSON or XML BOM of spec
 * 1.2 to 1.6 or an SPDX 2.2/2.3 JSON document, at most MAX_SBOM_COMPONENTS components. Refusals are
 * ValidationErrors naming the field at fault (`bomFormat`, `specVersion`, `spdxVersion`,
 * `components`, or `body` for what is not a readable document at all).
 */
export function describeSbom(text: string): SbomDescription {
  const format = sniffSbomFormat(text);
  if (!format)
    throw new ValidationError(
      'The body is not an SBOM RepoGuard reads: a CycloneDX JSON or XML BOM or an SPDX JSON document',
      [
        {
          field: 'bomFormat',
          problem:
            'must be a CycloneDX BOM ("bomFormat": "CycloneDX", or <bom>) or SPDX JSON ("spdxVersion")',
        },
      ],
      'SBOM_FORMAT_UNSUPPORTED',
    );
  const path = SBOM_FILE_NAMES[format];
  const read = readAs(format, path, text);
  if ('refused' in read)
    throw new ValidationError(
      read.refused.message,
      [{ field: 'body', problem: read.refused.message.replace(`${path} `, '') }],
      'SBOM_INVALID',
    );
  const { document } = read;
  const cyclonedx = format !== 'spdx-json';
  const known = cyclonedx ? CYCLONEDX_VERSIONS : SPDX_VERSIONS;
  if (!known.includes(document.specVersion))
    throw new ValidationError(
      `${document.specVersion.slice(0, 40) || 'No spec version'} is not a version RepoGuard reads`,
      [{ field: cyclonedx ? 'specVersion' : 'spdxVersion', problem: `must be one of ${known.join(', ')}` }],
      'SBOM_VERSION_UNSUPPORTED',
    );
  if (document.diagnostics.some((d) => d.code === 'TOO_MANY_COMPONENTS'))
    throw new ValidationError(
      `The SBOM lists more than ${MAX_SBOM_COMPONENTS} components`,
      [{ field: cyclonedx ? 'components' : 'packages', problem: `at most ${MAX_SBOM_COMPONENTS}` }],
      'SBOM_TOO_MANY_COMPONENTS',
    );
  return {
    format,
    specVersion: document.specVersion,
    serialNumber: document.serialNumber?.slice(0, 255) ?? null,
    rootName: document.root.name?.slice(0, 255) ?? null,
    rootVersion: document.root.version?.slice(0, 255) ?? null,
    components: document.components.length,
    fileName: path,
  };
}

function readAs(format: SbomDocumentFormat, path: string, text: string): SbomRead {
  if (format === 'cyclonedx-xml') return readCycloneDxXml(path, text);
  const read = readJsonObject(path, text);
  if ('refused' in read) return read;
  return format === 'cyclonedx-json' ? cycloneDxJsonOf(path, read.object) : spdxJsonOf(path, read.object);
}
