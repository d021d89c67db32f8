/**
 * POSIX path joining for `-r`/`-c` includes. The domain may not use Node's `path`, and repository
 * paths are always `/`-separated.
 */
export function resolveIncludePath(includingFile: string, target: string): string {
  if (target.startsWith('/')) return normalizePosixPath(target);
  const slash = includingFile.lastIndexOf('/');
  const directory = slash >= 0 ? includingFile.slice(0, slash + 1) : '';
  return normalizePosixPath(directory + target);
}

/** Removes `.`, empty segments and `..` (kept in front of a relative path that climbs out). */
export function normalizePosixPath(path: string): string {
  const absolute = path.startsWith('/');
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length > 0 && segments[segments.length - 1] !== '..') segments.pop();
      else if (!absolute) segments.push('..');
      continue;
    }
    segments.push(segment);
  }
  const joined = segments.join('/');
  if (absolute) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/**
 * Why an include may not be followed whatever the reader can see, or null: an absolute path (`/etc/passwd`,
 * `C:\x`, `\\host\share`) names a file outside any scanned tree, and so does a relative one that climbs
 * above the tree the including file's path is relative to (`../../other.txt` from `requirements.txt`).
 */
export function includeOutsideTree(includingFile: string, target: string): string | null {
  if (/^(?:[\\/]|[A-Z]:)/i.test(target)) return 'absolute include paths are never followed';
  if (includingFile.startsWith('/')) return null;
  const path = resolveIncludePath(includingFile, target);
  return path === '..' || path.startsWith('../') ? 'it climbs out of the scanned files' : null;
}
