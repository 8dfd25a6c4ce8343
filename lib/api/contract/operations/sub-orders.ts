import { z } from "zod";
import { SUB_ORDER_MODES } from "@/lib/cancellation/rules";
import { MAX_QUANTITY } from "@/lib/csv/validate";
import { idText } from "@/lib/validation/text";
import { defineOperation } from "../operation";
import { cancelOutcomeSchema, envelope, subOrderDetailSchema } from "../schemas";

const TAG = "Sub-orders";
const params = z.object({ id: idText().meta({ description: "The sub-order ID, e.g. SO-000001-1." }) });

export const getMe = defineOperation({
  operationId: "getMe",
  method: "get",
  path: "/me",
  tag: "API keys",
  summary: "Which key is this",
  description: "The calling API key: its name, prefix, scopes and when it was last used.",
  scope: "read",
  responses: {
    200: {
      description: "The key.",
      schema: envelope(
        z.object({
          id: z.string(),
          name: z.string(),
          prefix: z.string(),
          scopes: z.array(z.string()),
          lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
        }),
      ),
    },
  },
  errors: [],
});

export const getSubOrder = defineOperation({
  operationId: "getSubOrder",
  method: "get",
  path: "/sub-orders/{id}",
  tag: TAG,
  summary: "Read a sub-order",
  description:
    "A sub-order with its lines, their quantities, what can still be cancelled, and its derived status.",
  scope: "read",
  params,
  responses: { 200: { description: "The sub-order.", schema: envelope(subOrderDetailSchema) } },
  errors: ["SUB_ORDER_NOT_FOUND"],
});

export const cancelSubOrderBody = z
  .object({
    reasonCode: idText().meta({ description: "An active reason code, e.g. OUT_OF_STOCK." }),
    mode: z.enum(SUB_ORDER_MODES).default("strict").meta({
      description:
        "strict: refused if anything shipped or is in processing; unfulfilled_only: cancel what is left. Ignored with `lines`.",
    }),
    lines: z
      .array(z.object({ sku: idText(), quantity: z.number().int().min(1).max(MAX_QUANTITY) }))
      .min(1)
      .max(500)
      .optional()
      .meta({ description: "Cancel these quantities only, as one unit of work." }),
  })
  .strict();

export const cancelSubOrder = defineOperation({
  operationId: "cancelSubOrder",
  method: "post",
  path: "/sub-orders/{id}/cancel",
  tag: TAG,
  summary: "Cancel a sub-order or some of its lines",
  description:
    "Cancels the whole sub-order (strict or unfulfilled only), or quantities of some of its lines as one unit of work. The warehouse is asked first; the channel is told once it accepts. 202: the warehouse has not answered yet; the units stay reserved and it is asked again with the same request until it does.",
  scope: "cancel",
  params,
  body: { schema: cancelSubOrderBody, example: { reasonCode: "OUT_OF_STOCK", mode: "strict" } },
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
    "ALREADY_CANCELLED",
    "PARTIALLY_FULFILLED",
    "IN_PROCESSING",
    "CANCELLATION_IN_PROGRESS",
    "NOTHING_CANCELLABLE",
    "QUANTITY_EXCEEDS_CANCELLABLE",
    "LINE_ITEM_NOT_FOUND",
    "DUPLICATE_ROW",
    "INVALID_QUANTITY",
    "WHOLE_LINES_ONLY",
    "DOWNSTREAM_REJECTED",
    "DOWNSTREAM_UNAVAILABLE",
  ],
});
