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
  /**
   * Audit the request in the transaction that records it: how the actor is named in the trail
   * and where the request came from. Batch rows are not audited one by one (their start is).
   */
  audit?: { label: string; sourceIp: string | null };
};

export type CancelOutcome = {
  cancellationId: string;
  subOrderId: string;
  units: number;
  lines: { sku: string; quantity: number }[];
  /**
   * CONFIRMED: cancelled. PENDING: the units are reserved and the warehouse has not answered yet;
   * it is asked again with the same request until it accepts (cancelled) or refuses (released).
   */
  status: "CONFIRMED" | "PENDING";
  /** Why it is still pending, for a person. */
  message?: string;
};
