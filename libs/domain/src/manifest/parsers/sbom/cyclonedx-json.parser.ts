import { readCycloneDxJson } from './cyclonedx-json-document';
import { sbomParser } from './sbom-dependencies';
import { jsonString } from './sbom-json';

/**
 * A CycloneDX JSON BOM (`*.cdx.json`, 1.2 to 1.6): every component with a purl, nested ones too,
 * as a dependency of the ecosystem its purl names (see `dependenciesOfSbom`).
 */
export const cyclonedxJsonParser = sbomParser(
  'cyclonedx-json',
  readCycloneDxJson,
  /"purl"\s*:\s*"((?:[^"\\]|\\.)*)"/g,
  jsonString,
);
