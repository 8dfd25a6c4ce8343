/**
 * Response shapes shared by several operations, as zod schemas: the OpenAPI document shows them
 * and the contract tests check every answer against them.
 */
import { z } from "zod";
import { SUB_ORDER_STATUSES } from "@/lib/cancellation/status";

/** `{ ok: true, data }`: every successful JSON answer. */
export const envelope = <T extends z.ZodType>(data: T) => z.object({ ok: z.literal(true), data });

/** A cursor-paged list: `nextCursor` continues it, null at the end. */
export const pageOf = <T extends z.ZodType>(row: T) =>
  z.object({ ok: z.literal(true), data: z.array(row), nextCursor: z.string().nullable() });

export const cursorQuery = z
  .string()
  .max(500)
  .optional()
  .meta({ description: "The previous page's `nextCursor`." });

export const limitQuery = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .optional()
  .meta({ description: "Rows per page, 1–200 (default 50)." });

export const subOrderStatusSchema = z
  .enum(SUB_ORDER_STATUSES)
  .meta({ description: "Derived from the lines' quantities." });

export const lineQuantitiesSchema = z.object({
  id: z.number().int(),
  sku: z.string(),
  unitPriceMinor: z.number().int().meta({ description: "In the order's currency, minor units." }),
  ordered: z.number().int(),
  fulfilled: z.number().int(),
  processing: z.number().int(),
  cancelled: z.number().int(),
  pendingCancel: z
    .number()
    .int()
    .meta({ description: "Reserved by a cancellation the warehouse has not answered yet." }),
  cancellable: z.number().int(),
});

export const subOrderDetailSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  channelOrderNo: z.string(),
  currency: z
    .string()
    .meta({ description: "The order's currency (ISO 4217); the prices are in its minor units." }),
  customerName: z.string(),
  channel: z.object({
    id: z.string(),
    name: z.string(),
    connector: z.string(),
    partialQuantities: z.boolean(),
  }),
  warehouse: z.object({ id: z.string(), name: z.string(), connector: z.string() }),
  status: subOrderStatusSchema,
  lines: z.array(lineQuantitiesSchema),
});

/** A cancellation's outcome: CONFIRMED (200) or PENDING, reserved and waiting for the warehouse (202). */
export const cancelOutcomeSchema = z.object({
  cancellationId: z.string(),
  subOrderId: z.string(),
  units: z.number().int(),
  lines: z.array(z.object({ sku: z.string(), quantity: z.number().int() })),
  status: z.enum(["CONFIRMED", "PENDING"]),
  message: z.string().optional(),
});
