// What `repoguard check` needs of the infrastructure, as an entry of its own: the @repoguard/cli
// package bundles this and not the barrel, so it carries no database, Temporal or HTTP code.
export { ConfigError } from './config/config-error';
export { type LocalCheckConfig, readLocalCheckConfig } from './config/local-check-config';
export { FileCvssScoreCache } from './osv/file-cvss-score-cache';
export { FileOsvCatalogCache } from './osv/file-osv-catalog-cache';
export { LocalOsvAdvisories } from './osv/local-osv-advisories';
export { readOsvExport } from './osv/osv-export-reader';
export {
  DEFAULT_INLINE_PARSE_MAX_CHARS,
  InlineFirstManifestParserPool,
} from './parsing/inline-first-manifest-parser-pool';
export { CycloneDxSbomWriter } from './sbom/cyclonedx-sbom-writer';
