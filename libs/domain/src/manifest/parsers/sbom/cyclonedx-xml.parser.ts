import type { ManifestParser } from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import { readCycloneDxXml } from './cyclonedx-xml-document';
import { dependenciesOfSbom, purlLines } from './sbom-dependencies';

const PURL_ELEMENT = /<(?:[\w.-]+:)?purl>([^<]*)<\//g;

/**
 * A CycloneDX XML BOM (`*.cdx.xml`, 1.2 to 1.6), read like its JSON form. No DOCTYPE is accepted
 * and no entity expanded beyond XML's own five.
 */
export const cyclonedxXmlParser: ManifestParser = {
  id: 'cyclonedx-xml',
  ecosystem: null,
  parse(path, text) {
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const normalized = normalizeText(text);
    // A purl holding `&amp;` (qualifiers) is written differently than read: it goes without a line.
    return dependenciesOfSbom(
      path,
      readCycloneDxXml(path, normalized),
      purlLines(normalized, PURL_ELEMENT, (raw) => raw.trim()),
    );
  },
};
