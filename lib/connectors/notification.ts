import {
  type CommerceId,
  cancelCommerceOrder,
  commerceIdOf,
  parseCommerceOrderId,
} from "./commerce/commerce";
import { cancelOrder, cancelOrderItem } from "./dropship/dropship";
import { manualAnswer, manualGate } from "./manual/manual";
import type {
  ChannelConnectorKind,
  ConnectorAnswer,
  ConnectorConfig,
  WarehouseConnectorKind,
  WarehouseGate,
} from "./types";
import { wmsGate } from "./wms/wms";

/**
 * What our system tells a channel after a cancellation is confirmed, whatever the channel's API,
 * addressed only by the channel's own identifiers. The outbox stores what was cancelled; the
 * dispatcher fills in the channel's ids, the mapped reason and the channel's settings as they are
 * when it delivers (so a dropship item id replaced by an earlier notification is the new one).
 */
export type ChannelNotification = {
  /** The ledger entry id: the same for every retry of this notification. */
  idempotencyKey: string;
  /** The channel's own id of the order (`order._id` for dropship, the integer `order` for commerce). */
  channelOrderId: string;
  /** The order number people read, for messages only. */
  channelOrderNo: string;
  subOrderId: string;
  /** Every remaining unit of the sub-order was cancelled. */
  wholeSubOrder: boolean;
  /**
   * Set to false when the channel order has other sub-orders (other warehouses' shares) that are
   * not cancelled: the channels' order-level cancels act on the whole channel order, so a whole
   * sub-order is then announced item by item instead. Undefined means "the sub-order is the
   * channel order" (an order-level cancel is used whenever `wholeSubOrder`).
   */
  wholeOrder?: boolean;
  /** Only what was not fulfilled was cancelled (the rest shipped). */
  unfulfilledOnly: boolean;
  lines: ChannelNotificationLine[];
  /** Our reason code. */
  reasonCode: string;
  /** The channel's code or text for it (Settings: reason mapping); null when it has none. */
  channelReasonCode: string | null;
  /** Commerce `is_cargo_refund`, from the channel's settings. */
  cargoRefund: boolean;
};

export type ChannelNotificationLine = {
  sku: string;
  /** The channel's current id of the order item; null when the intake never gave one. */
  channelItemId: string | null;
  cancelledQuantity: number;
  /**
   * The item's total quantity after this cancellation: everything not cancelled, shipped units
   * included (the dropship API's `newQuantity`, which it refuses below what it fulfilled).
   */
  newQuantity: number;
  /** Units of the line still to be fulfilled after this cancellation. */
  remainingQuantity: number;
};

/**
 * What earlier tries of one notification already achieved, kept by the outbox between tries:
 * the SKUs whose item cancel the channel accepted (never sent again), and the item ids the
 * channel replaced (old id -> new id), which the dispatcher writes onto the lines.
 */
export type ChannelDeliveryProgress = {
  deliveredSkus?: string[];
  replacedItemIds?: Record<string, string>;
};

/** A connector's answer to one try, with what the try achieved even when it ended in failure. */
export type ChannelDeliveryAnswer = ConnectorAnswer & { progress?: ChannelDeliveryProgress };

export type ChannelNotifier = (
  notification: ChannelNotification,
  progress: ChannelDeliveryProgress,
) => Promise<ChannelDeliveryAnswer>;

const NO_REMOTE: ConnectorConfig = { baseUrl: "", credentials: {}, timeoutMs: 0 };

/** The notifier of a channel's connector. `manual` needs no config. */
export function channelNotifierFor(
  connector: ChannelConnectorKind,
  config: ConnectorConfig = NO_REMOTE,
): ChannelNotifier {
  switch (connector) {
    case "manual":
      return () => manualAnswer();
    case "dropship":
      return (n, progress) => notifyDropship(config, n, progress);
    case "commerce":
      return (n) => notifyCommerce(config, n);
    default:
      return unknownConnector(connector);
  }
}

/** The warehouse gate of a warehouse's connector. `manual` needs no config. */
export function warehouseGateFor(
  connector: WarehouseConnectorKind,
  config: ConnectorConfig = NO_REMOTE,
): WarehouseGate {
  switch (connector) {
    case "manual":
      return manualGate;
    case "wms":
      return wmsGate(config);
    default: {
      const name: string = connector;
      return async () => ({
        kind: "unavailable",
        message: `No connector is configured for warehouse type "${name}"`,
      });
    }
  }
}

function unknownConnector(connector: never): ChannelNotifier {
  const name: string = connector;
  return async () => ({
    kind: "unavailable",
    message: `No connector is configured for channel type "${name}"`,
  });
}

/** An order-level cancel is right only when nothing else of the channel order must survive. */
function orderLevel(n: ChannelNotification): boolean {
  return n.wholeSubOrder && n.wholeOrder !== false;
}

/** The lines this notification cancels units of. */
function cancelledLines(n: ChannelNotification): ChannelNotificationLine[] {
  return n.lines.filter((l) => l.cancelledQuantity > 0);
}

const NOTHING_TO_CANCEL: ConnectorAnswer = {
  kind: "rejected",
  code: "invalid_input",
  message: "Nothing to cancel",
};

export function missingItemIdMessage(skus: string[], channelOrderNo: string): string {
  const which = skus.length === 1 ? `SKU ${skus[0]}` : `SKUs ${skus.join(", ")}`;
  return `${which} of order ${channelOrderNo}: the order intake never gave its channel item id, so the channel cannot be told which item to cancel`;
}

/**
 * A rejection when any of these lines has no channel item id: a SKU is never sent where the
 * channel's API expects its own item id, and nothing is sent at all (no half-told order).
 */
function missingItemIds(n: ChannelNotification, lines: ChannelNotificationLine[]): ConnectorAnswer | null {
  const skus = lines
    .filter((l) => l.channelItemId === null || l.channelItemId.trim() === "")
    .map((l) => l.sku);
  if (skus.length === 0) return null;
  return { kind: "rejected", code: "missing_item_id", message: missingItemIdMessage(skus, n.channelOrderNo) };
}

function missingOrderId(n: ChannelNotification): ConnectorAnswer | null {
  if (n.channelOrderId.trim() !== "") return null;
  return {
    kind: "rejected",
    code: "missing_order_id",
    message: `Order ${n.channelOrderNo}: the order intake never gave its channel order id, so the channel cannot be told`,
  };
}

/**
 * Dropship: a whole sub-order that is the whole channel order is one order cancel
 * (`POST /orders/{channelOrderId}/cancel`, with `unfulfilledOnly` when set); otherwise one item
 * cancel per line (`POST /orders/{channelOrderId}/items/{channelItemId}/cancel`), with
 * `{"newQuantity": line.newQuantity}` when the item keeps units and no body when it keeps none.
 *
 * Lines whose SKU is in `progress.deliveredSkus` were accepted by an earlier try and are not sent
 * again. Calls stop at the first answer that is not accepted; whatever the outcome, the answer's
 * `progress` is cumulative: the earlier SKUs plus those accepted now, and every item id the API
 * replaced so far (old -> new; a partial cancel creates a new item). It is absent only when no
 * try achieved anything (an order-level cancel has no per-item progress). Applying
 * `replacedItemIds` again is harmless for a caller that updates only lines still carrying the old
 * id (lib/outbox/dispatcher.ts does). Each call has its own idempotency key
 * (`<ledger id>:<item id>`), so a server that honours the header knows a retried call.
 */
async function notifyDropship(
  config: ConnectorConfig,
  n: ChannelNotification,
  progress: ChannelDeliveryProgress | undefined,
): Promise<ChannelDeliveryAnswer> {
  const delivered = new Set(progress?.deliveredSkus ?? []);
  const replaced: Record<string, string> = { ...progress?.replacedItemIds };
  const withProgress = (answer: ConnectorAnswer): ChannelDeliveryAnswer => {
    if (delivered.size === 0 && Object.keys(replaced).length === 0) return answer;
    const now: ChannelDeliveryProgress = {};
    if (delivered.size > 0) now.deliveredSkus = [...delivered];
    if (Object.keys(replaced).length > 0) now.replacedItemIds = { ...replaced };
    return { ...answer, progress: now };
  };
  const noOrderId = missingOrderId(n);
  if (noOrderId !== null) return withProgress(noOrderId);
  if (orderLevel(n) && delivered.size === 0) {
    const answer = await cancelOrder(config, {
      orderId: n.channelOrderId,
      unfulfilledOnly: n.unfulfilledOnly,
      idempotencyKey: n.idempotencyKey,
    });
    return withProgress(answer);
  }
  const lines = cancelledLines(n);
  if (lines.length === 0) return withProgress(NOTHING_TO_CANCEL);
  const pending = lines.filter((l) => !delivered.has(l.sku));
  const missing = missingItemIds(n, pending);
  if (missing !== null) return withProgress(missing);
  for (const line of pending) {
    const itemId = line.channelItemId ?? "";
    const answer = await cancelOrderItem(config, {
      orderId: n.channelOrderId,
      itemId,
      newQuantity: line.newQuantity > 0 ? line.newQuantity : undefined,
      idempotencyKey: `${n.idempotencyKey}:${itemId}`,
    });
    if (answer.kind !== "accepted") {
      const prefix = lines.length > 1 ? `SKU ${line.sku} (item ${itemId}): ` : "";
      return withProgress({ ...answer, message: `${prefix}${answer.message}` });
    }
    delivered.add(line.sku);
    if (answer.newItemId !== undefined) replaced[itemId] = answer.newItemId;
  }
  return withProgress({ kind: "accepted" });
}

export const COMMERCE_PARTIAL_UNITS_MESSAGE =
  "The commerce platform cancels whole order items only; cancel the remaining units of this item on the platform";

/**
 * Commerce: `order` is the integer in `channelOrderId`; a whole sub-order that is the whole
 * channel order is `is_all: true` with `cancel_items: []`, otherwise the lines' channel item ids
 * in `cancel_items` (integers when numeric). `reasons` maps each of those item ids to the channel's
 * reason code (`channelReasonCode`, else ours); `is_cargo_refund` is the channel's setting;
 * `forced_refund_amount` is null. One call, all or nothing: there is no progress to keep.
 *
 * The contract has no quantity: an order item is cancelled whole, so a line that keeps units still
 * to be fulfilled (`remainingQuantity > 0`) cannot be expressed and is refused rather than
 * over-cancelled. Channels without partial quantities refuse those before anything is reserved,
 * so this is only a safety net. `unfulfilledOnly` has no counterpart (the platform does not cancel
 * shipped items anyway).
 */
async function notifyCommerce(
  config: ConnectorConfig,
  n: ChannelNotification,
): Promise<ChannelDeliveryAnswer> {
  const orderId = parseCommerceOrderId(n.channelOrderId);
  if (orderId === null) {
    return {
      kind: "rejected",
      code: "invalid_input",
      message: `Order ${n.channelOrderNo}: its channel order id "${n.channelOrderId}" is not the platform's integer order id`,
    };
  }
  const lines = cancelledLines(n);
  if (lines.length === 0) return NOTHING_TO_CANCEL;
  const missing = missingItemIds(n, lines);
  if (missing !== null) return missing;
  const all = orderLevel(n);
  if (!all) {
    const partial = lines.find((l) => l.remainingQuantity > 0);
    if (partial !== undefined) {
      return {
        kind: "rejected",
        code: "partial_item",
        message: `${COMMERCE_PARTIAL_UNITS_MESSAGE} (SKU ${partial.sku}, item ${partial.channelItemId}: ${partial.cancelledQuantity} cancelled, ${partial.remainingQuantity} kept)`,
      };
    }
  }
  const items: CommerceId[] = lines.map((l) => commerceIdOf(l.channelItemId ?? ""));
  const reason = commerceIdOf(n.channelReasonCode ?? n.reasonCode);
  const reasons: Record<string, CommerceId> = {};
  for (const item of items) reasons[String(item)] = reason;
  return cancelCommerceOrder(config, {
    orderId,
    all,
    items,
    reasons,
    cargoRefund: n.cargoRefund,
    idempotencyKey: n.idempotencyKey,
  });
}
