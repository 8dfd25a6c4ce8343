import { type CommerceId, cancelCommerceOrder, commerceIdOf, commerceOrderIdOf } from "./commerce/commerce";
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
      return (n) => notifyDropship(config, n);
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

function itemIdOf(line: ChannelNotificationLine): string {
  return line.channelItemId !== undefined && line.channelItemId !== "" ? line.channelItemId : line.sku;
}

/**
 * Dropship: a whole sub-order is one order cancel (with `unfulfilledOnly` when set; see
 * `wholeOrder` for sub-orders that are not the whole channel order); otherwise one
 * item cancel per line, partial (`newQuantity` = units still to fulfil) when units remain. Calls
 * stop at the first answer that is not accepted; each call carries its own idempotency key
 * (`<ledger id>:<item id>`), so a retry after a partial failure is recognisable by a server that
 * honours the header. New item ids of partial cancels come back in `details.newItemIds`
 * (item id -> new item id) and, for a single line, `details.newItemId`.
 */
async function notifyDropship(config: ConnectorConfig, n: ChannelNotification): Promise<ConnectorAnswer> {
  if (orderLevel(n)) {
    return cancelOrder(config, {
      orderId: n.channelOrderNo,
      unfulfilledOnly: n.unfulfilledOnly,
      idempotencyKey: n.idempotencyKey,
    });
  }
  const lines = n.lines.filter((l) => l.cancelledQuantity > 0);
  if (lines.length === 0) return { kind: "rejected", code: "invalid_input", message: "Nothing to cancel" };
  const newItemIds: Record<string, string | null> = {};
  for (const line of lines) {
    const itemId = itemIdOf(line);
    const answer = await cancelOrderItem(config, {
      orderId: n.channelOrderNo,
      itemId,
      newQuantity: line.remainingQuantity > 0 ? line.remainingQuantity : undefined,
      idempotencyKey: `${n.idempotencyKey}:${itemId}`,
    });
    if (answer.kind !== "accepted") {
      const prefix = lines.length > 1 ? `Item ${itemId}: ` : "";
      return { ...answer, message: `${prefix}${answer.message}` };
    }
    if (answer.details !== undefined && "newItemId" in answer.details) {
      newItemIds[itemId] = (answer.details.newItemId as string | null) ?? null;
    }
  }
  const found = Object.entries(newItemIds);
  if (found.length === 0) return { kind: "accepted" };
  const details: Record<string, unknown> = { newItemIds };
  if (found.length === 1 && found[0] !== undefined) details.newItemId = found[0][1];
  return { kind: "accepted", details };
}

export const COMMERCE_PARTIAL_UNITS_MESSAGE =
  "The commerce platform cancels whole order items only; cancel the remaining units of this item on the platform";

/**
 * Commerce: a whole sub-order is `is_all: true` with `cancel_items: []` (unless `wholeOrder` is
 * false); otherwise the lines'
 * order item ids in `cancel_items`. `reasons` maps every line's item id to the reason code.
 * The contract has no quantity: an order item is cancelled whole, so a line that keeps some
 * units (`remainingQuantity > 0`) cannot be expressed and is refused rather than over-cancelled.
 * `unfulfilledOnly` has no counterpart (the platform does not cancel shipped items anyway).
 */
async function notifyCommerce(config: ConnectorConfig, n: ChannelNotification): Promise<ConnectorAnswer> {
  const orderId = commerceOrderIdOf(n.channelOrderNo);
  if (orderId === null) {
    return {
      kind: "rejected",
      code: "invalid_input",
      message: `Channel order number ${n.channelOrderNo} does not contain the platform's integer order id`,
    };
  }
  const all = orderLevel(n);
  const lines = n.lines.filter((l) => l.cancelledQuantity > 0);
  if (!all) {
    const partial = lines.find((l) => l.remainingQuantity > 0);
    if (partial !== undefined) {
      return {
        kind: "rejected",
        code: "partial_item",
        message: `${COMMERCE_PARTIAL_UNITS_MESSAGE} (${itemIdOf(partial)}: ${partial.cancelledQuantity} cancelled, ${partial.remainingQuantity} kept)`,
      };
    }
  }
  const items: CommerceId[] = lines.map((l) => commerceIdOf(itemIdOf(l)));
  const reason = commerceIdOf(n.reasonCode);
  const reasons: Record<string, CommerceId> = {};
  for (const item of items) reasons[String(item)] = reason;
  return cancelCommerceOrder(config, {
    orderId,
    all,
    items,
    reasons,
    idempotencyKey: n.idempotencyKey,
  });
}
