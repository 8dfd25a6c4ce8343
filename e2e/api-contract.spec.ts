/**
 * The REST API's contract, over HTTP against the production build: every operation of the OpenAPI
 * document is called (through the typed client, lib/api/client, where its types have it) with a
 * success where the demo data allows and with its error cases (no key 401, a key without the scope
 * 403, an unknown id 404, a bad body or parameter 400, and the operation's own refusals), and EVERY
 * answer is checked against the document: its status is documented, its Content-Type is one the
 * document gives for that status, its body validates (Ajv, JSON Schema 2020-12) against that
 * response's schema, a problem's `code` is one the document lists for that status, and the
 * documented headers (RateLimit-*, Retry-After) are there. An operation added to the document
 * without an entry in CONTRACT below fails the first test. Also: Idempotency-Key under 50 parallel
 * identical cancels, and the same key with another body.
 *
 * Sub-orders: pool("open").slice(440, 470) (no other spec uses it) and wmsPool().slice(60, 62).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { Page } from "@playwright/test";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

import { type ApiClient, createApiClient, type operations } from "@/lib/api/client";
import { API_SCOPES, type ApiScope } from "@/lib/auth/permissions";

import { allowsPartialQuantities, linesOf, pool, seed, wmsPool } from "./demo-data";
import { expect, test } from "./fixtures";

test.use({ role: "admin" });

// --- the document ---------------------------------------------------------------------------------

type Json = Record<string, unknown>;
type MediaDoc = { schema?: Json; examples?: Record<string, unknown> };
type ResponseDoc = { headers?: Record<string, unknown>; content?: Record<string, MediaDoc> };
type ParameterDoc = { name: string; in: string; required?: boolean; schema?: Json };
type OperationDoc = {
  operationId: string;
  parameters?: ParameterDoc[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, ResponseDoc>;
};
type OpenApi = {
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, Json> };
};

/** The committed document the typed client is generated from (`npm run api:check` keeps it current). */
const COMMITTED_PATH = path.join(process.cwd(), "lib", "api", "client", "openapi.json");
const DOCUMENT = JSON.parse(fs.readFileSync(COMMITTED_PATH, "utf8")) as OpenApi;
const HTTP_METHODS = ["get", "put", "post", "delete", "patch"];

const OPERATIONS = Object.entries(DOCUMENT.paths).flatMap(([template, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.includes(method))
    .map(([method, operation]) => ({
      template,
      method,
      operation,
      pattern: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`,
      ),
    })),
);
const operationById = new Map(OPERATIONS.map((o) => [o.operation.operationId, o]));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const COMPONENT_REF = "#/components/schemas/";
const componentId = (name: string) => `urn:openapi:schemas:${name}`;
/** The schema with `#/components/schemas/X` pointing at the registered component. */
function resolvingRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(resolvingRefs);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT_REF)
        ? [key, componentId(value.slice(COMPONENT_REF.length))]
        : [key, resolvingRefs(value)],
    ),
  );
}
for (const [name, schema] of Object.entries(DOCUMENT.components.schemas)) {
  ajv.addSchema(resolvingRefs(schema) as Json, componentId(name));
}
const validators = new Map<string, ValidateFunction>();
function validatorOf(key: string, schema: Json): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(resolvingRefs(schema) as Json);
    validators.set(key, validate);
  }
  return validate;
}

// --- every answer, checked against the document ----------------------------------------------------

/** What was seen per operationId: the statuses of answers that matched the document. */
const observed = new Map<string, Set<number>>();

function operationFor(method: string, url: string) {
  const pathname = new URL(url).pathname.replace(/^\/api\/v1/, "");
  const matches = OPERATIONS.filter((o) => o.method === method.toLowerCase() && o.pattern.test(pathname));
  // A literal segment beats a parameter: the template with the fewest parameters wins.
  return matches.sort(
    (a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0),
  )[0];
}

/** Checks one answer against the document and returns its body (parsed JSON, or the text). */
async function checkAnswer(method: string, url: string, response: Response): Promise<unknown> {
  const found = operationFor(method, url);
  const what = `${method.toUpperCase()} ${new URL(url).pathname}${new URL(url).search}`;
  expect(found, `${what} is an operation of the OpenAPI document`).toBeDefined();
  const { operation } = found as NonNullable<typeof found>;
  const status = response.status;
  const text = await response.text();
  const documented = operation.responses[String(status)];
  expect(
    documented,
    `${what} answered ${status}, which ${operation.operationId} does not document (${Object.keys(operation.responses).join(", ")}): ${text.slice(0, 400)}`,
  ).toBeDefined();
  const contentType = (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const media = documented?.content?.[contentType];
  expect(
    media,
    `${what} ${status}: Content-Type ${contentType || "(none)"} is documented (${Object.keys(documented?.content ?? {}).join(", ")})`,
  ).toBeDefined();
  for (const header of Object.keys(documented?.headers ?? {})) {
    expect(response.headers.get(header), `${what} ${status}: the documented ${header} header`).not.toBeNull();
  }

  let body: unknown = text;
  if (contentType.endsWith("json")) {
    body = JSON.parse(text);
    const validate = validatorOf(`${operation.operationId} ${status} ${contentType}`, media?.schema ?? {});
    expect(
      validate(body),
      `${what} ${status}: the body fits the document: ${ajv.errorsText(validate.errors)} ${JSON.stringify(validate.errors?.map((e) => ({ at: e.instancePath, ...e.params })))}\n${text.slice(0, 1000)}`,
    ).toBe(true);
  } else {
    expect(media?.schema?.type, `${what} ${status}: a ${contentType} body is documented as text`).toBe(
      "string",
    );
  }
  if (status >= 400) {
    const problem = body as { code?: string; status?: number };
    expect(problem.status, `${what}: the problem's status`).toBe(status);
    expect(
      Object.keys(media?.examples ?? {}),
      `${what} ${status}: ${problem.code} is one of the codes the document lists for ${status}`,
    ).toContain(problem.code);
  }
  const seen = observed.get(operation.operationId) ?? new Set<number>();
  seen.add(status);
  observed.set(operation.operationId, seen);
  return body;
}

/** fetch, every answer checked against the document. */
const checkedFetch = async (request: Request): Promise<Response> => {
  const response = await fetch(request);
  await checkAnswer(request.method, request.url, response.clone());
  return response;
};

type Answer = { status: number; body: unknown; headers: Headers };

/**
 * A request outside the typed client's types (no key, a broken body, an operation the generated
 * types do not have yet), checked against the document all the same.
 */
async function send(
  baseURL: string,
  method: string,
  pathAndQuery: string,
  options: {
    key?: string;
    json?: unknown;
    body?: string;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.body;
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const url = `${baseURL}/api/v1${pathAndQuery}`;
  const response = await fetch(url, { method, headers, body });
  return {
    status: response.status,
    headers: response.headers,
    body: await checkAnswer(method, url, response),
  };
}

// --- API keys, made in Settings → API keys as an integrator would ---------------------------------

type Keys = Record<"full" | "readOnly" | "noRead", string>;
let keysMade: Promise<Keys> | undefined;

async function createKey(page: Page, name: string, scopes: readonly ApiScope[]): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill(name);
  for (const scope of API_SCOPES)
    await page.getByLabel(scope, { exact: true }).setChecked(scopes.includes(scope));
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel("New API key").inputValue();
  expect(secret).toMatch(/^oms_/);
  return secret;
}

/** Three keys for the whole file: every scope, read only, and everything but read. */
function keysFor(page: Page): Promise<Keys> {
  keysMade ??= (async () => ({
    full: await createKey(page, "e2e contract: every scope", API_SCOPES),
    readOnly: await createKey(page, "e2e contract: read", ["read"]),
    noRead: await createKey(
      page,
      "e2e contract: no read",
      API_SCOPES.filter((s) => s !== "read"),
    ),
  }))();
  return keysMade;
}

type Context = {
  baseURL: string;
  page: Page;
  keys: Keys;
  /** The typed client with the every-scope key. */
  api: ApiClient;
  send: (method: string, pathAndQuery: string, options?: Parameters<typeof send>[3]) => Promise<Answer>;
};

// --- demo data: sub-orders no other spec uses -------------------------------------------------------

const MINE = pool("open").slice(440, 470);
const claimed = new Set<string>();
function claim(count: number, fits: (id: string) => boolean = () => true): string[] {
  const ids = MINE.filter((id) => !claimed.has(id) && fits(id)).slice(0, count);
  if (ids.length < count) throw new Error(`pool("open").slice(440, 470) has too few sub-orders for ${fits}`);
  for (const id of ids) claimed.add(id);
  return ids;
}
const lineOf = (id: string, minOrdered: number) => linesOf.get(id)?.find((l) => l.ordered >= minOrdered);

/** Read, and refused (nothing changes), never cancelled. */
const [UNTOUCHED] = claim(1) as [string];
const [STRICT, UNFULFILLED, RACE, MISMATCH] = claim(4) as [string, string, string, string];
const [PARTIAL] = claim(1, (id) => allowsPartialQuantities(id) && lineOf(id, 2) !== undefined) as [string];
const [WHOLE_LINES] = claim(1, (id) => !allowsPartialQuantities(id) && lineOf(id, 2) !== undefined) as [
  string,
];
const CREATE_ROWS = claim(2);
const BATCH_ROWS = claim(3);
const START_ROWS = claim(1);
const [LINE_ITEM] = claim(1, (id) => allowsPartialQuantities(id) && lineOf(id, 3) !== undefined) as [string];
const orderOf = (subOrderId: string) => seed.subOrders.find((s) => s.id === subOrderId)?.orderId as string;
/** An order all of whose sub-orders (two or more) are ours: cancelling it touches nothing else. */
const ORDER = (() => {
  const subOrders = new Map<string, string[]>();
  for (const s of seed.subOrders) subOrders.set(s.orderId, [...(subOrders.get(s.orderId) ?? []), s.id]);
  const [orderId, ids] =
    [...subOrders].find(
      ([, ids]) => ids.length >= 2 && ids.every((id) => MINE.includes(id) && !claimed.has(id)),
    ) ?? [];
  if (!orderId || !ids) throw new Error('no order of two or more sub-orders in pool("open").slice(440, 470)');
  for (const id of ids) claimed.add(id);
  return { id: orderId, subOrders: ids };
})();
/** In the 3PL warehouse, for a run the warehouse cannot take and its retry. */
const OUTAGE_ROWS = wmsPool().slice(60, 62);
const UNKNOWN_SUB_ORDER = "SO-999999-9";
const RUN = Date.now().toString(36);

const csv = (ids: readonly string[]) => `Sub Order ID\r\n${ids.join("\r\n")}\r\n`;
const bodyAsIs = (body: unknown) => body as string;

const subOrderUnits = async (api: ApiClient, id: string) => {
  const { data } = await api.GET("/sub-orders/{id}", { params: { path: { id } } });
  const lines = data?.data.lines ?? [];
  return {
    status: data?.data.status,
    ordered: lines.reduce((n, l) => n + l.ordered, 0),
    cancelled: lines.reduce((n, l) => n + l.cancelled, 0),
  };
};

/** A batch of BATCH_ROWS plus an unknown sub-order, run to the end (once per worker). */
let finished: Promise<string> | undefined;
function finishedBatch(api: ApiClient): Promise<string> {
  finished ??= (async () => {
    const created = await api.POST("/cancellation-batches", {
      params: {
        query: { kind: "sub_orders", reasonCode: "OUT_OF_STOCK", fileName: `api-${RUN}.csv`, start: "true" },
      },
      body: csv([...BATCH_ROWS, UNKNOWN_SUB_ORDER]),
      bodySerializer: bodyAsIs,
      headers: { "Content-Type": "text/csv" },
    });
    expect(created.response.status).toBe(202);
    const id = created.data?.data.batch.id as string;
    await waitUntilCompleted(api, id);
    return id;
  })();
  return finished;
}

async function waitUntilCompleted(api: ApiClient, id: string) {
  await expect
    .poll(
      async () =>
        (await api.GET("/cancellation-batches/{id}", { params: { path: { id } } })).data?.data.status,
      { timeout: 60_000 },
    )
    .toBe("completed");
  const { data } = await api.GET("/cancellation-batches/{id}", { params: { path: { id } } });
  return data?.data as NonNullable<typeof data>["data"];
}

/** The 3PL warehouse's connector on or off (Settings → Connectors), as the drafts spec does it. */
async function setWmsEnabled(page: Page, enabled: boolean) {
  await page.goto("/settings/connectors");
  await page
    .getByRole("table", { name: "Warehouses" })
    .locator('tr[data-connector-id="WH-3PL-TGR04"]')
    .getByRole("button", { name: /^Edit / })
    .click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("checkbox", { name: "Enabled" }).setChecked(enabled);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
}

/** An order of our own through intake (WEB-STORE: our reason codes, no channel item ids needed). */
async function newOrder(ctx: Context, tag: string) {
  const channelOrderId = `E2E-API-${RUN}-${tag}`;
  const subOrderId = `SO-E2E-${RUN}-${tag}`.toUpperCase();
  const body = {
    orderNumber: channelOrderId,
    currency: "INR",
    customerName: "Contract Test",
    subOrders: [
      {
        id: subOrderId,
        warehouseId: "WH-BLR-01",
        lines: [
          { sku: "TSHIRT-M-RED", channelItemId: `${channelOrderId}-1`, quantity: 3, unitPriceMinor: 1999 },
        ],
      },
    ],
  };
  const created = await ctx.api.PUT("/channels/{channelId}/orders/{channelOrderId}", {
    params: { path: { channelId: "WEB-STORE", channelOrderId } },
    body,
  });
  expect(created.response.status).toBe(201);
  return { channelOrderId, subOrderId, body };
}

// --- per operation: its success and its own refusals -------------------------------------------------

/**
 * Each operation's own calls. The generic cases (401, 403, an unknown id, a bad body or parameter)
 * run for every operation of the document besides these. Covered here: getMe, getSubOrder,
 * cancelSubOrder, cancelLineItem, listOrders, getOrder, cancelOrder, createCancellationBatch,
 * getCancellationBatch, listCancellationBatchItems, getCancellationBatchErrorsCsv,
 * startCancellationBatch, retryCancellationBatch, putChannelOrder, receiveWarehouseEvent,
 * createCancelRequest, listCancelRequests.
 */
const CONTRACT: Record<string, (ctx: Context) => Promise<void>> = {
  getMe: async ({ api }) => {
    const { data, response } = await api.GET("/me");
    expect(response.status).toBe(200);
    expect(data?.data.scopes.toSorted()).toEqual([...API_SCOPES].sort());
    expect(Number(response.headers.get("RateLimit-Remaining"))).toBeGreaterThan(0);
  },

  getSubOrder: async ({ api }) => {
    const { data, response } = await api.GET("/sub-orders/{id}", { params: { path: { id: UNTOUCHED } } });
    expect(response.status).toBe(200);
    expect(data?.data).toMatchObject({ id: UNTOUCHED, status: "open" });
    const missing = await api.GET("/sub-orders/{id}", { params: { path: { id: UNKNOWN_SUB_ORDER } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({
      code: "SUB_ORDER_NOT_FOUND",
      detail: `Sub-order ${UNKNOWN_SUB_ORDER} does not exist`,
    });
  },

  cancelSubOrder: async ({ api, send, keys }) => {
    const cancel = (
      id: string,
      body: {
        reasonCode: string;
        mode?: "strict" | "unfulfilled_only";
        lines?: { sku: string; quantity: number }[];
      },
    ) => api.POST("/sub-orders/{id}/cancel", { params: { path: { id } }, body });

    const strict = await cancel(STRICT, { reasonCode: "OUT_OF_STOCK", mode: "strict" });
    expect(strict.response.status).toBe(200);
    expect(strict.data?.data).toMatchObject({ subOrderId: STRICT, status: "CONFIRMED" });
    const again = await cancel(STRICT, { reasonCode: "OUT_OF_STOCK" });
    expect(again.response.status).toBe(409);
    expect(again.error?.code).toBe("ALREADY_CANCELLED");

    const unfulfilled = await cancel(UNFULFILLED, { reasonCode: "PRICING_ERROR", mode: "unfulfilled_only" });
    expect(unfulfilled.response.status).toBe(200);

    const line = lineOf(PARTIAL, 2);
    const partial = await cancel(PARTIAL, {
      reasonCode: "OUT_OF_STOCK",
      lines: [{ sku: line?.sku as string, quantity: 1 }],
    });
    expect(partial.response.status).toBe(200);
    expect(partial.data?.data.units).toBe(1);

    const whole = lineOf(WHOLE_LINES, 2);
    const wholeOnly = await cancel(WHOLE_LINES, {
      reasonCode: "OUT_OF_STOCK",
      lines: [{ sku: whole?.sku as string, quantity: 1 }],
    });
    expect(wholeOnly.response.status).toBe(409);
    expect(wholeOnly.error?.code).toBe("WHOLE_LINES_ONLY");

    const reason = await cancel(UNTOUCHED, { reasonCode: "NO_SUCH_REASON" });
    expect(reason.response.status).toBe(422);
    expect(reason.error?.code).toBe("REASON_NOT_FOUND");
    const sku = await cancel(UNTOUCHED, {
      reasonCode: "OUT_OF_STOCK",
      lines: [{ sku: "NO-SUCH-SKU", quantity: 1 }],
    });
    expect(sku.response.status).toBe(422);
    expect(sku.error?.code).toBe("LINE_ITEM_NOT_FOUND");

    const field = await send("POST", `/sub-orders/${UNTOUCHED}/cancel`, {
      key: keys.full,
      json: { reasonCode: "OUT_OF_STOCK", mode: "sometimes" },
    });
    expect(field.status).toBe(400);
    expect(field.body).toMatchObject({
      code: "INVALID_INPUT",
      errors: [expect.objectContaining({ field: "mode" })],
    });
    const plain = await send("POST", `/sub-orders/${UNTOUCHED}/cancel`, {
      key: keys.full,
      body: "{}",
      contentType: "text/plain",
    });
    expect(plain.status).toBe(415);
    const huge = await send("POST", `/sub-orders/${UNTOUCHED}/cancel`, {
      key: keys.full,
      body: `{"reasonCode":"${"x".repeat(1_100_000)}"}`,
    });
    expect(huge.status).toBe(413);
    expect((await subOrderUnits(api, UNTOUCHED)).cancelled).toBe(0);
  },

  cancelLineItem: async ({ api, send, keys }) => {
    const cancelLine = (
      id: string,
      sku: string,
      body: { reasonCode: string; quantity?: number; newQuantity?: number },
    ) => api.POST("/sub-orders/{id}/lines/{sku}/cancel", { params: { path: { id, sku } }, body });
    const line = lineOf(LINE_ITEM, 3) as NonNullable<ReturnType<typeof lineOf>>;
    const tooMany = await cancelLine(LINE_ITEM, line.sku, {
      reasonCode: "OUT_OF_STOCK",
      quantity: line.ordered + 5,
    });
    expect(tooMany.response.status).toBe(409);
    expect(tooMany.error?.code).toBe("QUANTITY_EXCEEDS_CANCELLABLE");
    const one = await cancelLine(LINE_ITEM, line.sku, { reasonCode: "OUT_OF_STOCK", quantity: 1 });
    expect(one.response.status).toBe(200);
    expect(one.data?.data).toMatchObject({
      status: "CONFIRMED",
      units: 1,
      lines: [{ sku: line.sku, quantity: 1 }],
    });
    // Keep one: cancels what is left but one.
    const keep = await cancelLine(LINE_ITEM, line.sku, { reasonCode: "OUT_OF_STOCK", newQuantity: 1 });
    expect(keep.response.status).toBe(200);
    expect(keep.data?.data.units).toBe(line.ordered - 2);
    const rest = await cancelLine(LINE_ITEM, line.sku, { reasonCode: "OUT_OF_STOCK", newQuantity: 0 });
    expect(rest.response.status).toBe(200);
    const none = await cancelLine(LINE_ITEM, line.sku, { reasonCode: "OUT_OF_STOCK", newQuantity: 0 });
    expect(none.response.status).toBe(409);
    expect(none.error?.code).toBe("ALREADY_CANCELLED");

    const whole = lineOf(WHOLE_LINES, 2) as NonNullable<ReturnType<typeof lineOf>>;
    const wholeOnly = await cancelLine(WHOLE_LINES, whole.sku, { reasonCode: "OUT_OF_STOCK", quantity: 1 });
    expect(wholeOnly.response.status).toBe(409);
    expect(wholeOnly.error?.code).toBe("WHOLE_LINES_ONLY");
    const sku = await cancelLine(UNTOUCHED, "NO-SUCH-SKU", { reasonCode: "OUT_OF_STOCK", quantity: 1 });
    expect(sku.response.status).toBe(422);
    expect(sku.error?.code).toBe("LINE_ITEM_NOT_FOUND");
    const both = await send(
      "POST",
      `/sub-orders/${UNTOUCHED}/lines/${encodeURIComponent(whole.sku)}/cancel`,
      {
        key: keys.full,
        json: { reasonCode: "OUT_OF_STOCK", quantity: 1, newQuantity: 1 },
      },
    );
    expect(both.status).toBe(400);
    expect((await subOrderUnits(api, UNTOUCHED)).cancelled).toBe(0);
  },

  listOrders: async ({ api, send, keys }) => {
    const found = await api.GET("/orders", { params: { query: { q: UNTOUCHED } } });
    expect(found.response.status).toBe(200);
    expect(found.data?.data.map((o) => o.id)).toEqual([orderOf(UNTOUCHED)]);
    expect(found.data?.nextCursor).toBeNull();
    const first = await api.GET("/orders", {
      params: { query: { status: "open", limit: 2, sort: "oldest" } },
    });
    expect(first.data?.data).toHaveLength(2);
    const cursor = first.data?.nextCursor as string;
    expect(cursor).toBeTruthy();
    const next = await api.GET("/orders", {
      params: { query: { status: "open", limit: 2, sort: "oldest", cursor } },
    });
    expect(next.response.status).toBe(200);
    expect(next.data?.data[0]?.id).not.toBe(first.data?.data[0]?.id);
    // A cursor belongs to its search.
    const otherSearch = await send("GET", `/orders?status=cancelled&limit=2&cursor=${cursor}`, {
      key: keys.full,
    });
    expect(otherSearch.status).toBe(400);
    const badStatus = await send("GET", "/orders?status=maybe", { key: keys.full });
    expect(badStatus.status).toBe(400);
  },

  getOrder: async ({ api }) => {
    const { data, response } = await api.GET("/orders/{id}", {
      params: { path: { id: orderOf(UNTOUCHED) } },
    });
    expect(response.status).toBe(200);
    expect(data?.data.id).toBe(orderOf(UNTOUCHED));
    expect(data?.data.subOrders.map((s) => s.id)).toContain(UNTOUCHED);
    expect(data?.data.history.length).toBeGreaterThan(0);
  },

  cancelOrder: async ({ api }) => {
    const cancel = (reasonCode: string) =>
      api.POST("/orders/{id}/cancel", { params: { path: { id: ORDER.id } }, body: { reasonCode } });
    const reason = await cancel("NO_SUCH_REASON");
    expect(reason.response.status).toBe(422);
    expect(reason.error?.code).toBe("REASON_NOT_FOUND");
    const cancelled = await cancel("OUT_OF_STOCK");
    expect(cancelled.response.status).toBe(200);
    expect(cancelled.data?.data.subOrders.map((s) => [s.subOrderId, s.status])).toEqual(
      ORDER.subOrders.map((id) => [id, "SUCCESS"]),
    );
    const again = await cancel("OUT_OF_STOCK");
    expect(again.response.status).toBe(200);
    expect(again.data?.data.units).toBe(0);
    for (const outcome of again.data?.data.subOrders ?? []) {
      expect(outcome).toMatchObject({ status: "ERROR", code: "ALREADY_CANCELLED" });
    }
  },

  createCancellationBatch: async ({ api, send, keys }) => {
    const upload = (
      body: string,
      query: {
        kind: "sub_orders" | "line_items";
        reasonCode: string;
        start?: "true" | "false";
        confirmDuplicate?: "true" | "false";
        fileName?: string;
      },
      idempotencyKey?: string,
    ) =>
      api.POST("/cancellation-batches", {
        params: { query, ...(idempotencyKey ? { header: { "Idempotency-Key": idempotencyKey } } : {}) },
        body,
        bodySerializer: bodyAsIs,
        headers: { "Content-Type": "text/csv" },
      });
    const file = csv(CREATE_ROWS);
    const key = `e2e-create-${RUN}`;
    const draft = await upload(
      file,
      { kind: "sub_orders", reasonCode: "OUT_OF_STOCK", fileName: `create-${RUN}.csv` },
      key,
    );
    expect(draft.response.status).toBe(202);
    expect(draft.data?.data.batch.status).toBe("draft");
    expect(draft.data?.data.fileCheck).toMatchObject({
      rows: 2,
      items: 2,
      invalidItems: 0,
      duplicateOf: null,
    });
    expect(draft.data?.data.fileCheck.dryRun.willCancel).toBe(2);
    // The same key again: the same answer, no second batch.
    const replay = await upload(
      file,
      { kind: "sub_orders", reasonCode: "OUT_OF_STOCK", fileName: `create-${RUN}.csv` },
      key,
    );
    expect(replay.response.status).toBe(202);
    expect(replay.response.headers.get("Idempotent-Replayed")).toBe("true");
    expect(replay.data?.data.batch.id).toBe(draft.data?.data.batch.id);

    // Started, then the same file again with start=true: the duplicate-file rule.
    const id = draft.data?.data.batch.id as string;
    expect(
      (await api.POST("/cancellation-batches/{id}/start", { params: { path: { id } }, body: {} })).response
        .status,
    ).toBe(202);
    const duplicate = await upload(file, { kind: "sub_orders", reasonCode: "OUT_OF_STOCK", start: "true" });
    expect(duplicate.response.status).toBe(409);
    expect(duplicate.error?.code).toBe("DUPLICATE_FILE");

    const reason = await upload(file, { kind: "sub_orders", reasonCode: "NO_SUCH_REASON" });
    expect(reason.response.status).toBe(422);
    expect(reason.error?.code).toBe("REASON_NOT_FOUND");
    const unreadable = await upload("just some words\r\nand more\r\n", {
      kind: "sub_orders",
      reasonCode: "OUT_OF_STOCK",
    });
    expect(unreadable.response.status).toBe(422);
    expect(unreadable.error?.code).toBe("INVALID_FILE");
    const noKind = await send("POST", "/cancellation-batches?reasonCode=OUT_OF_STOCK", {
      key: keys.full,
      body: file,
      contentType: "text/csv",
    });
    expect(noKind.status).toBe(400);
    const asJson = await send("POST", "/cancellation-batches?kind=sub_orders&reasonCode=OUT_OF_STOCK", {
      key: keys.full,
      json: {},
    });
    expect(asJson.status).toBe(415);
    const lineMode = await send(
      "POST",
      "/cancellation-batches?kind=line_items&reasonCode=OUT_OF_STOCK&mode=strict",
      { key: keys.full, body: file, contentType: "text/csv" },
    );
    expect(lineMode.status).toBe(400);
    await waitUntilCompleted(api, id);
  },

  getCancellationBatch: async ({ api }) => {
    const id = await finishedBatch(api);
    const { data, response } = await api.GET("/cancellation-batches/{id}", { params: { path: { id } } });
    expect(response.status).toBe(200);
    expect(data?.data).toMatchObject({ id, status: "completed", totalRows: 4, retryable: 0 });
    expect(data?.data.progress).toMatchObject({ success: 3, error: 1 });
  },

  listCancellationBatchItems: async ({ api, send, keys }) => {
    const id = await finishedBatch(api);
    const first = await api.GET("/cancellation-batches/{id}/items", {
      params: { path: { id }, query: { limit: 2 } },
    });
    expect(first.response.status).toBe(200);
    expect(first.data?.data).toHaveLength(2);
    const cursor = first.data?.nextCursor as string;
    expect(cursor).toBeTruthy();
    const rest = await api.GET("/cancellation-batches/{id}/items", {
      params: { path: { id }, query: { limit: 2, cursor } },
    });
    expect(rest.data?.data).toHaveLength(2);
    expect(rest.data?.nextCursor).toBeNull();
    const errors = await api.GET("/cancellation-batches/{id}/items", {
      params: { path: { id }, query: { status: "ERROR" } },
    });
    expect(errors.data?.data.map((item) => item.subOrderId)).toEqual([UNKNOWN_SUB_ORDER]);
    expect(errors.data?.data[0]?.errorCode).toBe("SUB_ORDER_NOT_FOUND");
    const badCursor = await send("GET", `/cancellation-batches/${id}/items?cursor=not-a-cursor`, {
      key: keys.full,
    });
    expect(badCursor.status).toBe(400);
    const badStatus = await send("GET", `/cancellation-batches/${id}/items?status=MAYBE`, { key: keys.full });
    expect(badStatus.status).toBe(400);
  },

  getCancellationBatchErrorsCsv: async ({ api }) => {
    const id = await finishedBatch(api);
    const { data, response } = await api.GET("/cancellation-batches/{id}/errors.csv", {
      params: { path: { id } },
      parseAs: "text",
    });
    expect(response.status).toBe(200);
    expect(data).toContain("Error Code");
    expect(data).toContain(UNKNOWN_SUB_ORDER);
    for (const row of BATCH_ROWS) expect(data).not.toContain(row);
  },

  startCancellationBatch: async ({ api, send, keys }) => {
    const draft = await api.POST("/cancellation-batches", {
      params: { query: { kind: "sub_orders", reasonCode: "OUT_OF_STOCK", fileName: `start-${RUN}.csv` } },
      body: csv(START_ROWS),
      bodySerializer: bodyAsIs,
      headers: { "Content-Type": "text/csv" },
    });
    const id = draft.data?.data.batch.id as string;
    const bad = await send("POST", `/cancellation-batches/${id}/start`, {
      key: keys.full,
      json: { confirmDuplicate: "yes" },
    });
    expect(bad.status).toBe(400);
    const started = await api.POST("/cancellation-batches/{id}/start", {
      params: { path: { id } },
      body: {},
    });
    expect(started.response.status).toBe(202);
    expect(started.data?.data.alreadyStarted).toBe(false);
    const again = await api.POST("/cancellation-batches/{id}/start", {
      params: { path: { id } },
      body: { confirmDuplicate: true },
    });
    expect(again.response.status).toBe(202);
    expect(again.data?.data.alreadyStarted).toBe(true);
    expect((await waitUntilCompleted(api, id)).progress.success).toBe(1);
  },

  retryCancellationBatch: async ({ api, page }) => {
    // A finished batch without retryable failures: nothing to retry.
    const done = await finishedBatch(api);
    const nothing = await api.POST("/cancellation-batches/{id}/retry-failed", {
      params: { path: { id: done } },
    });
    expect(nothing.response.status).toBe(400);
    expect(nothing.error?.code).toBe("INVALID_INPUT");

    // The 3PL warehouse unreachable: its rows fail as retryable, and run again once it is back.
    expect(OUTAGE_ROWS).toHaveLength(2);
    let id: string;
    await setWmsEnabled(page, false);
    try {
      const created = await api.POST("/cancellation-batches", {
        params: {
          query: {
            kind: "sub_orders",
            reasonCode: "OUT_OF_STOCK",
            fileName: `outage-api-${RUN}.csv`,
            start: "true",
          },
        },
        body: csv(OUTAGE_ROWS),
        bodySerializer: bodyAsIs,
        headers: { "Content-Type": "text/csv" },
      });
      expect(created.response.status).toBe(202);
      id = created.data?.data.batch.id as string;
      const failed = await waitUntilCompleted(api, id);
      expect(failed.progress.error).toBe(2);
      expect(failed.retryable).toBe(2);
    } finally {
      await setWmsEnabled(page, true);
    }
    const retried = await api.POST("/cancellation-batches/{id}/retry-failed", { params: { path: { id } } });
    expect(retried.response.status).toBe(202);
    expect(retried.data?.data.batch.parentBatchId).toBe(id);
    const retry = await waitUntilCompleted(api, retried.data?.data.batch.id as string);
    expect(retry.progress).toMatchObject({ success: 2, error: 0 });
  },

  putChannelOrder: async (ctx) => {
    const { channelOrderId, body } = await newOrder(ctx, "put");
    const put = (order: typeof body) =>
      ctx.api.PUT("/channels/{channelId}/orders/{channelOrderId}", {
        params: { path: { channelId: "WEB-STORE", channelOrderId } },
        body: order,
      });
    const unchanged = await put(body);
    expect(unchanged.response.status).toBe(200);
    expect(unchanged.data?.data).toMatchObject({ channelId: "WEB-STORE", channelOrderId });
    const wrongWarehouse = structuredClone(body);
    (wrongWarehouse.subOrders[0] as { warehouseId: string }).warehouseId = "WH-NOPE";
    const warehouse = await put(wrongWarehouse);
    expect(warehouse.response.status).toBe(404);
    expect(warehouse.error?.code).toBe("WAREHOUSE_NOT_FOUND");
    const currency = await put({ ...body, currency: "euro" });
    expect(currency.response.status).toBe(400);
  },

  receiveWarehouseEvent: async (ctx) => {
    const { subOrderId, channelOrderId, body } = await newOrder(ctx, "event");
    type Event = operations["receiveWarehouseEvent"]["requestBody"]["content"]["application/json"];
    const receive = (event: Event) =>
      ctx.api.POST("/warehouses/{warehouseId}/events", {
        params: { path: { warehouseId: "WH-BLR-01" } },
        body: event,
      });
    const event = {
      eventId: `e2e-${RUN}-alloc`,
      type: "allocated" as const,
      subOrderId,
      lines: [{ sku: "TSHIRT-M-RED", quantity: 2 }],
    };
    const applied = await receive(event);
    expect(applied.response.status).toBe(200);
    expect(applied.data?.data.subOrder?.lines[0]).toMatchObject({ processing: 2 });
    const same = await receive(event);
    expect(same.response.status).toBe(200);
    const reused = await receive({ ...event, lines: [{ sku: "TSHIRT-M-RED", quantity: 1 }] });
    expect(reused.response.status).toBe(422);
    expect(reused.error?.code).toBe("EVENT_ID_REUSED");
    const tooMany = await receive({
      eventId: `e2e-${RUN}-ship`,
      type: "shipped",
      subOrderId,
      lines: [{ sku: "TSHIRT-M-RED", quantity: 9 }],
      shipment: { reference: `ASN-${RUN}` },
    });
    expect(tooMany.response.status).toBe(409);
    expect(tooMany.error?.code).toBe("QUANTITY_CONFLICT");
    // Intake may not take the line below what is in processing now.
    const lower = structuredClone(body);
    (lower.subOrders[0]?.lines[0] as { quantity: number }).quantity = 1;
    const conflict = await ctx.api.PUT("/channels/{channelId}/orders/{channelOrderId}", {
      params: { path: { channelId: "WEB-STORE", channelOrderId } },
      body: lower,
    });
    expect(conflict.response.status).toBe(409);
    expect(conflict.error?.code).toBe("QUANTITY_CONFLICT");
  },

  createCancelRequest: async (ctx) => {
    const { channelOrderId } = await newOrder(ctx, "request");
    const send = (body: { requestId: string; channelOrderId: string; reason: string; note?: string }) =>
      ctx.api.POST("/channels/{channelId}/cancel-requests", {
        params: { path: { channelId: "WEB-STORE" } },
        body,
      });
    const request = { requestId: `e2e-${RUN}-cr`, channelOrderId, reason: "CUSTOMER_CHANGED_MIND" };
    const created = await send(request);
    expect(created.response.status).toBe(201);
    expect(created.data?.data).toMatchObject({
      state: "open",
      channelOrderId,
      reasonCode: "CUSTOMER_CHANGED_MIND",
    });
    const again = await send(request);
    expect(again.response.status).toBe(200);
    expect(again.data?.data.id).toBe(created.data?.data.id);
    const reused = await send({ ...request, note: "another body" });
    expect(reused.response.status).toBe(422);
    expect(reused.error?.code).toBe("REQUEST_ID_REUSED");
    const unmapped = await send({ ...request, requestId: `e2e-${RUN}-cr2`, reason: "felt-like-it" });
    expect(unmapped.response.status).toBe(422);
    expect(unmapped.error?.code).toBe("REASON_NOT_MAPPED");
    const order = await send({ ...request, requestId: `e2e-${RUN}-cr3`, channelOrderId: "NO-SUCH-ORDER" });
    expect(order.response.status).toBe(404);
    expect(order.error?.code).toBe("ORDER_NOT_FOUND");
  },

  listCancelRequests: async ({ api, send, keys }) => {
    const list = (query: {
      state?: "open" | "approved" | "rejected" | "expired";
      limit?: number;
      cursor?: string;
    }) =>
      api.GET("/channels/{channelId}/cancel-requests", {
        params: { path: { channelId: "DROP-ACME" }, query },
      });
    const first = await list({ limit: 1 });
    expect(first.response.status).toBe(200);
    expect(first.data?.data).toHaveLength(1);
    const cursor = first.data?.nextCursor as string;
    expect(cursor).toBeTruthy();
    const next = await list({ limit: 1, cursor });
    expect(next.response.status).toBe(200);
    expect(next.data?.data[0]?.id).not.toBe(first.data?.data[0]?.id);
    const open = await list({ state: "open" });
    expect(open.response.status).toBe(200);
    for (const request of open.data?.data ?? []) expect(request.state).toBe("open");
    const badState = await send("GET", "/channels/DROP-ACME/cancel-requests?state=maybe", { key: keys.full });
    expect(badState.status).toBe(400);
  },
};

// --- the generic cases every operation gets ----------------------------------------------------------

/** A value for each path parameter that fits its schema but names nothing. */
function unknownParameterValue(parameter: ParameterDoc): string {
  return parameter.schema?.format === "uuid" ? randomUUID() : `E2E-NOPE-${RUN}`;
}

/** A path parameter value its schema refuses: a 400 before anything is looked up. */
function invalidParameterValue(parameter: ParameterDoc): string | null {
  if (parameter.schema?.format === "uuid") return "not-a-uuid";
  const max = parameter.schema?.maxLength;
  return typeof max === "number" ? "x".repeat(max + 1) : null;
}

function pathWith(template: string, parameters: ParameterDoc[], value: (p: ParameterDoc) => string): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const parameter = parameters.find((p) => p.in === "path" && p.name === name) as ParameterDoc;
    return encodeURIComponent(value(parameter));
  });
}

async function genericCases(ctx: Context, entry: (typeof OPERATIONS)[number]) {
  const { operation, template } = entry;
  const method = entry.method.toUpperCase();
  const parameters = operation.parameters ?? [];
  const pathParameters = parameters.filter((p) => p.in === "path");
  const unknownPath = pathWith(template, parameters, unknownParameterValue);
  const scope = (Object.values(
    (operation as { security?: Record<string, string[]>[] }).security?.[0] ?? {},
  )[0] ?? [])[0];
  const jsonExample = operation.requestBody?.content["application/json"]?.example;
  const body = jsonExample === undefined ? {} : { json: jsonExample };

  const noKey = await ctx.send(method, unknownPath, body);
  expect(noKey.status, `${operation.operationId} without a key`).toBe(401);
  expect(noKey.body).toMatchObject({ code: "UNAUTHENTICATED" });

  const wrongScope = await ctx.send(method, unknownPath, {
    ...body,
    key: scope === "read" ? ctx.keys.noRead : ctx.keys.readOnly,
  });
  expect(wrongScope.status, `${operation.operationId} with a key lacking ${scope}`).toBe(403);
  expect(wrongScope.body).toMatchObject({
    code: "FORBIDDEN",
    detail: `This API key lacks the "${scope}" scope.`,
  });

  const requiredQuery = parameters.some((p) => p.in === "query" && p.required);
  if (
    pathParameters.length > 0 &&
    operation.responses["404"] &&
    !requiredQuery &&
    !operation.requestBody?.content["text/csv"]
  ) {
    const unknown = await ctx.send(method, unknownPath, { ...body, key: ctx.keys.full });
    expect(unknown.status, `${operation.operationId} with unknown ${pathParameters.map((p) => p.name)}`).toBe(
      404,
    );
    expect((unknown.body as { code: string }).code).toMatch(/_NOT_FOUND$/);
  }

  for (const parameter of pathParameters) {
    const invalid = invalidParameterValue(parameter);
    if (invalid === null) continue;
    const answer = await ctx.send(
      method,
      pathWith(template, parameters, (p) => (p === parameter ? invalid : unknownParameterValue(p))),
      { ...body, key: ctx.keys.full },
    );
    expect(answer.status, `${operation.operationId} with an invalid ${parameter.name}`).toBe(400);
    expect(answer.body).toMatchObject({
      code: "INVALID_INPUT",
      detail: expect.stringContaining(parameter.name),
    });
  }

  if (operation.requestBody?.content["application/json"]) {
    const notJson = await ctx.send(method, unknownPath, { key: ctx.keys.full, body: '{"reasonCode":' });
    expect(notJson.status, `${operation.operationId} with a body that is not JSON`).toBe(400);
    const notObject = await ctx.send(method, unknownPath, {
      key: ctx.keys.full,
      json: ["not", "an", "object"],
    });
    expect(notObject.status, `${operation.operationId} with an array for a body`).toBe(400);
  } else if (operation.requestBody && !requiredQuery) {
    const asJson = await ctx.send(method, unknownPath, { key: ctx.keys.full, json: {} });
    expect(asJson.status, `${operation.operationId} with a JSON body instead of a file`).toBe(415);
  }
  if (parameters.some((p) => p.in === "query" && p.name === "limit")) {
    const limit = await ctx.send(method, `${unknownPath}?limit=0`, { key: ctx.keys.full });
    expect(limit.status, `${operation.operationId} with limit=0`).toBe(400);
  }
}

// --- the tests -----------------------------------------------------------------------------------------

test("the server serves the committed document, every operation in it has a contract test here, and Settings links the reference", async ({
  page,
  request,
}) => {
  const served = await request.get("/api/v1/openapi.json");
  expect(served.status()).toBe(200);
  expect(await served.json(), "the served document is the committed one (npm run api:generate)").toEqual(
    DOCUMENT,
  );

  const inDocument = OPERATIONS.map((o) => o.operation.operationId);
  expect(
    inDocument.filter((id) => !(id in CONTRACT)),
    "operations of the document without a contract test: add them to CONTRACT in e2e/api-contract.spec.ts",
  ).toEqual([]);
  expect(
    Object.keys(CONTRACT).filter((id) => !operationById.has(id)),
    "contract tests of operations the document no longer has: remove them from CONTRACT",
  ).toEqual([]);

  await keysFor(page);
  await page.goto("/settings/api-keys");
  const link = page.getByRole("link", { name: "API reference" });
  await expect(link).toHaveAttribute("href", "/api/docs");
  const docs = await request.get("/api/docs");
  expect(docs.status()).toBe(200);
  expect(docs.headers()["content-type"]).toContain("text/html");
});

for (const entry of OPERATIONS) {
  const id = entry.operation.operationId;
  test(`${id} (${entry.method.toUpperCase()} ${entry.template}): every answer matches the document`, async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const base = baseURL as string;
    const keys = await keysFor(page);
    const ctx: Context = {
      baseURL: base,
      page,
      keys,
      api: createApiClient({ baseUrl: base, apiKey: keys.full, fetch: checkedFetch }),
      send: (method, pathAndQuery, options) => send(base, method, pathAndQuery, options),
    };
    const own = CONTRACT[id];
    expect(own, `a contract test for ${id} in CONTRACT`).toBeDefined();
    await own?.(ctx);
    await genericCases(ctx, entry);

    const seen = [...(observed.get(id) ?? [])];
    expect(
      seen.some((status) => status >= 200 && status < 300),
      `${id} answered a 2xx (seen ${seen})`,
    ).toBe(true);
    expect(seen).toEqual(expect.arrayContaining([401, 403]));
  });
}

test.describe("Idempotency-Key", () => {
  test("50 parallel identical cancels with one key: one cancellation, the same status and body for all", async ({
    page,
    baseURL,
  }) => {
    const keys = await keysFor(page);
    const api = createApiClient({ baseUrl: baseURL as string, apiKey: keys.full, fetch: checkedFetch });
    const idempotencyKey = `e2e-race-${RUN}`;
    const before = await subOrderUnits(api, RACE);
    expect(before.cancelled).toBe(0);

    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const { response, data, error } = await api.POST("/sub-orders/{id}/cancel", {
          params: { path: { id: RACE }, header: { "Idempotency-Key": idempotencyKey } },
          body: { reasonCode: "OUT_OF_STOCK", mode: "strict" },
        });
        return {
          status: response.status,
          body: data ?? error,
          replayed: response.headers.get("Idempotent-Replayed"),
        };
      }),
    );
    const [first] = answers;
    expect(first?.status).toBe(200);
    for (const answer of answers) {
      expect(answer.status).toBe(first?.status);
      expect(answer.body).toEqual(first?.body);
    }
    expect(answers.filter((a) => a.replayed === "true")).toHaveLength(49);
    const cancellationIds = new Set(
      answers.map((a) => (a.body as { data: { cancellationId: string } }).data.cancellationId),
    );
    expect(cancellationIds.size).toBe(1);

    const after = await subOrderUnits(api, RACE);
    expect(after).toMatchObject({ status: "cancelled", cancelled: before.ordered });
    // Cancelled once: a new key finds nothing left.
    const fresh = await api.POST("/sub-orders/{id}/cancel", {
      params: { path: { id: RACE }, header: { "Idempotency-Key": `${idempotencyKey}-2` } },
      body: { reasonCode: "OUT_OF_STOCK", mode: "strict" },
    });
    expect(fresh.response.status).toBe(409);
    expect(fresh.error?.code).toBe("ALREADY_CANCELLED");
  });

  test("the same key with another body is 422 and acts on nothing", async ({ page, baseURL }) => {
    const keys = await keysFor(page);
    const api = createApiClient({ baseUrl: baseURL as string, apiKey: keys.full, fetch: checkedFetch });
    const header = { "Idempotency-Key": `e2e-mismatch-${RUN}` };
    const first = await api.POST("/sub-orders/{id}/cancel", {
      params: { path: { id: MISMATCH }, header },
      body: { reasonCode: "OUT_OF_STOCK", mode: "strict" },
    });
    expect(first.response.status).toBe(200);
    const other = await api.POST("/sub-orders/{id}/cancel", {
      params: { path: { id: UNTOUCHED }, header },
      body: { reasonCode: "OUT_OF_STOCK", mode: "strict" },
    });
    expect(other.response.status).toBe(422);
    expect(other.error).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    const otherReason = await api.POST("/sub-orders/{id}/cancel", {
      params: { path: { id: MISMATCH }, header },
      body: { reasonCode: "PRICING_ERROR", mode: "strict" },
    });
    expect(otherReason.response.status).toBe(422);
    expect((await subOrderUnits(api, UNTOUCHED)).cancelled).toBe(0);
    // The original body again: the stored answer.
    const replay = await api.POST("/sub-orders/{id}/cancel", {
      params: { path: { id: MISMATCH }, header },
      body: { reasonCode: "OUT_OF_STOCK", mode: "strict" },
    });
    expect(replay.response.status).toBe(200);
    expect(replay.data).toEqual(first.data);
  });
});
