import { readCycloneDxXml } from './cyclonedx-xml-document';
import { sbomParser } from './sbom-dependencies';

/**
 * A CycloneDX XML BOM (`*.cdx.xml`, 1.2 to 1.6), read like its JSON form. No DOCTYPE is accepted
 * and no entity expanded beyond XML's own five. A purl holding `&amp;` (qualifiers) is written
 * differently than read: it goes without a line.
 */
export const cyclonedxXmlParser = sbomParser(
  'cyclonedx-xml',
  readCycloneDxXml,
  /<(?:[\w.-]+:)?purl>([^<]*)<\//g,
  (raw) => raw.trim(),
);
