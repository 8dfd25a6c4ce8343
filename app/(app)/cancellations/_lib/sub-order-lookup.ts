import "server-only";

import type { CancelAssessment, LookupResult, SubOrderMode } from "@/components/cancellations/types";
import type { Db } from "@/db/client";
import { getSubOrderDetail } from "@/db/queries/sub-orders";
import { planSubOrderCancel, planValueMinor, SUB_ORDER_MODES } from "@/lib/cancellation/rules";
import { SUB_ORDER_STATUS_LABELS } from "@/lib/cancellation/status";

/**
 * A sub-order as the single-cancel panel shows it, with what a cancel in each mode would do now:
 * planned by the same rules the service applies, so the panel never promises what the service refuses.
 */
export async function loadSubOrderLookup(db: Db, subOrderId: string): Promise<LookupResult | null> {
  const detail = await getSubOrderDetail(db, subOrderId);
  if (!detail) return null;
  const assess = (mode: SubOrderMode): CancelAssessment => {
    const plan = planSubOrderCancel(detail.id, detail.lines, mode, {
      channelName: detail.channel.name,
      partialQuantities: detail.channel.partialQuantities,
    });
    if (!plan.ok) return { ok: false, code: plan.error.code, message: plan.error.message };
    return { ok: true, units: plan.value.units, valueMinor: planValueMinor(plan.value, detail.lines) };
  };
  return {
    subOrder: {
      id: detail.id,
      orderId: detail.orderId,
      channelOrderNo: detail.channelOrderNo,
      currency: detail.currency,
      customerName: detail.customerName,
      channel: { id: detail.channel.id, name: detail.channel.name },
      warehouse: { id: detail.warehouse.id, name: detail.warehouse.name },
      status: detail.status,
      statusLabel: SUB_ORDER_STATUS_LABELS[detail.status],
      lines: detail.lines,
    },
    assessment: Object.fromEntries(SUB_ORDER_MODES.map((m) => [m, assess(m)])) as Record<
      SubOrderMode,
      CancelAssessment
    >,
  };
}
