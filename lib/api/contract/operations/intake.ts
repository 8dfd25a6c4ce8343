/**
 * What channels and warehouses send in: order intake, warehouse events and customer cancel
 * requests (lib/orders/*), with the bodies those services answer as zod schemas. Each of these is
 * idempotent by its own id (the channel's order id in the path, the event's `eventId`, the
 * request's `requestId`), so they take no Idempotency-Key: a refused event or update is not kept
 * and may be sent again once things changed.
 */
import { z } from "zod";
import { CANCEL_REQUEST_STATES } from "@/db/schema";
import { cancelRequestSchema, intakeOrderSchema, warehouseEventSchema } from "@/lib/orders/contracts";
import { EVENT_TYPES } from "@/lib/orders/event-rules";
import { idText } from "@/lib/validation/text";
import { defineOperation } from "../operation";
import {
  cursorQuery,
  envelope,
  limitQuery,
  lineQuantitiesSchema,
  pageOf,
  subOrderStatusSchema,
} from "../schemas";

const isoTime = z.iso.datetime().meta({ description: "ISO 8601, UTC." });

// --- orders as the intake answers them (lib/orders/order-view.ts) ------------------------------

export const orderViewLineSchema = lineQuantitiesSchema.omit({ id: true }).extend({
  channelItemId: z.string().nullable().meta({ description: "The channel's own id of the order item." }),
});

export const orderViewSubOrderSchema = z.object({
  id: z.string(),
  warehouseId: z.string(),
  status: subOrderStatusSchema,
  lines: z.array(orderViewLineSchema),
});

export const orderViewSchema = z.object({
  id: z.string().meta({ description: "Our order id." }),
  channelId: z.string(),
  channelOrderId: z.string(),
  orderNumber: z.string(),
  currency: z.string(),
  customerName: z.string(),
  subOrders: z.array(orderViewSubOrderSchema),
});

const channelOrderParams = z.object({
  channelId: idText().meta({ description: "Our id of the channel, e.g. DROP-ACME." }),
  channelOrderId: idText({ max: 200 }).meta({ description: "The channel's own id of the order." }),
});

export const putChannelOrder = defineOperation({
  operationId: "putChannelOrder",
  method: "put",
  path: "/channels/{channelId}/orders/{channelOrderId}",
  tag: "Intake",
  summary: "Create or update an order",
  description:
    "Order intake: the whole order as the channel has it now, by the channel's own order id, so sending it again changes nothing. Lines and sub-orders left out are removed. An update never takes a line below what is already fulfilled, in processing, cancelled or reserved: such a request is refused whole (409 `QUANTITY_CONFLICT`, naming every line and its numbers) and nothing changes. Channels whose connector calls an API need `channelItemId` on every line. 201 created, 200 updated.",
  scope: "orders:write",
  params: channelOrderParams,
  body: {
    schema: intakeOrderSchema,
    example: {
      orderNumber: "PO-77120",
      currency: "EUR",
      customerName: "Ada Lovelace",
      subOrders: [
        {
          id: "SO-77120-1",
          warehouseId: "WH-BLR-01",
          lines: [
            {
              sku: "TSHIRT-M-RED",
              channelItemId: "66a0c1f2e4b0a1b2c3d4e5f7",
              quantity: 2,
              unitPriceMinor: 1999,
            },
          ],
        },
      ],
    },
  },
  responses: {
    200: {
      description: "Updated (or unchanged): the order as stored now.",
      schema: envelope(orderViewSchema),
    },
    201: { description: "Created: the order as stored.", schema: envelope(orderViewSchema) },
  },
  errors: ["CHANNEL_NOT_FOUND", "WAREHOUSE_NOT_FOUND", "ORDER_CONFLICT", "QUANTITY_CONFLICT"],
});

// --- warehouse events (lib/orders/warehouse-events.ts) ---------------------------------------

const shipmentSchema = z.object({
  reference: z.string(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
});

export const warehouseEventReceiptSchema = z.object({
  eventId: z.string(),
  type: z.enum(EVENT_TYPES),
  exception: z
    .object({
      kind: z.literal("shipped_after_cancellation"),
      lines: z.array(z.object({ sku: z.string(), units: z.number().int() })),
      shipment: shipmentSchema.nullable(),
    })
    .nullable()
    .meta({
      description:
        "Units shipped that we had already cancelled (202): recorded for support, quantities untouched.",
    }),
  fillOrKill: z
    .object({ cancellationIds: z.array(z.string()) })
    .nullable()
    .meta({
      description: "On a fill-or-kill channel: the cancellations of the rest of the partly shipped lines.",
    }),
  subOrder: orderViewSubOrderSchema.nullable().meta({ description: "The sub-order after the event." }),
});

export const receiveWarehouseEvent = defineOperation({
  operationId: "receiveWarehouseEvent",
  method: "post",
  path: "/warehouses/{warehouseId}/events",
  tag: "Intake",
  summary: "Report a warehouse event",
  description:
    "A warehouse's event about one sub-order: `allocated` (picklist released: units move to processing), `released` (back from processing) or `shipped` (units fulfilled, out of processing first, with the shipment reference, carrier and tracking number). Idempotent by `eventId`: the same id and body again answers what the first one got; the same id with another body is 422 `EVENT_ID_REUSED`. An event that would break the quantity rules is refused whole (409 `QUANTITY_CONFLICT` with the numbers) and not kept, so it can be sent again once things changed. 200 applied; 202 accepted as an exception (units shipped after we cancelled them). On a fill-or-kill channel a partial shipment cancels the rest of its lines in the same transaction.",
  scope: "orders:write",
  params: z.object({
    warehouseId: idText().meta({ description: "Our id of the warehouse, e.g. WH-BLR-01." }),
  }),
  body: {
    schema: warehouseEventSchema,
    example: {
      eventId: "asn-55812",
      type: "shipped",
      subOrderId: "SO-77120-1",
      lines: [{ sku: "TSHIRT-M-RED", quantity: 1 }],
      shipment: { reference: "ASN-55812", carrier: "DHL", trackingNumber: "JD0146000033" },
    },
  },
  responses: {
    200: { description: "Applied.", schema: envelope(warehouseEventReceiptSchema) },
    202: {
      description: "Accepted as an exception: units shipped that we had cancelled; quantities untouched.",
      schema: envelope(warehouseEventReceiptSchema),
    },
  },
  errors: [
    "WAREHOUSE_NOT_FOUND",
    "SUB_ORDER_NOT_FOUND",
    "ORDER_CONFLICT",
    "EVENT_ID_REUSED",
    "QUANTITY_CONFLICT",
    "LINE_ITEM_NOT_FOUND",
    "DUPLICATE_ROW",
  ],
});

// --- customer cancel requests (lib/orders/cancel-requests.ts, cancel-request-decisions.ts) ----

const cancelRequestLineSchema = z.object({
  lineItemId: z.number().int(),
  subOrderId: z.string(),
  sku: z.string(),
  channelItemId: z.string().nullable(),
  quantity: z.number().int().nullable().meta({ description: "Null: the whole line." }),
});

export const cancelRequestViewSchema = z.object({
  id: z.string().meta({ description: "Our id of the request." }),
  channelId: z.string(),
  requestId: z.string().meta({ description: "The channel's own id of the request." }),
  orderId: z.string(),
  channelOrderId: z.string(),
  state: z.enum(CANCEL_REQUEST_STATES),
  reasonCode: z.string().meta({ description: "Our reason, mapped from the customer's." }),
  customerReason: z.string().meta({ description: "The customer's reason as the channel sent it." }),
  lines: z.array(cancelRequestLineSchema).nullable().meta({ description: "Null: the whole order." }),
  note: z.string().nullable(),
  createdAt: isoTime,
  decidedAt: isoTime
    .nullable()
    .meta({ description: "When an agent approved or rejected it; null while open or once expired." }),
  decisionNote: z
    .string()
    .nullable()
    .meta({ description: "The agent's note on the decision (always there on a rejection)." }),
});

const channelParams = z.object({
  channelId: idText().meta({ description: "Our id of the channel, e.g. DROP-ACME." }),
});

export const createCancelRequest = defineOperation({
  operationId: "createCancelRequest",
  method: "post",
  path: "/channels/{channelId}/cancel-requests",
  tag: "Intake",
  summary: "Send a customer's cancel request",
  description:
    "A customer's request to cancel, sent by the channel, stored open for an agent to approve or reject. The customer's reason, in the channel's own code, is mapped to ours through the channel's reason mapping (422 `REASON_NOT_MAPPED` naming `reason` when there is none); lines are named by the channel's item id (or SKU), and no lines means the whole order. Idempotent by `requestId`: the same id and body again answers the stored request (200); the same id with another body is 422 `REQUEST_ID_REUSED`.",
  scope: "requests:write",
  params: channelParams,
  body: {
    schema: cancelRequestSchema,
    example: {
      requestId: "cr-9001",
      channelOrderId: "66a0c1f2e4b0a1b2c3d4e5f6",
      reason: "customer_request",
      lines: [{ channelItemId: "66a0c1f2e4b0a1b2c3d4e5f7" }],
    },
  },
  responses: {
    200: { description: "Received before: the stored request.", schema: envelope(cancelRequestViewSchema) },
    201: { description: "Stored, open.", schema: envelope(cancelRequestViewSchema) },
  },
  errors: ["CHANNEL_NOT_FOUND", "ORDER_NOT_FOUND", "REASON_NOT_MAPPED", "REQUEST_ID_REUSED"],
});

export const listCancelRequests = defineOperation({
  operationId: "listCancelRequests",
  method: "get",
  path: "/channels/{channelId}/cancel-requests",
  tag: "Intake",
  summary: "List the channel's cancel requests",
  description:
    "The channel's requests with the decision on each (`decidedAt`, `decisionNote`; never our staff's names): open ones first, oldest first, then decided ones, newest decision first. `nextCursor` pages on.",
  scope: "read",
  params: channelParams,
  query: z.object({
    state: z.enum(CANCEL_REQUEST_STATES).optional().meta({ description: "Only requests in this state." }),
    cursor: cursorQuery,
    limit: limitQuery,
  }),
  responses: {
    200: {
      description: "One page of requests.",
      schema: pageOf(cancelRequestViewSchema.extend({ orderNumber: z.string() })),
    },
  },
  errors: ["CHANNEL_NOT_FOUND"],
});
