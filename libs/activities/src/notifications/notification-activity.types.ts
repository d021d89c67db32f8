export interface CollectDigestInput {
  readonly ruleId: string;
  /** ISO 8601, taken once by the run: a retried attempt collects the same period. */
  readonly periodEnd: string;
}

export type CollectDigestResult =
  /** One delivery row holds the events selected since the watermark. */
  | {
      readonly outcome: 'delivery';
      readonly deliveryId: string;
      readonly events: number;
      readonly periodFrom: string;
    }
  /** Nothing new: no delivery, and the watermark moved to the period's end. */
  | { readonly outcome: 'nothing' }
  /** The rule is gone, disabled or no longer a digest (its Schedule is removed by the reconciler). */
  | { readonly outcome: 'skipped'; readonly reason: string };

export interface FinishDigestInput {
  readonly ruleId: string;
  readonly deliveryId: string;
  readonly periodEnd: string;
}

export interface FinishDigestResult {
  /** The delivery row says delivered. */
  readonly delivered: boolean;
  /** True: the watermark moved to the period's end. False: it stays, and the next digest sends these again. */
  readonly advanced?: boolean;
  readonly status: string | null;
}

export interface RequestRescanPageInput {
  readonly orgId: string;
  /** The rescan run (`<workflow id>@<first run id>`): with the repository, it names each request. */
  readonly runKey: string;
  readonly afterRepoId: string | null;
  readonly limit: number;
}

export interface RequestRescanPageResult {
  readonly requested: number;
  /** Where the next page starts; null when this one was the last. */
  readonly nextAfter: string | null;
}
