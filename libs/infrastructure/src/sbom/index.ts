export { ManifestBlobSbomDocumentStore } from './manifest-blob-sbom-document-store';
export { StoredSbomManifestSource } from './stored-sbom-manifest-source';
