import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';

// It ships no types: a plugin adding the draft 2019 formats (OpenVEX's `iri`) to an Ajv instance.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const addDraft2019Formats = require('ajv-formats-draft2019') as (ajv: Ajv2020) => Ajv2020;

const FIXTURES = path.resolve(__dirname, '../fixtures');
const schema = (file: string) => JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as object;

// The official schemas: CycloneDX's as the library ships them, SPDX's and OpenVEX's vendored
// (test/fixtures/spdx/README.md and test/fixtures/openvex/README.md say where they came from).
const cycloneDx = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

const draft7 = new Ajv({ allErrors: true, strict: false });
addFormats(draft7);
const spdx = draft7.compile(schema('spdx/spdx-schema-2.3.json'));

const draft2020 = new Ajv2020({ allErrors: true, strict: false });
addFormats(draft2020);
addDraft2019Formats(draft2020);
// The plugin's `iri` takes only schemes IANA registered, and `pkg:` (a purl) is not one; OpenVEX
// names products by purl in its own examples. Any absolute IRI (RFC 3987: scheme, colon, no
// white space) is what the schema asks for.
draft2020.addFormat('iri', /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/);
const openVex = draft2020.compile(schema('openvex/openvex-schema-0.2.0.json'));

/** The CycloneDX 1.6 (strict) schema's complaints about a document: null when it is valid. */
export async function cycloneDxErrors(text: string): Promise<unknown> {
  return cycloneDx.validate(text);
}

export function spdxErrors(text: string): unknown {
  return spdx(JSON.parse(text)) ? null : spdx.errors;
}

export function openVexErrors(text: string): unknown {
  return openVex(JSON.parse(text)) ? null : openVex.errors;
}
