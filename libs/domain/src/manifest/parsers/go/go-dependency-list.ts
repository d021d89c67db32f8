import {
  markedUnique,
  MAX_REPEAT_DIAGNOSTICS,
  moreRepeatsDiagnostic,
  repeatDiagnostic,
} from '../../dedupe-dependencies';
import type { ManifestDiagnostic, ParsedDependency } from '../../manifest.types';

// golang.org/x/mod/semver with the canonical three numbers go.mod requires.
const GO_VERSION =
  /^v(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** True when go.mod pins this version; anything else the go command would resolve first. */
export function isGoVersion(version: string): boolean {
  return GO_VERSION.test(version);
}

export function duplicateDiagnostic(
  path: string,
  earlierVersion: string,
  earlierLine: number,
  version: string,
  line: number,
): ManifestDiagnostic {
  return {
    severity: 'info',
    code: 'DUPLICATE',
    message: `${path} is required at ${earlierVersion} (line ${earlierLine}) and ${version}; Go builds with the higher one`,
    line,
  };
}

export function unpinnedDiagnostic(path: string, version: string, line: number): ManifestDiagnostic {
  return {
    severity: 'warning',
    code: 'UNPINNED',
    message: `${path} ${version} is not a semantic version (the go command would resolve it to one)`,
    line,
  };
}

/**
 * The dependencies of a go.mod, each identity once, merged as `parseManifest` would merge them (direct
 * when any requirement is, at the first one's line, an info diagnostic per repeat not already
 * reported), so it need not look for repeats again: a go.mod repeating one require 100,000 times
 * costs a look-up per line, not a dependency and two identity strings.
 */
export class GoDependencyList {
  private readonly list: ParsedDependency[] = [];
  /** Per name, the index of its first dependency; per name with several versions, each version's. */
  private readonly byName = new Map<string, number>();
  private readonly byVersion = new Map<string, Map<string, number>>();
  private readonly listed: ManifestDiagnostic[] = [];
  private unlisted = 0;

  constructor(private readonly manifestPath: string) {}

  /** The version or specifier of the dependency at `index`, as written. */
  versionAt(index: number): string {
    return writtenVersion(this.list[index] as ParsedDependency);
  }

  get size(): number {
    return this.list.length;
  }

  /** `version` as written: pinned when it is a semantic version, else the dependency's specifier. */
  add(
    name: string,
    version: string,
    pinned: boolean,
    direct: boolean,
    line: number,
    reported: boolean,
  ): void {
    const index = this.indexOf(name, version);
    if (index === undefined) this.push(name, version, pinned, direct, line);
    else this.repeat(index, direct, line, reported);
  }

  /** Adds a dependency whose name and version the list does not hold yet; returns its index. */
  push(name: string, version: string, pinned: boolean, direct: boolean, line: number): number {
    this.list.push(this.dependency(name, version, pinned, direct, line));
    return this.list.length - 1;
  }

  /**
   * Merges a repeat of the dependency at `index`, which has its name and version; `reported` when a
   * DUPLICATE diagnostic names its line.
   */
  repeat(index: number, direct: boolean, line: number, reported: boolean): number {
    const first = this.list[index] as ParsedDependency;
    if (direct && !first.direct) this.list[index] = { ...first, direct };
    if (reported) return index;
    if (this.listed.length < MAX_REPEAT_DIAGNOSTICS)
      this.listed.push(repeatDiagnostic({ ...first, direct, line }, first));
    else this.unlisted++;
    return index;
  }

  dependencies(): ParsedDependency[] {
    return markedUnique(this.list);
  }

  repeatDiagnostics(): ManifestDiagnostic[] {
    return this.unlisted === 0 ? this.listed : [...this.listed, moreRepeatsDiagnostic(this.unlisted)];
  }

  /** The index of the dependency with this name and version, else undefined after recording the next. */
  private indexOf(name: string, version: string): number | undefined {
    const next = this.list.length;
    const known = this.byName.get(name);
    if (known === undefined) {
      this.byName.set(name, next);
      return undefined;
    }
    if (writtenVersion(this.list[known] as ParsedDependency) === version) return known;
    let versions = this.byVersion.get(name);
    if (!versions) this.byVersion.set(name, (versions = new Map()));
    const index = versions.get(version);
    if (index === undefined) versions.set(version, next);
    return index;
  }

  private dependency(
    name: string,
    version: string,
    pinned: boolean,
    direct: boolean,
    line: number,
  ): ParsedDependency {
    const { manifestPath } = this;
    return pinned
      ? { ecosystem: 'Go', name, version, scope: 'runtime', direct, manifestPath, line }
      : {
          ecosystem: 'Go',
          name,
          version: null,
          specifier: version,
          scope: 'runtime',
          direct,
          manifestPath,
          line,
        };
  }
}

// A pinned version and a specifier never read the same: whether a version is pinned depends on its text.
function writtenVersion(dependency: ParsedDependency): string {
  return dependency.version ?? (dependency.specifier as string);
}

/**
 * The requirements of a go.mod with no replace directive and no quoted path, merged into the list
 * as they are read: each path is its dependency's name, so one map by path finds both a path's last
 * requirement (for the DUPLICATE diagnostic) and its dependency, and no requirement is kept.
 * Gives what the general path gives from its columns, diagnostics in the same order.
 */
export class RequirementsByPath {
  /** The requirements' diagnostics in file order, as the general path emits them after reading. */
  readonly diagnostics: ManifestDiagnostic[] = [];
  /** Per path, the dependency its last requirement went into. */
  private readonly lastOf = new Map<string, number>();
  /** Per dependency, the line of the last requirement that went into it. */
  private readonly lastLine: number[] = [];
  /** Per path required at several versions, the dependency of each version. */
  private readonly versionsOf = new Map<string, Map<string, number>>();

  constructor(private readonly list: GoDependencyList) {}

  add(path: string, version: string, direct: boolean, line: number): void {
    const { list } = this;
    const earlier = this.lastOf.get(path);
    let index: number | undefined;
    let reported = false;
    if (earlier !== undefined) {
      const earlierVersion = list.versionAt(earlier);
      if (earlierVersion === version) index = earlier;
      else {
        reported = true;
        this.diagnostics.push(
          duplicateDiagnostic(path, earlierVersion, this.lastLine[earlier] as number, version, line),
        );
        let versions = this.versionsOf.get(path);
        if (!versions) {
          versions = new Map([[earlierVersion, earlier]]);
          this.versionsOf.set(path, versions);
        }
        index = versions.get(version);
        if (index === undefined) versions.set(version, list.size);
      }
    }
    const pinned = isGoVersion(version);
    if (!pinned) this.diagnostics.push(unpinnedDiagnostic(path, version, line));
    index =
      index === undefined
        ? list.push(path, version, pinned, direct, line)
        : list.repeat(index, direct, line, reported);
    this.lastOf.set(path, index);
    this.lastLine[index] = line;
  }
}
