import type { ManifestParser } from '../../manifest.types';
import { binaryDiagnostic, looksBinary, normalizeText } from '../../manifest-text';
import { jsonString } from './sbom-json';
import { dependenciesOfSbom, purlLines } from './sbom-dependencies';
import { readSpdxJson } from './spdx-json-document';

const LOCATOR_ENTRY = /"referenceLocator"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/**
 * An SPDX 2.2 or 2.3 JSON document (`*.spdx.json`): every package with a purl (`externalRefs` of
 * category PACKAGE-MANAGER, type purl) as a dependency of the ecosystem it names; DEPENDS_ON and
 * the `*_DEPENDENCY_OF` relationships give the graph and scopes.
 */
export const spdxJsonParser: ManifestParser = {
  id: 'spdx-json',
  ecosystem: null,
  parse(path, text) {
    if (looksBinary(text)) return { dependencies: [], diagnostics: [binaryDiagnostic(path)] };
    const normalized = normalizeText(text);
    return dependenciesOfSbom(
      path,
      readSpdxJson(path, normalized),
      purlLines(normalized, LOCATOR_ENTRY, jsonString),
    );
  },
};
