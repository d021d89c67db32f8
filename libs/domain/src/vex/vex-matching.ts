import type { VexAnalysis } from '../finding/vex-analysis';
import { productMatches, type VexProduct, type VexStatement } from './vex-document';

/** A current finding as a statement is matched to it: its advisory ids (canonical) and its package. */
export interface VexMatchable {
  readonly id: string;
  readonly ids: ReadonlySet<string>;
  readonly product: VexProduct | null;
}

/** A statement that changed nothing: no analysis to apply, or no current finding it is about. */
export interface UnmatchedVexStatement {
  readonly at: string;
  readonly vulnerability: string;
  readonly reason: 'no_analysis' | 'no_finding';
}

export interface VexMatches {
  /** Per finding id, the analysis of the last statement about it. */
  readonly decided: ReadonlyMap<string, { readonly analysis: VexAnalysis; readonly at: string }>;
  readonly unmatched: readonly UnmatchedVexStatement[];
}

/**
 * Which findings each statement is about (an advisory id or alias in common, and its package among
 * the statement's products, a versionless product being every version); a later statement about a
 * finding wins. The findings are indexed by advisory id and package once, so the work grows with
 * the statements and findings, not their product: it runs under the repository's lock.
 */
export function matchVexStatements(
  statements: readonly VexStatement[],
  findings: readonly VexMatchable[],
): VexMatches {
  const index = indexFindings(findings);
  const unmatched: UnmatchedVexStatement[] = [];
  const decided = new Map<string, { analysis: VexAnalysis; at: string }>();
  for (const statement of statements) {
    if (!statement.analysis) {
      unmatched.push({ at: statement.at, vulnerability: statement.vulnerability, reason: 'no_analysis' });
      continue;
    }
    const about = findingsAbout(statement, index);
    if (about.size === 0) {
      unmatched.push({ at: statement.at, vulnerability: statement.vulnerability, reason: 'no_finding' });
    }
    for (const id of about) decided.set(id, { analysis: statement.analysis, at: statement.at });
  }
  return { decided, unmatched };
}

interface Indexed {
  readonly id: string;
  readonly product: VexProduct;
}

/** Advisory id → package (purl without version) → the findings of that advisory in that package. */
type FindingIndex = Map<string, Map<string, Indexed[]>>;

function indexFindings(findings: readonly VexMatchable[]): FindingIndex {
  const index: FindingIndex = new Map();
  for (const finding of findings) {
    const product = finding.product;
    if (product === null) continue; // no package anyone could name
    for (const id of finding.ids) {
      let byPackage = index.get(id);
      if (!byPackage) index.set(id, (byPackage = new Map()));
      let indexed = byPackage.get(product.base);
      if (!indexed) byPackage.set(product.base, (indexed = []));
      indexed.push({ id: finding.id, product });
    }
  }
  return index;
}

function findingsAbout(statement: VexStatement, index: FindingIndex): Set<string> {
  const products = new Map<string, VexProduct[]>();
  for (const product of statement.products) {
    const same = products.get(product.base);
    if (same) same.push(product);
    else products.set(product.base, [product]);
  }
  const about = new Set<string>();
  for (const id of new Set(statement.ids)) {
    const byPackage = index.get(id);
    if (!byPackage) continue;
    // The smaller side is walked: an advisory in few packages, or a statement naming few.
    const bases = byPackage.size <= products.size ? byPackage.keys() : products.keys();
    for (const base of bases) {
      const named = products.get(base);
      if (!named) continue;
      for (const finding of byPackage.get(base) ?? []) {
        if (named.some((p) => productMatches(p, finding.product))) about.add(finding.id);
      }
    }
  }
  return about;
}
