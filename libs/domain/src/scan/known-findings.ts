/**
 * A finding as a baseline remembers it. Its identity is the manifest, the package and the
 * vulnerability (any of its ids): not the line, which moves when a manifest is edited, and not
 * the version, so a bump that the same advisory still affects stays known. A package that brings
 * in a different advisory, or the same vulnerable package added to another manifest, is new.
 */
export interface KnownFinding {
  readonly manifestPath: string;
  readonly ecosystem: string;
  readonly name: string;
  readonly vulnerabilityId: string;
  readonly aliases: readonly string[];
}

/** The findings of an earlier check, asked whether a finding of this one was already there. */
export class KnownFindings {
  private readonly ids = new Set<string>();

  constructor(findings: Iterable<KnownFinding>) {
    for (const finding of findings) {
      for (const id of [finding.vulnerabilityId, ...finding.aliases]) this.ids.add(keyOf(finding, id));
    }
  }

  /** Known when it shares the manifest, the package and any id (alias groups can change). */
  has(finding: KnownFinding): boolean {
    return [finding.vulnerabilityId, ...finding.aliases].some((id) => this.ids.has(keyOf(finding, id)));
  }
}

const keyOf = (f: Pick<KnownFinding, 'manifestPath' | 'ecosystem' | 'name'>, id: string) =>
  JSON.stringify([f.manifestPath, f.ecosystem, f.name, id]);
