export * from './cyclonedx-sbom-writer';
export * from './cyclonedx-vex-writer';
export * from './spdx-sbom-writer';
export * from './openvex-writer';
