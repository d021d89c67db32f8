import type { ManifestParser } from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import { readCycloneDxJson } from './cyclonedx-json-document';
import { jsonString } from './sbom-json';
import { dependenciesOfSbom, purlLines } from './sbom-dependencies';

const PURL_ENTRY = /"purl"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/**
 * A CycloneDX JSON BOM (`*.cdx.json`, 1.2 to 1.6): every component with a purl, nested ones too,
 * as a dependency of the ecosystem its purl names (see `dependenciesOfSbom`).
 */
export const cyclonedxJsonParser: ManifestParser = {
  id: 'cyclonedx-json',
  ecosystem: null,
  parse(path, text) {
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const normalized = normalizeText(text);
    return dependenciesOfSbom(
      path,
      readCycloneDxJson(path, normalized),
      purlLines(normalized, PURL_ENTRY, jsonString),
    );
  },
};
