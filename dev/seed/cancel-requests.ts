/**
 * Customer cancel requests for the demo's Cancel requests screen: open ones on orders whose
 * sub-orders are all open, taken from the end of the order list (so the e2e pools, which take from
 * their own slices, can leave those orders alone), one per channel asking for the whole order and
 * one asking for one line. Pure and deterministic, like the rest of the seed.
 */

import type { SeedData } from "./generator";
import { SEED_CHANNEL_REASON_CODES } from "./reference-data";

const HOUR = 3_600_000;
const REASON = "CUSTOMER_CHANGED_MIND";

export type SeedCancelRequest = {
  channelId: string;
  channelRequestId: string;
  orderId: string;
  reasonCode: string;
  customerReason: string;
  /** Null: the whole order. */
  line: { subOrderId: string; sku: string; channelItemId: string } | null;
  createdAt: Date;
};

export function demoCancelRequests(data: SeedData): SeedCancelRequest[] {
  const subOrdersOf = new Map<string, SeedData["subOrders"]>();
  for (const s of data.subOrders) subOrdersOf.set(s.orderId, [...(subOrdersOf.get(s.orderId) ?? []), s]);
  const perChannel = new Map<string, number>();
  const requests: SeedCancelRequest[] = [];
  for (const order of [...data.orders].reverse()) {
    const subOrders = subOrdersOf.get(order.id as string) ?? [];
    if (subOrders.length === 0 || subOrders.some((s) => s.status !== "open")) continue;
    const channelId = order.channelId as string;
    const n = perChannel.get(channelId) ?? 0;
    if (n >= 2) continue;
    perChannel.set(channelId, n + 1);
    const first = data.lineItems.find((l) => l.subOrderId === subOrders[0]?.id);
    requests.push({
      channelId,
      channelRequestId: `CR-${(order.channelOrderNo as string).replace(/^\D+/, "")}`,
      orderId: order.id as string,
      reasonCode: REASON,
      customerReason: SEED_CHANNEL_REASON_CODES[channelId]?.[REASON] ?? REASON,
      line:
        n === 1 && first
          ? { subOrderId: first.subOrderId, sku: first.sku, channelItemId: first.channelItemId }
          : null,
      createdAt: new Date(order.createdAt.getTime() + HOUR),
    });
  }
  return requests.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
