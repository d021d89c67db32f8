import type { VexAnalysis } from '../finding/vex-analysis';
import { productOf, type VexProduct, type VexStatement } from './vex-document';
import { matchVexStatements, type VexMatchable } from './vex-matching';

const NOT_AFFECTED: VexAnalysis = {
  state: 'not_affected',
  justification: 'code_not_present',
  responses: [],
  detail: null,
};
const RESOLVED: VexAnalysis = { state: 'resolved', justification: null, responses: [], detail: null };

const statement = (
  at: string,
  ids: string[],
  purls: string[],
  analysis: VexAnalysis | null,
): VexStatement => ({
  at,
  vulnerability: ids[0]!,
  ids,
  products: purls.map((purl) => productOf(purl)!),
  analysis,
});
const finding = (id: string, ids: string[], purl: string | null): VexMatchable => ({
  id,
  ids: new Set(ids),
  product: purl === null ? null : productOf(purl),
});

describe('matching VEX statements to findings', () => {
  it('by an advisory id or alias and a product; a versionless product is every version; the later wins', () => {
    const findings = [
      finding('f1', ['GHSA-aaaa', 'CVE-2021-1'], 'pkg:npm/left-pad@1.0.0'),
      finding('f2', ['GHSA-aaaa', 'CVE-2021-1'], 'pkg:npm/left-pad@2.0.0'),
      finding('f3', ['GHSA-bbbb'], 'pkg:npm/left-pad@1.0.0'),
      finding('f4', ['CVE-2021-1'], null),
    ];
    const { decided, unmatched } = matchVexStatements(
      [
        statement('s[0]', ['CVE-2021-1'], ['pkg:npm/left-pad'], NOT_AFFECTED),
        statement('s[1]', ['GHSA-cccc', 'GHSA-aaaa'], ['pkg:npm/left-pad@2.0.0'], RESOLVED),
        statement('s[2]', ['GHSA-bbbb'], ['pkg:npm/right-pad@1.0.0'], RESOLVED),
        statement('s[3]', ['GHSA-bbbb'], ['pkg:npm/left-pad@1.0.0'], null),
      ],
      findings,
    );
    expect([...decided]).toEqual([
      ['f1', { analysis: NOT_AFFECTED, at: 's[0]' }],
      ['f2', { analysis: RESOLVED, at: 's[1]' }],
    ]);
    expect(unmatched).toEqual([
      { at: 's[2]', vulnerability: 'GHSA-bbbb', reason: 'no_finding' },
      { at: 's[3]', vulnerability: 'GHSA-bbbb', reason: 'no_analysis' },
    ]);
  });

  // Compared pairwise, 2,000 statements over 2,000 findings read each finding's fields millions of
  // times inside the repository's lock; indexed, each finding is read once.
  it('indexes the findings: each is looked at once, not once per statement', () => {
    const reads = { count: 0 };
    const findings = Array.from({ length: 2_000 }, (_, i): VexMatchable => {
      const ids = new Set([`GHSA-${i}`]);
      const product: VexProduct = productOf(`pkg:npm/p${i}@1.0.0`)!;
      return {
        id: `f${i}`,
        get ids() {
          reads.count++;
          return ids;
        },
        get product() {
          reads.count++;
          return product;
        },
      };
    });
    const statements = Array.from({ length: 2_000 }, (_, i) =>
      statement(`s[${i}]`, [`GHSA-${i}`], [`pkg:npm/p${i}@1.0.0`], RESOLVED),
    );
    const { decided, unmatched } = matchVexStatements(statements, findings);
    expect([decided.size, unmatched.length]).toEqual([2_000, 0]);
    expect(reads.count).toBeLessThanOrEqual(2 * 2_000);
  });
});
