/** What a delivery did, recorded with it. */
export interface DeliveryOutcome {
  readonly action: string | null;
  readonly githubRepoId: string | null;
  readonly ref: string | null;
  readonly headCommit: string | null;
  readonly handled: boolean;
  readonly outcome: string;
  readonly statusCode: number;
  readonly error: string | null;
  readonly scans: readonly DeliveryScan[];
}

export interface DeliveryScan {
  readonly repo_id: string;
  readonly org_id: string;
  readonly workflow_id: string;
  /** The scan request the delivery committed (scan_request_outbox), relayed to Temporal after. */
  readonly request_id?: string;
}

/** GitHub deliveries, once per delivery id. */
export interface WebhookDeliveryLog {
  /** Records the delivery as received; false when its id was recorded before (a redelivery). */
  claim(deliveryId: string, event: string): Promise<boolean>;
  settle(deliveryId: string, outcome: DeliveryOutcome): Promise<void>;
}
