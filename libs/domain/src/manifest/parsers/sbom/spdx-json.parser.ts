import { sbomParser } from './sbom-dependencies';
import { jsonString } from './sbom-json';
import { readSpdxJson } from './spdx-json-document';

/**
 * An SPDX 2.2 or 2.3 JSON document (`*.spdx.json`): every package with a purl (`externalRefs` of
 * category PACKAGE-MANAGER, type purl) as a dependency of the ecosystem it names; DEPENDS_ON and
 * the `*_DEPENDENCY_OF` relationships give the graph and scopes.
 */
export const spdxJsonParser = sbomParser(
  'spdx-json',
  readSpdxJson,
  /"referenceLocator"\s*:\s*"((?:[^"\\]|\\.)*)"/g,
  jsonString,
);
