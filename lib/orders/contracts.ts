/**
 * What integrations send to put orders, warehouse events and customer cancel requests into the
 * panel: zod schemas, their types inferred. The route handlers parse with these; every message
 * names the field (`subOrders.0.lines.1.quantity: ...`).
 */
import { z } from "zod";
import { MAX_QUANTITY } from "@/lib/csv/validate";
import { freeText, idText } from "@/lib/validation/text";
import { EVENT_TYPES } from "./event-rules";

const quantity = z.number().int("must be a whole number").min(0).max(MAX_QUANTITY);
const positiveQuantity = z.number().int("must be a whole number").min(1).max(MAX_QUANTITY);

/** Each SKU once per list, each sub-order id once per order. */
function uniqueBy<T>(key: (item: T) => string, what: string) {
  return (items: T[], context: z.RefinementCtx) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const value = key(item);
      const first = seen.get(value);
      if (first === undefined) seen.set(value, index);
      else
        context.addIssue({
          code: "custom",
          path: [index],
          message: `${what} ${value} appears more than once (also at ${first})`,
        });
    });
  };
}

export const intakeLineSchema = z
  .object({
    sku: idText(),
    /** The channel's own id of the order item (required on channels whose API addresses items). */
    channelItemId: idText({ max: 200 }).optional(),
    quantity,
    unitPriceMinor: z.number().int("must be a whole number of minor units").min(0).max(2_147_483_647),
  })
  .strict();

export const intakeSubOrderSchema = z
  .object({
    id: idText(),
    warehouseId: idText(),
    lines: z
      .array(intakeLineSchema)
      .min(1)
      .max(500)
      .superRefine(uniqueBy((l) => l.sku, "SKU")),
  })
  .strict();

/** PUT /api/v1/channels/{channelId}/orders/{channelOrderId}: the whole order as the channel has it now. */
export const intakeOrderSchema = z
  .object({
    /** The number people read and search for. */
    orderNumber: idText(),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as INR, EUR or USD"),
    customerName: freeText({ max: 200, required: "is required" }),
    subOrders: z
      .array(intakeSubOrderSchema)
      .min(1)
      .max(100)
      .superRefine(uniqueBy((s) => s.id, "Sub-order")),
  })
  .strict();
export type IntakeOrder = z.infer<typeof intakeOrderSchema>;

/** POST /api/v1/warehouses/{warehouseId}/events: one event about one sub-order. */
export const warehouseEventSchema = z
  .object({
    /** The sender's own id of the event: the same id again is the same event. */
    eventId: idText({ max: 200 }),
    type: z.enum(EVENT_TYPES),
    subOrderId: idText(),
    lines: z
      .array(z.object({ sku: idText(), quantity: positiveQuantity }).strict())
      .min(1)
      .max(500)
      .superRefine(uniqueBy((l) => l.sku, "SKU")),
    /** For `shipped`: the shipment reference (ASN), carrier and tracking number. */
    shipment: z
      .object({
        reference: idText({ max: 200 }),
        carrier: idText({ max: 100 }).optional(),
        trackingNumber: idText({ max: 200 }).optional(),
      })
      .strict()
      .optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((e) => e.type !== "shipped" || e.shipment !== undefined, {
    path: ["shipment"],
    message: "is required for a shipped event (at least its reference)",
  });
export type WarehouseEventInput = z.infer<typeof warehouseEventSchema>;

/** POST /api/v1/channels/{channelId}/cancel-requests: a customer asks to cancel. */
export const cancelRequestSchema = z
  .object({
    /** The channel's own id of the request: the same id again is the same request. */
    requestId: idText({ max: 200 }),
    channelOrderId: idText({ max: 200 }),
    /** The customer's reason, in the channel's own code or words (mapped to ours). */
    reason: idText({ max: 200 }),
    /** Some lines only; absent: the whole order. Lines by the channel's item id or by SKU. */
    lines: z
      .array(
        z
          .object({
            channelItemId: idText({ max: 200 }).optional(),
            sku: idText().optional(),
            quantity: positiveQuantity.optional(),
          })
          .strict()
          .refine((l) => l.channelItemId !== undefined || l.sku !== undefined, {
            message: "needs channelItemId or sku",
          }),
      )
      .min(1)
      .max(500)
      .optional(),
    note: freeText({ max: 2000 }).optional(),
  })
  .strict();
export type CancelRequestInput = z.infer<typeof cancelRequestSchema>;
