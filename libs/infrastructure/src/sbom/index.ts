export * from './cyclonedx-sbom-writer';
export * from './cyclonedx-vex-writer';
export * from './spdx-sbom-writer';
export * from './openvex-writer';
export { ManifestBlobSbomDocumentStore } from './manifest-blob-sbom-document-store';
export { StoredSbomManifestSource } from './stored-sbom-manifest-source';
