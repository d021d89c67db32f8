// The parts of CycloneDX's library that the CLI imports, as one file (see pack-cli.ts): its
// subpath modules share classes, so they must come from one copy.
export * as Enums from '@cyclonedx/cyclonedx-library/Enums';
export * as Models from '@cyclonedx/cyclonedx-library/Models';
export * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
export * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';
export * as Spec from '@cyclonedx/cyclonedx-library/Spec';
