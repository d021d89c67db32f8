import type { Ecosystem } from '../../../ecosystem/ecosystem.value-object';
import { PURL_TYPE } from '../../../ecosystem/ecosystem.value-object';
import { normalizePackageName } from '../../../ecosystem/package-name';

/** A package URL's parts, percent-decoded (purl spec: `pkg:type/namespace/name@version?q#sub`). */
export interface Purl {
  readonly type: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly version: string | undefined;
}

/** Past this a purl is not one: the longest real ones are a few hundred characters. */
export const MAX_PURL_LENGTH = 2048;

const ECOSYSTEM_OF_TYPE = new Map<string, Ecosystem>(
  (Object.entries(PURL_TYPE) as [Ecosystem, string][]).map(([ecosystem, type]) => [type, ecosystem]),
);

/**
 * The purl's parts, or undefined when the text is not a purl. Read by hand rather than with
 * packageurl-js, which lowercases npm names (`JSONStream` would no longer meet its advisories).
 */
export function readPurl(text: string): Purl | undefined {
  if (text.length > MAX_PURL_LENGTH || !/^pkg:/i.test(text)) return undefined;
  let rest = text.slice(4).replace(/^\/+/, '');
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question !== -1) rest = rest.slice(0, question);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  if (!/^[a-z][a-z0-9.+-]*$/.test(type)) return undefined;
  let end = rest.length;
  while (end > slash + 1 && rest.charCodeAt(end - 1) === 0x2f) end--;
  let path = rest.slice(slash + 1, end);
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  // An `@` before the last `/` is an npm scope written unencoded, not a version.
  if (at > path.lastIndexOf('/')) {
    version = decode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segments = path.split('/').filter((s) => s !== '');
  const decoded = segments.map(decode);
  if (decoded.length === 0 || decoded.some((s) => s === undefined || s.trim() === '')) return undefined;
  const parts = decoded as string[];
  const name = parts[parts.length - 1] as string;
  const namespace = parts.length > 1 ? parts.slice(0, -1).join('/') : undefined;
  if (version === '') version = undefined;
  return { type, namespace, name, version };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** What a purl names, in RepoGuard's terms. */
export type PurlPackage =
  | { readonly ecosystem: Ecosystem; readonly name: string; readonly version: string | undefined }
  | { readonly unsupportedType: string };

/**
 * The ecosystem, name and version a lock file of that ecosystem would give the package, so an
 * SBOM's findings equal a lock-file scan's: `@scope/name` (npm), `group:artifact` (Maven), PEP 503
 * (PyPI), the module path (Go), `vendor/package` lowercased and `v1.2` as `1.2` (Packagist).
 * `spelledAs`: the component's own name, kept for npm where it equals the purl's ignoring case
 * (tools lowercase npm purls; `JSONStream` is published, and advised, with capitals).
 */
export function packageOfPurl(purl: Purl, spelledAs?: string): PurlPackage {
  const ecosystem = ECOSYSTEM_OF_TYPE.get(purl.type);
  if (!ecosystem) return { unsupportedType: purl.type };
  const { namespace, name } = purl;
  let full: string;
  switch (ecosystem) {
    case 'Maven':
      full = namespace ? `${namespace}:${name}` : name;
      break;
    case 'npm': {
      full = namespace ? `${namespace.startsWith('@') ? '' : '@'}${namespace}/${name}` : name;
      if (spelledAs !== undefined && spelledAs !== full && spelledAs.toLowerCase() === full.toLowerCase())
        full = spelledAs;
      break;
    }
    default:
      full = namespace ? `${namespace}/${name}` : name;
  }
  let version = purl.version?.trim();
  if (version === '') version = undefined;
  if (ecosystem === 'Packagist' && version !== undefined) version = version.replace(/^v(?=\d)/i, '');
  return { ecosystem, name: normalizePackageName(ecosystem, full), version };
}
