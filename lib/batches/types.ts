import type { BATCH_KINDS, BATCH_MODES } from "@/db/schema";
import type { Actor } from "@/lib/cancellation/service/types";
import type { WorkItem } from "@/lib/csv/validate";

export type BatchKind = (typeof BATCH_KINDS)[number];
export type BatchMode = (typeof BATCH_MODES)[number];

/**
 * A unit of work as the CSV checks produced it: one sub-order and the rows that ask for it, and the
 * Reason Code its rows name, if any (the batch's reason applies to the others, and follows a change).
 */
export type BatchItemInput = WorkItem & { fileReasonCode?: string };

export type BatchCreator = Actor & { name: string };
