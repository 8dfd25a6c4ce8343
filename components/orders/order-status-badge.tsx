import { Badge } from "@/components/ui/badge";
import { SUB_ORDER_STATUS_LABELS, type SubOrderStatus } from "@/lib/cancellation/status";

const VARIANT = {
  open: "outline",
  partially_cancelled: "warning",
  cancelled: "destructive",
  in_processing: "secondary",
  partially_shipped: "secondary",
  shipped: "success",
} as const satisfies Record<SubOrderStatus, "outline" | "warning" | "destructive" | "secondary" | "success">;

/** An order's or sub-order's derived status: the word carries the meaning, the colour repeats it. */
export function OrderStatusBadge({ status }: { status: SubOrderStatus }) {
  return (
    <Badge variant={VARIANT[status]} data-status={status}>
      {SUB_ORDER_STATUS_LABELS[status]}
    </Badge>
  );
}
