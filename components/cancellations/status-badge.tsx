import {
  CheckCircle2,
  CircleAlert,
  CircleDashed,
  Clock,
  Hourglass,
  Loader2,
  TriangleAlert,
} from "lucide-react";

import { Badge } from "@/components/ui/badge";

import { ROW_STATUS_LABELS, type RowStatus } from "./bulk-rows";

const VARIANT = {
  CHECKING: "outline",
  READY: "secondary",
  WILL_FAIL: "warning",
  PENDING: "outline",
  WAITING: "warning",
  SUCCESS: "success",
  ERROR: "destructive",
} as const satisfies Record<RowStatus, "outline" | "secondary" | "warning" | "success" | "destructive">;

const ICON = {
  CHECKING: Loader2,
  READY: CircleDashed,
  WILL_FAIL: TriangleAlert,
  PENDING: Clock,
  WAITING: Hourglass,
  SUCCESS: CheckCircle2,
  ERROR: CircleAlert,
} as const;

/** A row's status as a badge: the word carries the meaning, the colour and icon only repeat it. */
export function StatusBadge({ status }: { status: RowStatus }) {
  const Icon = ICON[status];
  return (
    <Badge variant={VARIANT[status]} data-status={status} className="font-mono tracking-tight">
      <Icon aria-hidden="true" className={status === "CHECKING" ? "motion-safe:animate-spin" : undefined} />
      {ROW_STATUS_LABELS[status]}
    </Badge>
  );
}
