import type { ACTOR_TYPES, CANCELLATION_SOURCES } from "@/db/schema";

export type Actor = { type: (typeof ACTOR_TYPES)[number]; id: string };
export type CancellationSource = (typeof CANCELLATION_SOURCES)[number];

/** Who cancels, why, and through which door. Every cancellation carries all of it. */
export type CancelContext = {
  actor: Actor;
  source: CancellationSource;
  reasonCode: string;
  batchId?: string;
  /** An API client's Idempotency-Key: a repeated request gets the first one's result. */
  requestKey?: string;
};

export type CancelOutcome = {
  cancellationId: string;
  subOrderId: string;
  units: number;
  lines: { sku: string; quantity: number }[];
};
