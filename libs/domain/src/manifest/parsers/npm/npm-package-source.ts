import valid from 'semver/functions/valid';

/** `name@range` split at the `@` after the name; scoped names (`@scope/name`) keep their scope. */
export function splitDescriptor(descriptor: string): { name: string; range: string } | null {
  const at = descriptor.indexOf('@', 1);
  if (at <= 0) return null;
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/** An exact version as a registry publishes it (`1.2.3`, `2.0.0-rc.1`), not a range, tag or URL. */
export function isExactVersion(version: string): boolean {
  return valid(version) !== null;
}

/**
 * Tarball URLs of npm-compatible registries: npmjs, Yarn's mirror, Verdaccio, Artifactory and
 * Nexus serve `<name>/-/<file>.tgz`, GitHub Packages `/download/<name>/<version>/...`.
 */
export function isRegistryTarball(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  return url.includes('/-/') || /^https?:\/\/npm\.pkg\.github\.com\/download\//i.test(url);
}

/** A range that names a source instead of a version: `file:`, `link:`, `git+ssh:`, `user/repo`. */
export function isSourceRange(range: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(range) || range.includes('/');
}
