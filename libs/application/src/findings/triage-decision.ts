import {
  findingStatusOfVexState,
  type AuditContext,
  type Stores,
  type TriageableFinding,
  type TriageExpiryTimer,
  type VexAnalysis,
} from '@repoguard/domain';

/**
 * A decision as the audit trail tells it: `ignore` and `reopen` are today's PATCH bodies (their
 * actions kept), `vex` any decision stated in VEX terms (a PATCH with `state`, a VEX import).
 */
export interface TriageChoice {
  readonly kind: 'ignore' | 'reopen' | 'vex';
  /** Null only to reopen. */
  readonly analysis: VexAnalysis | null;
  /** The reason a reopen may give; otherwise the analysis' detail. */
  readonly reason: string | null;
  readonly expiresAt: Date | null;
}

const ACTION = {
  ignore: 'finding.ignored',
  reopen: 'finding.reopened',
  vex: 'finding.vex_decided',
} as const;

const analysisMetadata = (analysis: VexAnalysis | null) =>
  analysis && {
    state: analysis.state,
    justification: analysis.justification,
    responses: [...analysis.responses],
    detail: analysis.detail,
  };

/**
 * Records one triage decision on a finding and audits it, inside the caller's unit of work (which
 * holds the repository's lock and judges the repository again afterwards). The finding's status
 * follows the analysis: out of the policy's count is `ignored`, else `open`.
 */
export async function recordTriageDecision(
  stores: Pick<Stores, 'findingTriage' | 'audit'>,
  actor: AuditContext,
  finding: TriageableFinding,
  choice: TriageChoice,
  now: Date,
  /** Where the decision came from, when not a person's PATCH (a VEX import's document). */
  source?: Record<string, string | null>,
): Promise<void> {
  const reason = choice.analysis ? choice.analysis.detail : choice.reason;
  await stores.findingTriage.decide(finding.id, {
    status: choice.analysis ? findingStatusOfVexState(choice.analysis.state) : 'open',
    reason,
    analysis: choice.analysis,
    expiresAt: choice.analysis ? choice.expiresAt : null,
    decidedBy: { actorType: actor.actorType, actorId: actor.actorId },
    decidedAt: now,
  });
  stores.audit.record(actor, {
    orgId: finding.orgId,
    action: ACTION[choice.kind],
    targetType: 'finding',
    targetId: finding.id,
    metadata: {
      from: finding.status,
      reason,
      expires_at: choice.analysis ? (choice.expiresAt?.toISOString() ?? null) : null,
      vulnerability_id: finding.vulnerabilityId,
      package: `${finding.ecosystem}/${finding.packageName}@${finding.version}`,
      analysis: analysisMetadata(choice.analysis),
      ...(source ? { source } : {}),
    },
  });
}

/** The expiry timers a triage works with, and where it tells that one could not be reached. */
export interface TriageExpiry {
  readonly timer?: TriageExpiryTimer;
  readonly warn?: (message: string) => void;
}

/**
 * Cancels the timer of a decision a new one superseded: after the commit, best effort (left
 * running, the timer only sleeps until a no-op).
 */
export async function cancelSupersededExpiryTimer(
  expiry: TriageExpiry,
  findingId: string,
  expiresAt: Date,
): Promise<void> {
  if (!expiry.timer) return;
  try {
    await expiry.timer.cancel(findingId, expiresAt);
  } catch (error) {
    expiry.warn?.(
      `superseded expiry timer of finding ${findingId} (${expiresAt.toISOString()}) not cancelled: ${(error as Error).message}`,
    );
  }
}
