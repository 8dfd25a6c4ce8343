import type { LineQuantities } from "./quantities";

export const SUB_ORDER_STATUSES = [
  "open",
  "partially_cancelled",
  "cancelled",
  "in_processing",
  "partially_shipped",
  "shipped",
] as const;
export type SubOrderStatus = (typeof SUB_ORDER_STATUSES)[number];

export const SUB_ORDER_STATUS_LABELS: Record<SubOrderStatus, string> = {
  open: "Open",
  partially_cancelled: "Partially cancelled",
  cancelled: "Cancelled",
  in_processing: "In processing",
  partially_shipped: "Partially shipped",
  shipped: "Shipped",
};

/**
 * A sub-order's status, derived from its lines: the lines are the only truth. Only confirmed
 * cancellations count as cancelled: a reservation in flight (`pendingCancel`) may still be
 * refused downstream, so until it is confirmed its units keep the status they had.
 */
export function deriveSubOrderStatus(lines: LineQuantities[]): SubOrderStatus {
  const sum = (pick: (l: LineQuantities) => number) => lines.reduce((total, l) => total + pick(l), 0);
  const ordered = sum((l) => l.ordered);
  const cancelled = sum((l) => l.cancelled);
  const fulfilled = sum((l) => l.fulfilled);
  if (ordered > 0 && cancelled === ordered) return "cancelled";
  if (fulfilled > 0) return fulfilled === ordered - cancelled ? "shipped" : "partially_shipped";
  if (sum((l) => l.processing) > 0) return "in_processing";
  if (cancelled > 0) return "partially_cancelled";
  return "open";
}
