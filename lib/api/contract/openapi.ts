/**
 * The OpenAPI 3.1 document, generated from the operations' own zod schemas (zod 4's JSON Schema
 * output): no hand-written copy to drift. Served at /api/v1/openapi.json; the typed client
 * (lib/api/client) is generated from it.
 */
import { z } from "zod";
import { API_SCOPES } from "@/lib/auth/permissions";
import { ERRORS, type ErrorCode, type ErrorParams, errorMessage } from "@/lib/cancellation/errors";
import { problemOf, problemSchema, problemTitle } from "../problem";
import { errorsOf, type Operation } from "./operation";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodObject | undefined, where: "path" | "query") {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const described = jsonSchema(type, "input");
    const { description, ...rest } = described;
    return {
      name,
      in: where,
      required: where === "path" || !type.safeParse(undefined).success,
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * Facts for each code's example problem, so the reference shows the sentence a client really gets.
 * A code without an entry gets a generic sentence.
 */
const EXAMPLE_FACTS: { [C in ErrorCode]?: ErrorParams<C> } = {
  INVALID_INPUT: { problem: "reasonCode: Invalid input: expected string, received undefined" },
  INVALID_FILE: { problem: "Row 1: no Sub Order ID column" },
  SUB_ORDER_NOT_FOUND: { subOrderId: "SO-000123-1" },
  LINE_ITEM_NOT_FOUND: { sku: "TSHIRT-M-RED", subOrderId: "SO-000123-1" },
  REASON_NOT_FOUND: { reasonCode: "OUT_OF_STOK" },
  ALREADY_CANCELLED: { subOrderId: "SO-000123-1" },
  CANCELLATION_IN_PROGRESS: { waitingSubOrderId: "SO-000123-1" },
  IN_PROCESSING: { blockers: "SKU TSHIRT-M-RED: 2 units in processing (picklist released)" },
  PARTIALLY_FULFILLED: { blockers: "SKU TSHIRT-M-RED: 1 unit fulfilled (shipped)" },
  NOTHING_CANCELLABLE: { emptySubOrderId: "SO-000123-1" },
  QUANTITY_EXCEEDS_CANCELLABLE: {
    sku: "TSHIRT-M-RED",
    breakdown: "requested 3, cancellable 2: 1 fulfilled, 0 in processing, 0 already cancelled",
  },
  INVALID_QUANTITY: { problem: "lines.0.quantity: Too small: expected number to be >=1" },
  DUPLICATE_ROW: { sku: "TSHIRT-M-RED", subOrderId: "SO-000123-1" },
  DUPLICATE_FILE: { fileName: "cancel.csv", startedAt: "2025-01-31 09:30 UTC", batchId: "b_01J0000000" },
  BATCH_NOT_FOUND: { batchId: "b_01J0000000" },
  DOWNSTREAM_REJECTED: { said: "Order already dispatched" },
  DOWNSTREAM_UNAVAILABLE: { reason: "timed out after 10 s" },
  UNAUTHENTICATED: { how: "no-key" },
  FORBIDDEN: { scope: "cancel" },
  RATE_LIMITED: { what: "api-key", limit: 120, retryAfterSeconds: 17 },
  INTERNAL_ERROR: { what: "handling the request", reference: "0f4c2a9e-5b1d-4c3e-9a7f-2d8e6b1c0a34" },
  IDEMPOTENCY_KEY_REUSED: { key: "c0ffee-42" },
  IDEMPOTENCY_KEY_IN_USE: { key: "c0ffee-42" },
  PAYLOAD_TOO_LARGE: { problem: "The body is larger than 1024 KB, the limit here." },
  LENGTH_REQUIRED: {},
  WHOLE_LINES_ONLY: { channel: "Acme Dropship", sku: "TSHIRT-M-RED", requested: 1, open: 2, blocked: null },
  CHANNEL_NOT_FOUND: { channelId: "DROP-ACME" },
  WAREHOUSE_NOT_FOUND: { warehouseId: "WH-BLR-01" },
  ORDER_NOT_FOUND: { channelId: "DROP-ACME", channelOrderId: "66a0c1f2e4b0a1b2c3d4e5f6" },
  REQUEST_NOT_FOUND: { id: "cr-9001" },
  QUANTITY_CONFLICT: { conflicts: "SKU TSHIRT-M-RED: 2 ordered but 3 already fulfilled" },
  EVENT_ID_REUSED: { eventId: "asn-55812" },
  REQUEST_ID_REUSED: { requestId: "cr-9001" },
  REASON_NOT_MAPPED: { channel: "Acme Dropship", reason: "changed_mind", field: "reason" },
  UNSUPPORTED_MEDIA_TYPE: {},
};

/** An example of a code's problem: the catalog's own sentence, from the example facts. */
function exampleProblem(code: ErrorCode) {
  const facts = EXAMPLE_FACTS[code];
  let detail: unknown;
  try {
    detail = facts === undefined ? undefined : errorMessage(code, facts as never);
  } catch {
    detail = undefined;
  }
  const usable = typeof detail === "string" && detail !== "" && !detail.includes("undefined");
  return {
    ...problemOf({
      code,
      message: usable ? (detail as string) : `${problemTitle(code)}: the detail names what is wrong.`,
    }),
    ...(code === "INTERNAL_ERROR" ? { requestId: "0f4c2a9e-5b1d-4c3e-9a7f-2d8e6b1c0a34" } : {}),
    ...(code === "INVALID_INPUT"
      ? { errors: [{ field: "reasonCode", message: "Invalid input: expected string, received undefined" }] }
      : {}),
  };
}

function errorResponses(operation: Operation) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorsOf(operation)) {
    const status = ERRORS[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: `Problem details; \`code\` is one of ${codes.map((c) => `\`${c}\``).join(", ")}.`,
        ...(status === 429
          ? {
              headers: {
                "Retry-After": {
                  description: "Seconds until the limit resets.",
                  schema: { type: "integer" },
                },
              },
            }
          : {}),
        content: {
          "application/problem+json": {
            schema: { $ref: "#/components/schemas/Problem" },
            examples: Object.fromEntries(codes.map((code) => [code, { value: exampleProblem(code) }])),
          },
        },
      },
    ]),
  );
}

/** What each tag groups, for the reference's sections. A tag missing here is a lint warning. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  "API keys": "The calling key itself.",
  "Sub-orders": "Read a sub-order's quantities and cancel it, or some of its lines, as one unit of work.",
  Orders: "Search orders, read one with its history, and cancel what is left of it across its sub-orders.",
  Intake:
    "What channels and warehouses send in: orders, warehouse events and customer cancel requests, each idempotent by the sender's own id.",
  "Cancellation batches":
    "CSV cancellation runs, as on the Cancel Sub-Orders and Cancel Sub-Order Line Items screens.",
};

const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": { description: "Requests this key may make per minute.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in this minute.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the minute ends.", schema: { type: "integer" } },
};

function operationObject(operation: Operation) {
  const success = Object.fromEntries(
    Object.entries(operation.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        headers: RATE_LIMIT_HEADERS,
        content: {
          [response.contentType ?? "application/json"]: {
            schema: response.schema ? jsonSchema(response.schema, "output") : { type: "string" },
            ...(response.example === undefined ? {} : { example: response.example }),
          },
        },
      },
    ]),
  );
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    description: `${operation.description}\n\nScope: \`${operation.scope}\`.`,
    security: [{ apiKey: [operation.scope] }],
    "x-scopes": [operation.scope],
    parameters: [
      ...parameters(operation.params, "path"),
      ...parameters(operation.query, "query"),
      ...(operation.idempotent
        ? [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              description:
                "Makes a retry safe: the same key from the same API key within 24 hours answers the first call's status and body without acting again; the same key with another body is 422.",
              schema: { type: "string", maxLength: 200 },
            },
          ]
        : []),
    ],
    ...(operation.body
      ? {
          requestBody: {
            required: !operation.body.optional,
            content: {
              "application/json": {
                schema: jsonSchema(operation.body.schema, "input"),
                ...(operation.body.example === undefined ? {} : { example: operation.body.example }),
              },
            },
          },
        }
      : {}),
    ...(operation.upload
      ? {
          requestBody: {
            required: true,
            description: operation.upload.description,
            content: Object.fromEntries(
              operation.upload.contentTypes.map((type) => [
                type,
                {
                  schema: { type: "string", maxLength: operation.upload?.maxBytes },
                  ...(operation.upload?.example ? { example: operation.upload.example } : {}),
                },
              ]),
            ),
          },
        }
      : {}),
    responses: { ...success, ...errorResponses(operation) },
  };
}

export function buildOpenApiDocument(operations: readonly Operation[], serverUrl = "/api/v1") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    paths[operation.path] = {
      ...(paths[operation.path] ?? {}),
      [operation.method]: operationObject(operation),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Order cancellation panel API",
      version: "1.0.0",
      description:
        "Cancel sub-orders, lines and whole orders, run CSV cancellation batches, feed orders and warehouse events in, and read customer cancel requests. Every error is RFC 9457 problem details with a stable `code`, the same codes and sentences as the screens and the error CSV.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) =>
      TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name },
    ),
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: `An API key made in Settings → API keys, sent as \`Authorization: Bearer <key>\`. Scopes: ${API_SCOPES.map((s) => `\`${s}\``).join(", ")}.`,
        },
      },
      schemas: { Problem: jsonSchema(problemSchema, "output") },
    },
  };
}
