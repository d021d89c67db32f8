export { cyclonedxJsonParser } from './cyclonedx-json.parser';
export { cyclonedxXmlParser } from './cyclonedx-xml.parser';
export { spdxJsonParser } from './spdx-json.parser';
export { describeSbom, sniffSbomFormat, SBOM_FILE_NAMES, type SbomDescription } from './sbom-format';
export { MAX_SBOM_COMPONENTS, type SbomDocumentFormat } from './sbom-document';
