import {
  canonicalAdvisoryId,
  isEcosystem,
  matchVexStatements,
  NotFoundError,
  parseVexJson,
  productOf,
  toPurl,
  type Clock,
  type FindingPosition,
  type ListedFinding,
  type Stores,
  type UnitOfWork,
  type UnmatchedVexStatement,
  type VexAnalysis,
  type VexMatchable,
} from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import type { ReevaluateRepositoryStatus } from '../repositories/reevaluate-repository-status.use-case';
import { cancelSupersededExpiryTimer, recordTriageDecision, type TriageExpiry } from './triage-decision';
import { documentText } from '../shared/document-text';

export interface ImportVexCommand {
  readonly caller: Caller;
  readonly repoId: string;
  /** The body as sent, not yet trusted: parsed here, once the caller may triage, and checked. */
  readonly document: Uint8Array;
}

export interface VexImportResult {
  readonly format: 'cyclonedx' | 'openvex';
  readonly documentId: string | null;
  /** Findings whose decision the document changed. */
  readonly applied: number;
  /** Findings that already had the document's analysis (an expiry it has is kept). */
  readonly unchanged: number;
  /** Statements that matched no current finding, or had no analysis; the first 100 are listed. */
  readonly unmatched: number;
  readonly unmatchedStatements: readonly UnmatchedVexStatement[];
}

const UNMATCHED_LISTED = 100;
const PAGE = 1000;

const sameAnalysis = (a: VexAnalysis | null | undefined, b: VexAnalysis) =>
  !!a &&
  a.state === b.state &&
  a.justification === b.justification &&
  a.detail === b.detail &&
  a.responses.length === b.responses.length &&
  a.responses.every((r, i) => r === b.responses[i]);

/**
 * Applies a CycloneDX VEX or OpenVEX document to a repository's current (open and ignored)
 * findings: a statement is about the findings whose advisory id or an alias is its vulnerability
 * (or an alias) and whose package is one of its products. Each decision goes the triage path
 * (audited per finding, the document named), all in one transaction under the repository's lock;
 * the repository is judged once. A later statement about the same finding wins, as OpenVEX reads.
 */
export class ImportVex {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly reevaluate: ReevaluateRepositoryStatus,
    private readonly expiry: TriageExpiry = {},
  ) {}

  async execute({ caller, repoId, document }: ImportVexCommand): Promise<VexImportResult> {
    const parsed = parseVexJson(documentText(document, 'The VEX document', 'VEX_INVALID'));
    const { result, superseded } = await this.uow.transaction(caller.scope, async (stores) => {
      const repo = await stores.repositories.get(repoId);
      if (!repo) throw new NotFoundError('REPO_NOT_FOUND', `No repository with id ${repoId}`);
      await stores.repositories.holdOutcome(repoId);
      const findings = await currentFindings(stores, repoId);
      const { decided, unmatched } = matchVexStatements(parsed.statements, findings);
      let applied = 0;
      let unchanged = 0;
      const superseded: { id: string; expiresAt: Date }[] = [];
      const now = this.clock.now();
      for (const [findingId, { analysis, at }] of decided) {
        const finding = await stores.findingTriage.get(findingId);
        if (!finding || finding.status === 'fixed' || finding.status === 'withdrawn') continue;
        // A decision the document states again is left as it is, its expiry included: rewriting it
        // without one would make a time-boxed decision permanent. One past its expiry no longer holds.
        const expiresAt = finding.decisionExpiresAt ?? null;
        if (sameAnalysis(finding.analysis, analysis) && (expiresAt === null || expiresAt > now)) {
          unchanged++;
          continue;
        }
        await recordTriageDecision(
          stores,
          caller.actor,
          finding,
          { kind: 'vex', analysis, reason: null, expiresAt: null },
          now,
          { type: 'vex_import', format: parsed.format, document_id: parsed.documentId, statement: at },
        );
        if (finding.triageExpiresAt) superseded.push({ id: finding.id, expiresAt: finding.triageExpiresAt });
        applied++;
      }
      if (applied > 0) {
        await this.reevaluate.within(stores, { actor: caller.actor, repoId, cause: 'finding.triaged' });
      }
      const result: VexImportResult = {
        format: parsed.format,
        documentId: parsed.documentId,
        applied,
        unchanged,
        unmatched: unmatched.length,
        unmatchedStatements: unmatched.slice(0, UNMATCHED_LISTED),
      };
      return { result, superseded };
    });
    for (const { id, expiresAt } of superseded) await cancelSupersededExpiryTimer(this.expiry, id, expiresAt);
    return result;
  }
}

/** The repository's open and ignored findings, each with its advisory ids and its package as a purl. */
async function currentFindings(stores: Stores, repoId: string): Promise<VexMatchable[]> {
  const findings: VexMatchable[] = [];
  for (let after: FindingPosition | undefined; ;) {
    const { items, next } = await stores.findingQueries.page(
      { repoId, statuses: ['open', 'ignored'], sort: { key: 'first_seen', direction: 'asc' } },
      { limit: PAGE, offset: 0, withTotal: false, ...(after ? { after } : {}) },
    );
    findings.push(...items.map(importable));
    if (!next) return findings;
    after = next;
  }
}

function importable(f: ListedFinding): VexMatchable {
  const purl = f.purl ?? (isEcosystem(f.ecosystem) ? toPurl(f.ecosystem, f.packageName, f.version) : null);
  return {
    id: f.id,
    ids: new Set([f.vulnerabilityId, ...f.aliases].map(canonicalAdvisoryId)),
    product: purl ? productOf(purl) : null,
  };
}
