import type { SbomDocumentFormat } from '../manifest/parsers/sbom';

/**
 * One SBOM document uploaded to a project of provider `sbom`: a snapshot of it. The document
 * itself is a manifest blob keyed by the SHA-256 of its bytes, which is also the snapshot's
 * "commit": uploading the same bytes again is the same snapshot.
 */
export interface SbomUpload {
  readonly id: string;
  readonly orgId: string;
  readonly repoId: string;
  /** SHA-256 of the document's bytes, lower-case hex. */
  readonly sha256: string;
  readonly format: SbomDocumentFormat;
  readonly specVersion: string;
  /** The document's own id: CycloneDX `serialNumber`, SPDX `documentNamespace`. */
  readonly serialNumber: string | null;
  /** What the document describes, as it names it (`name@version`), if it does. */
  readonly documentName: string | null;
  readonly components: number;
  readonly sizeBytes: number;
  /** The caller's name (`user:<id>`, `api_key:<id>`). */
  readonly uploadedBy: string;
  readonly uploadedAt: Date;
}

export type NewSbomUpload = Omit<SbomUpload, 'id' | 'uploadedAt'>;
