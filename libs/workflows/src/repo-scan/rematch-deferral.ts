import {
  DEFAULT_MAX_REMATCH_BACKOFF_MS,
  DEFAULT_MAX_REMATCH_DEFERRALS,
  type RepoScanInput,
} from '@repoguard/contract';

// Deferrals back off and stop (REMATCH_ABANDONED); histories recorded before asked again for ever.
export const REMATCH_DEFERRAL_PATCH = 'rematch-deferral-backoff';

// A re-match a new sync asked for restarts the count; histories recorded before carried the old one.
export const REMATCH_FRESH_SYNC_PATCH = 'rematch-deferral-fresh-sync';

export interface RematchDeferralLimits {
  /** The deferral that reaches this count abandons the re-match. */
  readonly maxDeferrals: number;
  /** The first backoff is twice this (the quiet window)... */
  readonly baseMs: number;
  /** ...and none is longer than this. */
  readonly maxBackoffMs: number;
}

/**
 * The limits from the workflow input. Nothing validates a workflow's input before it runs, and a
 * workflow that threw on it would hold its requests: a value that is no bound falls back to the default.
 */
export function rematchDeferralLimits(input: RepoScanInput, quietWindowMs: number): RematchDeferralLimits {
  const atLeast = (min: number, value: number | undefined, fallback: number) =>
    value !== undefined && Number.isInteger(value) && value >= min ? value : fallback;
  return {
    maxDeferrals: atLeast(1, input.maxRematchDeferrals, DEFAULT_MAX_REMATCH_DEFERRALS),
    baseMs: Math.max(quietWindowMs, 1),
    maxBackoffMs: atLeast(0, input.maxRematchBackoffMs, DEFAULT_MAX_REMATCH_BACKOFF_MS),
  };
}

/** How long a re-match deferred `deferrals` times waits before it is asked again (0: not deferred). */
export function rematchBackoffMs(deferrals: number, limits: RematchDeferralLimits): number {
  if (deferrals <= 0) return 0;
  // Capped before it is raised: 2 ** deferrals outgrows any cap long before it loses precision.
  return Math.min(limits.baseMs * 2 ** Math.min(deferrals, 40), limits.maxBackoffMs);
}

/** The deferral after `deferrals` earlier ones: its number, and whether it abandons the re-match. */
export function nextDeferral(
  deferrals: number,
  limits: RematchDeferralLimits,
): { readonly count: number; readonly abandons: boolean } {
  const count = deferrals + 1;
  return { count, abandons: count >= limits.maxDeferrals };
}
