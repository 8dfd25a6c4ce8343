/**
 * Orders for integrations: the Orders screen's search (cursor-paged), an order with its lines and
 * history, cancelling an order across its sub-orders, and cancelling one line by the units to take
 * or the units to keep (the dropship API's `newQuantity`, seeds/003).
 */
import { z } from "zod";
import { MAX_QUANTITY } from "@/lib/csv/validate";
import { ORDER_SORTS, ORDERS_PAGE_SIZE } from "@/lib/orders/order-search";
import { idText } from "@/lib/validation/text";
import { defineOperation } from "../operation";
import {
  cancelOutcomeSchema,
  cursorQuery,
  envelope,
  lineQuantitiesSchema,
  pageOf,
  subOrderStatusSchema,
} from "../schemas";

const TAG = "Orders";
const isoTime = z.iso.datetime().meta({ description: "ISO 8601, UTC." });
const orderParams = z.object({ id: idText().meta({ description: "Our order id, e.g. ORD-000001." }) });
const reasonCode = idText().meta({ description: "An active reason code, e.g. OUT_OF_STOCK." });

// --- the search's cursor ------------------------------------------------------------------------

/** The filters a cursor belongs to: a cursor of one search is refused on another. */
export type OrderSearchKey = {
  q?: string;
  channel?: string;
  warehouse?: string;
  status?: string;
  exceptions?: string;
  sort?: string;
};

/** The furthest a cursor may point: the screen's last page (10,000 pages of 50). */
const MAX_OFFSET = 10_000 * ORDERS_PAGE_SIZE;

/** FNV-1a (32 bits) of the search's filters: short, and enough to tell two searches apart. */
function searchFingerprint(search: OrderSearchKey): string {
  const text = JSON.stringify([
    search.q ?? "",
    search.channel ?? "",
    search.warehouse ?? "",
    search.status ?? "",
    search.exceptions === "true" ? "true" : "",
    search.sort ?? "newest",
  ]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/** The opaque `nextCursor` of a page: where the next one starts in this search's order. */
export function encodeOrdersCursor(offset: number, search: OrderSearchKey): string {
  // The JSON is ASCII (a number and a base-36 hash), so btoa takes it; base64url, unpadded.
  return btoa(JSON.stringify({ o: offset, s: searchFingerprint(search) }))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The offset a cursor points at, or null when it is not one this search gave out. */
export function decodeOrdersCursor(cursor: string, search: OrderSearchKey): number | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    if (typeof value !== "object" || value === null) return null;
    const { o, s } = value as { o?: unknown; s?: unknown };
    if (typeof o !== "number" || !Number.isInteger(o) || o < 1 || o > MAX_OFFSET) return null;
    return s === searchFingerprint(search) ? o : null;
  } catch {
    return null;
  }
}

// --- GET /orders ----------------------------------------------------------------------------------

export const BAD_ORDERS_CURSOR = "is not the nextCursor of an earlier page of this search";

export const listOrdersQuery = z
  .object({
    q: idText({ max: 200 }).optional().meta({
      description:
        "A prefix of the order number, the channel's order id, a sub-order id or a SKU, or of the customer's name (case-insensitive).",
    }),
    channel: idText().optional().meta({ description: "Only orders of this channel (its id)." }),
    warehouse: idText()
      .optional()
      .meta({ description: "Only orders with a sub-order in this warehouse (its id)." }),
    status: subOrderStatusSchema
      .optional()
      .meta({ description: "Only orders whose lines, all together, have this derived status." }),
    exceptions: z.enum(["true", "false"]).optional().meta({
      description: "true: only orders with an open exception (units shipped after they were cancelled).",
    }),
    sort: z
      .enum(ORDER_SORTS)
      .optional()
      .meta({ description: "newest (default), oldest or number (order number)." }),
    cursor: cursorQuery,
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(ORDERS_PAGE_SIZE)
      .optional()
      .meta({ description: `Orders per page, 1–${ORDERS_PAGE_SIZE} (default ${ORDERS_PAGE_SIZE}).` }),
  })
  .superRefine((query, context) => {
    if (query.cursor !== undefined && decodeOrdersCursor(query.cursor, query) === null) {
      context.addIssue({ code: "custom", path: ["cursor"], message: BAD_ORDERS_CURSOR });
    }
  });

export const orderListRowSchema = z.object({
  id: z.string(),
  orderNumber: z.string(),
  channelOrderId: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  customerName: z.string(),
  currency: z.string(),
  createdAt: isoTime,
  subOrders: z.number().int(),
  ordered: z.number().int().meta({ description: "Units ordered, all lines together." }),
  cancelled: z.number().int(),
  fulfilled: z.number().int(),
  status: subOrderStatusSchema,
  openExceptions: z.number().int(),
});

export const listOrders = defineOperation({
  operationId: "listOrders",
  method: "get",
  path: "/orders",
  tag: TAG,
  summary: "Search orders",
  description:
    "The Orders screen's search: one search text with channel, warehouse, derived status and exception filters, newest first unless `sort` says otherwise. Paged by `cursor` (the previous page's `nextCursor`, for the same filters). `capped`: the search text matched more than 1,000 orders by one of its keys and only those were read; refine it to see the rest.",
  scope: "read",
  query: listOrdersQuery,
  responses: {
    200: {
      description: "One page of orders.",
      schema: pageOf(orderListRowSchema).extend({
        capped: z.boolean().meta({ description: "The search text matched more than it reads: refine it." }),
      }),
    },
  },
  errors: [],
});

// --- GET /orders/{id} -----------------------------------------------------------------------------

const orderDetailLineSchema = lineQuantitiesSchema.extend({
  channelItemId: z.string().nullable(),
  cancellableNow: z.number().int().meta({
    description:
      "The most one cancellation may take now under the channel's policy (whole lines only: all or 0).",
  }),
});

const historyEntrySchema = z.object({
  at: isoTime,
  kind: z.enum(["placed", "intake", "warehouse_event", "cancellation", "cancel_request", "exception"]),
  title: z.string(),
  detail: z.array(z.string()),
  status: z
    .string()
    .optional()
    .meta({ description: "A cancellation's ledger status, or a cancel request's state." }),
  sync: z
    .string()
    .nullable()
    .optional()
    .meta({ description: "A cancellation's channel notification state." }),
  automatic: z.boolean().optional(),
  units: z.number().int().optional(),
  valueMinor: z.number().int().optional(),
});

export const orderDetailSchema = z.object({
  id: z.string(),
  orderNumber: z.string(),
  channelOrderId: z.string(),
  currency: z.string(),
  customerName: z.string(),
  createdAt: isoTime,
  channel: z.object({
    id: z.string(),
    name: z.string(),
    connector: z.string(),
    partialQuantities: z.boolean(),
    fillOrKill: z.boolean(),
  }),
  status: subOrderStatusSchema,
  subOrders: z.array(
    z.object({
      id: z.string(),
      warehouse: z.object({ id: z.string(), name: z.string(), connector: z.string() }),
      status: subOrderStatusSchema,
      lines: z.array(orderDetailLineSchema),
    }),
  ),
  exceptions: z.array(
    z.object({
      id: z.string(),
      subOrderId: z.string(),
      createdAt: isoTime,
      lines: z.array(z.object({ sku: z.string(), units: z.number().int() })),
      shipment: z
        .object({
          reference: z.string(),
          carrier: z.string().optional(),
          trackingNumber: z.string().optional(),
        })
        .nullable(),
      steps: z.object({
        customerTold: z.boolean().optional(),
        acknowledged: z.boolean().optional(),
        sellerSupportContacted: z.boolean().optional(),
        creditMemo: z.string().optional(),
      }),
      resolvedAt: isoTime.nullable(),
    }),
  ),
  history: z.array(historyEntrySchema).meta({
    description:
      "Everything that happened to the order, oldest first: intake, warehouse events, cancellations, requests, exceptions. Staff who cancelled or decided appear as `user <id>`, API keys by their name.",
  }),
});

export const getOrder = defineOperation({
  operationId: "getOrder",
  method: "get",
  path: "/orders/{id}",
  tag: TAG,
  summary: "Read an order",
  description:
    "An order with its channel, every sub-order and line with ordered / fulfilled / in processing / cancelled / reserved / cancellable units, its open and resolved exceptions, and its history.",
  scope: "read",
  params: orderParams,
  responses: { 200: { description: "The order.", schema: envelope(orderDetailSchema) } },
  errors: ["ORDER_NOT_FOUND"],
});

// --- POST /orders/{id}/cancel ---------------------------------------------------------------------

export const cancelOrderBody = z
  .object({
    reasonCode,
    unfulfilledOnly: z.boolean().default(false).meta({
      description:
        "false: each sub-order is cancelled whole or refused (anything shipped, in processing or being cancelled refuses it). true: what is not fulfilled or in processing is cancelled, on every sub-order.",
    }),
  })
  .strict();

export const subOrderOutcomeSchema = z.object({
  subOrderId: z.string(),
  status: z.enum(["SUCCESS", "WAITING", "ERROR"]).meta({
    description:
      "SUCCESS: cancelled. WAITING: reserved, the warehouse has not answered yet. ERROR: nothing changed.",
  }),
  units: z.number().int(),
  code: z
    .string()
    .optional()
    .meta({ description: "For ERROR: the stable error code (as in problem details)." }),
  message: z.string().optional(),
});

export const cancelOrder = defineOperation({
  operationId: "cancelOrder",
  method: "post",
  path: "/orders/{id}/cancel",
  tag: TAG,
  summary: "Cancel an order",
  description:
    "Cancels every sub-order of the order, each through the same rules and service as a sub-order cancel (its warehouse asked first, the channel told once it accepts). A sub-order that is refused does not stop the others. The answer is 200 with one result per sub-order, whatever they are: SUCCESS, WAITING (reserved; the warehouse has not answered, it is asked again until it does: follow it with `GET /orders/{id}`) or ERROR with the code and message a sub-order cancel would have answered.",
  scope: "cancel",
  params: orderParams,
  body: { schema: cancelOrderBody, example: { reasonCode: "OUT_OF_STOCK", unfulfilledOnly: true } },
  idempotent: true,
  responses: {
    200: {
      description: "One result per sub-order.",
      schema: envelope(
        z.object({
          orderId: z.string(),
          units: z
            .number()
            .int()
            .meta({ description: "Units cancelled or reserved, all sub-orders together." }),
          subOrders: z.array(subOrderOutcomeSchema),
        }),
      ),
    },
  },
  errors: ["ORDER_NOT_FOUND", "REASON_NOT_FOUND"],
});

// --- POST /sub-orders/{id}/lines/{sku}/cancel -----------------------------------------------------

export const cancelLineBody = z
  .object({
    reasonCode,
    quantity: z
      .number()
      .int("must be a whole number")
      .min(1)
      .max(MAX_QUANTITY)
      .optional()
      .meta({ description: "The units to cancel." }),
    newQuantity: z.number().int("must be a whole number").min(0).max(MAX_QUANTITY).optional().meta({
      description:
        "The units the line keeps (the dropship API's newQuantity): cancels what is left of the line (ordered, less cancelled and being cancelled) less this; 0 cancels all of it.",
    }),
  })
  .strict()
  .superRefine((body, context) => {
    if ((body.quantity === undefined) === (body.newQuantity === undefined)) {
      context.addIssue({
        code: "custom",
        path: [body.quantity === undefined ? "quantity" : "newQuantity"],
        message: "send exactly one of quantity (units to cancel) and newQuantity (units to keep)",
      });
    }
  })
  .meta({ oneOf: [{ required: ["quantity"] }, { required: ["newQuantity"] }] });

export const cancelLineItem = defineOperation({
  operationId: "cancelLineItem",
  method: "post",
  path: "/sub-orders/{id}/lines/{sku}/cancel",
  tag: "Sub-orders",
  summary: "Cancel units of one line",
  description:
    "Cancels units of one line of a sub-order: `quantity` to cancel, or `newQuantity` to keep (the dropship API's way). On a channel that cancels whole lines only, anything but the whole rest of the line is refused (409 `WHOLE_LINES_ONLY`) before anything is reserved. The warehouse is asked first; 202: it has not answered yet, the units stay reserved and it is asked again with the same request until it does.",
  scope: "cancel",
  params: z.object({
    id: idText().meta({ description: "The sub-order ID, e.g. SO-000001-1." }),
    sku: idText().meta({ description: "The line's SKU." }),
  }),
  body: { schema: cancelLineBody, example: { reasonCode: "OUT_OF_STOCK", newQuantity: 1 } },
  idempotent: true,
  responses: {
    200: { description: "Cancelled.", schema: envelope(cancelOutcomeSchema) },
    202: {
      description: "Reserved; waiting for the warehouse's answer.",
      schema: envelope(cancelOutcomeSchema),
    },
  },
  errors: [
    "SUB_ORDER_NOT_FOUND",
    "REASON_NOT_FOUND",
    "LINE_ITEM_NOT_FOUND",
    "ALREADY_CANCELLED",
    "QUANTITY_EXCEEDS_CANCELLABLE",
    "INVALID_QUANTITY",
    "WHOLE_LINES_ONLY",
    "CANCELLATION_IN_PROGRESS",
    "DOWNSTREAM_REJECTED",
    "DOWNSTREAM_UNAVAILABLE",
  ],
});
