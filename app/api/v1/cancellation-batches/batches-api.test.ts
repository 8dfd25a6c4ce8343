/**
 * The cancellation-batches API through its real handlers, API keys and database: a file uploaded and
 * started through the API ends row for row as the same file does through the screen's services; the
 * duplicate-file rule, the size and type limits, the items' cursor, the error CSV, retries of failed
 * rows and Idempotency-Key replays.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { z } from "zod";
import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({ database: undefined as TestDatabase | undefined }));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

import { seedDemoUsers } from "@/db/seed-users";
import {
  type batchItemSchema,
  createCancellationBatch,
  getCancellationBatch,
  listCancellationBatchItems,
  retryCancellationBatch,
  startCancellationBatch,
} from "@/lib/api/contract/operations/batches";
import { createApiKey } from "@/lib/auth/api-keys";
import { BatchRunner } from "@/lib/batches/runner";
import { startBatch } from "@/lib/batches/start-batch";
import { uploadBatch } from "@/lib/batches/upload-batch";
import { MAX_FILE_BYTES } from "@/lib/csv/parse";
import { createTestDatabase } from "@/test/database";
import { insertReferenceData, insertSubOrder, ledgerReport, TEST_REASON } from "@/test/fixtures";
import { GET as getErrorsCsv } from "./[id]/errors.csv/route";
import { GET as getItems } from "./[id]/items/route";
import { POST as retryFailed } from "./[id]/retry-failed/route";
import { GET as getBatch } from "./[id]/route";
import { POST as start } from "./[id]/start/route";
import { POST as create } from "./route";

const ORIGIN = "http://localhost:3000";
const ops = { type: "user", id: "u-ops", name: "Olivia Ops" } as const;
let secret: string;

beforeAll(async () => {
  state.database = await createTestDatabase();
  await seedDemoUsers(state.database.db);
  await insertReferenceData(state.database.db);
  ({ secret } = await createApiKey(
    { name: "ERP", scopes: ["read", "cancel"], createdBy: "demo-admin" },
    state.database.db,
  ));
});
afterAll(() => state.database?.drop());

function db() {
  if (!state.database) throw new Error("no database");
  return state.database.db;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read freely; the tests check them against their operations' schemas
type Answer = { status: number; headers: Headers; body: any };
type Item = z.infer<typeof batchItemSchema>;

async function answer(response: Response): Promise<Answer> {
  // The BOM is part of the file: keep it.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
  const json = response.headers.get("content-type")?.includes("json");
  return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text };
}

function headers(extra: Record<string, string> = {}): Headers {
  return new Headers({ authorization: `Bearer ${secret}`, ...extra });
}

/** POST /api/v1/cancellation-batches?… with `csv` as the body. */
async function upload(
  csv: string | Uint8Array | ReadableStream<Uint8Array>,
  query: Record<string, string>,
  options: { contentType?: string; idempotencyKey?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const h = headers({ "content-type": options.contentType ?? "text/csv", ...options.headers });
  if (options.idempotencyKey) h.set("idempotency-key", options.idempotencyKey);
  const request = new Request(`${ORIGIN}/api/v1/cancellation-batches?${new URLSearchParams(query)}`, {
    method: "POST",
    headers: h,
    body: csv,
    ...(csv instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  return answer(await create(request, { params: Promise.resolve({}) }));
}

async function read(
  handler: typeof getBatch,
  id: string,
  path = "",
  query: Record<string, string> = {},
): Promise<Answer> {
  const qs = new URLSearchParams(query).toString();
  const request = new Request(`${ORIGIN}/api/v1/cancellation-batches/${id}${path}${qs ? `?${qs}` : ""}`, {
    headers: headers(),
  });
  return answer(await handler(request, { params: Promise.resolve({ id }) }));
}

async function post(handler: typeof start, id: string, path: string, body?: unknown, key?: string) {
  const h = headers(body === undefined ? {} : { "content-type": "application/json" });
  if (key) h.set("idempotency-key", key);
  const request = new Request(`${ORIGIN}/api/v1/cancellation-batches/${id}${path}`, {
    method: "POST",
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer(await handler(request, { params: Promise.resolve({ id }) }));
}

/** Every item of a batch through the API, following `nextCursor`. */
async function allItems(id: string, query: Record<string, string> = {}) {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const page = await read(getItems, id, "/items", { ...query, ...(cursor ? { cursor } : {}) });
    expect(page.status).toBe(200);
    listCancellationBatchItems.responses[200].schema.parse(page.body);
    items.push(...page.body.data);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

async function batchCount(): Promise<number> {
  const rows = await db().execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM batches`);
  return rows.rows[0]?.n ?? 0;
}

const runAll = () => new BatchRunner(db()).runUntilIdle();

/**
 * The same small world under two prefixes: one sub-order that cancels, one partly shipped, one in
 * processing, one already cancelled; and a file naming them, a missing one, a repeated row, a row
 * without an id and a formula-like id.
 */
async function world(prefix: string): Promise<string> {
  await insertSubOrder(db(), `${prefix}-OPEN`, [
    { sku: "A", ordered: 2 },
    { sku: "B", ordered: 1, unitPriceMinor: 2500 },
  ]);
  await insertSubOrder(db(), `${prefix}-SHIPPED`, [{ sku: "A", ordered: 2, fulfilled: 1 }]);
  await insertSubOrder(db(), `${prefix}-PROC`, [{ sku: "A", ordered: 3, processing: 1 }]);
  await insertSubOrder(db(), `${prefix}-DONE`, [{ sku: "A", ordered: 1, cancelled: 1 }]);
  return [
    "Sub Order ID,Note",
    `${prefix}-OPEN,first`,
    `${prefix}-SHIPPED,`,
    `${prefix}-PROC,`,
    `${prefix}-DONE,`,
    `${prefix}-MISSING,`,
    `${prefix}-OPEN,again`,
    ",no id",
    `=${prefix}-FORMULA,`,
    "",
  ].join("\r\n");
}

describe("a file through the API runs as it does through the screen", () => {
  test("upload with start=true: the same outcome for every row as uploadBatch + start + runner", async () => {
    const viaApi = await world("SO-API");
    const viaScreen = await world("SO-SCR");

    const uploaded = await upload(viaApi, {
      kind: "sub_orders",
      reasonCode: TEST_REASON,
      fileName: "api.csv",
      start: "true",
    });
    expect(uploaded.status).toBe(202);
    createCancellationBatch.responses[202].schema.parse(uploaded.body);
    const { batch, fileCheck } = uploaded.body.data;
    expect(batch).toMatchObject({
      kind: "sub_orders",
      mode: "strict",
      status: "queued",
      fileName: "api.csv",
      createdBy: "ERP",
      startedBy: "ERP",
      totalRows: 8,
      progress: { total: 8, error: 4, pending: 4, rate: null },
    });
    expect(fileCheck).toMatchObject({
      rows: 8,
      items: 8,
      invalidItems: 2,
      duplicateOf: null,
      dryRun: {
        rows: 8,
        subOrders: 7,
        willCancel: 1,
        willFail: 3,
        invalid: 4,
        units: 3,
        values: [{ currency: "INR", valueMinor: 4500 }],
      },
    });
    // Refused when stored: the file checks' rows and the sub-orders that do not exist.
    expect(fileCheck.refused.map((r: Item) => [r.seq, r.rowNumbers, r.errorCode, r.errorMessage])).toEqual([
      [5, [6], "SUB_ORDER_NOT_FOUND", "Sub-order SO-API-MISSING does not exist"],
      [6, [7], "DUPLICATE_ROW", "Row 7, Sub Order ID: SO-API-OPEN is already on row 2"],
      [7, [8], "INVALID_INPUT", "Row 8, Sub Order ID: empty"],
      [8, [9], "SUB_ORDER_NOT_FOUND", "Sub-order =SO-API-FORMULA does not exist"],
    ]);
    // The dry run's failures, by the rules the run applies.
    expect(fileCheck.predictedFailures).toEqual([
      { seq: 2, outcome: "fail", code: "PARTIALLY_FULFILLED", message: "SKU A: 1 unit fulfilled (shipped)" },
      {
        seq: 3,
        outcome: "fail",
        code: "IN_PROCESSING",
        message: "SKU A: 1 unit in processing (picklist released)",
      },
      {
        seq: 4,
        outcome: "fail",
        code: "ALREADY_CANCELLED",
        message: "Sub-order SO-API-DONE is already cancelled",
      },
    ]);

    // The screen's path: its upload service, its start, the same runner.
    const screen = await uploadBatch(db(), {
      bytes: new TextEncoder().encode(viaScreen),
      fileName: "screen.csv",
      kind: "sub_orders",
      mode: "strict",
      reasonCode: TEST_REASON,
      createdBy: ops,
      now: new Date(),
    });
    if (!screen.ok) throw new Error(screen.error.message);
    expect(
      await startBatch(db(), { batchId: screen.value.batchId, confirmDuplicate: false, now: new Date() }),
    ).toMatchObject({ ok: true });
    await runAll();

    const outcome = async (id: string, prefix: string) =>
      (await allItems(id)).map((item) => ({
        ...item,
        subOrderId: item.subOrderId.replace(prefix, "P"),
        errorMessage: item.errorMessage?.replaceAll(prefix, "P") ?? null,
      }));
    const api = await outcome(batch.id, "SO-API");
    expect(api).toEqual(await outcome(screen.value.batchId, "SO-SCR"));
    expect(api.map((i) => [i.seq, i.status, i.errorCode, i.units])).toEqual([
      [1, "SUCCESS", null, 3],
      [2, "ERROR", "PARTIALLY_FULFILLED", null],
      [3, "ERROR", "IN_PROCESSING", null],
      [4, "ERROR", "ALREADY_CANCELLED", null],
      [5, "ERROR", "SUB_ORDER_NOT_FOUND", null],
      [6, "ERROR", "DUPLICATE_ROW", null],
      [7, "ERROR", "INVALID_INPUT", null],
      [8, "ERROR", "SUB_ORDER_NOT_FOUND", null],
    ]);
    // The predictions came true.
    for (const predicted of fileCheck.predictedFailures) {
      expect(api.find((i) => i.seq === predicted.seq)?.errorCode).toBe(predicted.code);
    }

    const done = await read(getBatch, batch.id);
    expect(done.status).toBe(200);
    getCancellationBatch.responses[200].schema.parse(done.body);
    expect(done.body.data).toMatchObject({
      status: "completed",
      retryable: 0,
      progress: { status: "completed", total: 8, pending: 0, waiting: 0, success: 1, error: 7, units: 3 },
    });
    expect(done.body.data.progress.finishedAt).toEqual(expect.any(String));
    expect(await ledgerReport(db())).toMatchObject({ reservedUnits: 0, pendingEntries: 0 });
  });
});

describe("the duplicate-file rule", () => {
  test("a file started in the last 24 hours: refused with DUPLICATE_FILE, run once confirmed", async () => {
    const [a, b] = ["SO-DUP-1", "SO-DUP-2"];
    await insertSubOrder(db(), a, [{ sku: "A", ordered: 4 }]);
    await insertSubOrder(db(), b, [{ sku: "A", ordered: 4 }]);
    const csv = `Sub Order ID\r\n${a}\r\n${b}\r\n`;
    const query = {
      kind: "sub_orders",
      reasonCode: TEST_REASON,
      mode: "unfulfilled_only",
      fileName: "dup.csv",
    };

    const first = await upload(csv, { ...query, start: "true" });
    expect(first.status).toBe(202);
    const firstId = first.body.data.batch.id;

    // Again with start=true: refused, as the screen's Start is.
    const refused = await upload(csv, { ...query, start: "true" });
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body).toMatchObject({ code: "DUPLICATE_FILE", status: 409 });
    expect(refused.body.detail).toContain(`as batch ${firstId}`);

    // A draft says so up front; its start is refused, then confirmed.
    const draft = await upload(csv, query);
    expect(draft.status).toBe(202);
    expect(draft.body.data.batch.status).toBe("draft");
    expect(draft.body.data.fileCheck.duplicateOf).toMatchObject({ id: firstId, fileName: "dup.csv" });
    const draftId = draft.body.data.batch.id;
    const startRefused = await post(start, draftId, "/start", {});
    expect(startRefused).toMatchObject({ status: 409, body: { code: "DUPLICATE_FILE" } });
    const started = await post(start, draftId, "/start", { confirmDuplicate: true });
    expect(started.status).toBe(202);
    startCancellationBatch.responses[202].schema.parse(started.body);
    expect(started.body.data).toMatchObject({
      alreadyStarted: false,
      batch: { id: draftId, status: "queued" },
    });
    expect((await post(start, draftId, "/start", {})).body.data).toMatchObject({ alreadyStarted: true });

    // Or confirmed in the upload itself.
    const confirmed = await upload(csv, { ...query, start: "true", confirmDuplicate: "true" });
    expect(confirmed.status).toBe(202);
    expect(confirmed.body.data.batch.status).toBe("queued");
    expect(confirmed.body.data.fileCheck.duplicateOf).not.toBeNull();

    await runAll();
    const units = async (id: string) => (await read(getBatch, id)).body.data.progress.units;
    expect([await units(firstId), await units(draftId), await units(confirmed.body.data.batch.id)]).toEqual([
      8, 0, 0,
    ]);
  });
});

describe("limits and bad requests, with the screen's messages", () => {
  test("over 50 MB: 413, declared or streamed, and nothing stored", async () => {
    const before = await batchCount();
    const declared = await upload(
      "Sub Order ID\r\nSO-X\r\n",
      { kind: "sub_orders", reasonCode: TEST_REASON },
      {
        headers: { "content-length": String(MAX_FILE_BYTES + 1) },
      },
    );
    expect(declared).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });

    const chunk = new TextEncoder().encode(`${"SO-BIG-0000001\r\n".repeat(64 * 1024)}`); // 1 MB
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_FILE_BYTES + chunk.byteLength) controller.close();
        else {
          controller.enqueue(chunk);
          sent += chunk.byteLength;
        }
      },
    });
    const streamed = await upload(stream, { kind: "sub_orders", reasonCode: TEST_REASON });
    expect(streamed).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
    expect(sent).toBeLessThan(MAX_FILE_BYTES + 3 * chunk.byteLength); // read no further
    expect(await batchCount()).toBe(before);
  });

  test("another media type: 415; a bad or missing kind: 400 naming kind; a file that cannot be read: 422", async () => {
    const csv = "Sub Order ID\r\nSO-NOPE\r\n";
    const query = { kind: "sub_orders", reasonCode: TEST_REASON };
    expect(await upload(csv, query, { contentType: "application/json" })).toMatchObject({
      status: 415,
      body: { code: "UNSUPPORTED_MEDIA_TYPE" },
    });
    expect((await upload(csv, query, { contentType: "application/octet-stream" })).status).toBe(202);

    const badKind = await upload(csv, { ...query, kind: "orders" });
    expect(badKind).toMatchObject({ status: 400, body: { code: "INVALID_INPUT" } });
    expect(badKind.body.errors.map((e: { field: string }) => e.field)).toEqual(["kind"]);
    const noKind = await upload(csv, { reasonCode: TEST_REASON });
    expect(noKind.body.errors.map((e: { field: string }) => e.field)).toEqual(["kind"]);
    const modeOnLines = await upload(csv, { ...query, kind: "line_items", mode: "strict" });
    expect(modeOnLines.body.errors.map((e: { field: string }) => e.field)).toEqual(["mode"]);

    // The service's own answers, as the screen gets them.
    expect(await upload(csv, { ...query, reasonCode: "RETIRED" })).toMatchObject({
      status: 422,
      body: { code: "REASON_NOT_FOUND", detail: "Reason code RETIRED is unknown or inactive" },
    });
    const empty = await upload("", query);
    expect(empty).toMatchObject({ status: 422, body: { code: "INVALID_FILE" } });
    expect(empty.body.detail).toContain("The file is empty");
    const workbook = await upload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), query, {
      contentType: "application/octet-stream",
    });
    expect(workbook).toMatchObject({ status: 422, body: { code: "INVALID_FILE" } });
  });

  test("an unknown batch is 404; an id that is not one is 400", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await read(getBatch, missing)).toMatchObject({ status: 404, body: { code: "BATCH_NOT_FOUND" } });
    expect(await read(getItems, missing, "/items")).toMatchObject({ status: 404 });
    expect(await read(getErrorsCsv, missing, "/errors.csv")).toMatchObject({ status: 404 });
    expect(await post(start, missing, "/start", {})).toMatchObject({ status: 404 });
    expect(await post(retryFailed, missing, "/retry-failed")).toMatchObject({ status: 404 });
    const notAnId = await read(getBatch, "not-a-uuid");
    expect(notAnId).toMatchObject({ status: 400, body: { code: "INVALID_INPUT" } });
    expect(notAnId.body.errors[0].field).toBe("id");
  });
});

describe("reading a batch", () => {
  test("items page by cursor, filtered by status; the error CSV has the failed rows as uploaded", async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `SO-PAGE-${i + 1}`);
    for (const [i, id] of ids.entries()) {
      await insertSubOrder(db(), id, [{ sku: "A", ordered: 2, ...(i % 2 === 0 ? { processing: 1 } : {}) }]);
    }
    const csv = `Sub Order ID,Comment\r\n${ids.map((id, i) => `${id},${i === 0 ? "@note" : `"a, b"`}`).join("\r\n")}\r\n`;
    const uploaded = await upload(csv, {
      kind: "sub_orders",
      reasonCode: TEST_REASON,
      start: "true",
      fileName: "pages.csv",
    });
    expect(uploaded.status).toBe(202);
    const id = uploaded.body.data.batch.id;
    await runAll();

    const first = await read(getItems, id, "/items", { limit: "3" });
    expect(first.body.data.map((i: { seq: number }) => i.seq)).toEqual([1, 2, 3]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await read(getItems, id, "/items", { limit: "3", cursor: first.body.nextCursor });
    expect(second.body.data.map((i: { seq: number }) => i.seq)).toEqual([4, 5, 6]);
    const third = await read(getItems, id, "/items", { limit: "3", cursor: second.body.nextCursor });
    expect(third.body).toMatchObject({ data: [{ seq: 7 }], nextCursor: null });

    const failed = await allItems(id, { status: "ERROR", limit: "2" });
    expect(failed.map((i) => [i.seq, i.subOrderId, i.rowNumbers, i.errorCode])).toEqual([
      [1, "SO-PAGE-1", [2], "IN_PROCESSING"],
      [3, "SO-PAGE-3", [4], "IN_PROCESSING"],
      [5, "SO-PAGE-5", [6], "IN_PROCESSING"],
      [7, "SO-PAGE-7", [8], "IN_PROCESSING"],
    ]);
    expect(failed[0]?.errorMessage).toMatch(/SKU A: 1 unit in processing/);
    expect((await allItems(id, { status: "SUCCESS" })).map((i) => i.seq)).toEqual([2, 4, 6]);
    const badCursor = await read(getItems, id, "/items", { cursor: "nonsense" });
    expect(badCursor).toMatchObject({ status: 400 });
    expect(badCursor.body.errors[0].field).toBe("cursor");

    const csvAnswer = await read(getErrorsCsv, id, "/errors.csv");
    expect(csvAnswer.status).toBe(200);
    expect(csvAnswer.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csvAnswer.headers.get("content-disposition")).toContain('filename="pages-errors.csv"');
    expect(csvAnswer.headers.get("ratelimit-limit")).toEqual(expect.any(String));
    const lines = (csvAnswer.body as string).split("\r\n");
    expect(lines[0]).toBe("\uFEFFSub Order ID,Comment,Error Code,Error Message");
    expect(lines[1]).toMatch(/^SO-PAGE-1,'@note,IN_PROCESSING,SKU A: 1 unit in processing/);
    expect(lines[2]).toMatch(/^SO-PAGE-3,"a, b",IN_PROCESSING,/);
    expect(lines.filter((l) => l !== "")).toHaveLength(5);
  });
  test("the cursor neither skips nor repeats items that change status between pages", async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `SO-MOVE-${i + 1}`);
    for (const id of ids) await insertSubOrder(db(), id, [{ sku: "A", ordered: 1 }]);
    const uploaded = await upload(`Sub Order ID\r\n${ids.join("\r\n")}\r\n`, {
      kind: "sub_orders",
      reasonCode: TEST_REASON,
    });
    const id = uploaded.body.data.batch.id;
    const seqs = (page: Answer) => page.body.data.map((i: { seq: number }) => i.seq);
    const setStatus = (status: string, seq: number[]) =>
      db().execute(sql`
        UPDATE batch_items SET status = ${status}, processed_at = now()
         WHERE batch_id = ${id} AND seq = ANY(${sql.param(seq)}::int[])`);

    // Items leave the filtered set behind the reader: the next page still starts at the next one.
    const pending1 = await read(getItems, id, "/items", { status: "PENDING", limit: "2" });
    expect(seqs(pending1)).toEqual([1, 2]);
    await setStatus("SUCCESS", [1, 2]);
    const pending2 = await read(getItems, id, "/items", {
      status: "PENDING",
      limit: "2",
      cursor: pending1.body.nextCursor,
    });
    expect(seqs(pending2)).toEqual([3, 4]);

    // Items join the filtered set behind the reader: nothing is given twice (pages may come short).
    await setStatus("ERROR", [3, 6]);
    const error1 = await read(getItems, id, "/items", { status: "ERROR", limit: "1" });
    expect(seqs(error1)).toEqual([3]);
    await setStatus("ERROR", [1, 2, 5]);
    const rest: number[] = [];
    for (let cursor = error1.body.nextCursor; cursor; ) {
      const page = await read(getItems, id, "/items", { status: "ERROR", limit: "1", cursor });
      expect(page.status).toBe(200);
      rest.push(...seqs(page));
      cursor = page.body.nextCursor;
    }
    expect(rest).toEqual([5, 6]);
  });
});

describe("retry failed rows", () => {
  test("a finished batch's retryable failures run again as a new, linked batch; a draft cannot be retried", async () => {
    await insertSubOrder(db(), "SO-RETRY-OK", [{ sku: "A", ordered: 1 }]);
    const uploaded = await upload("Sub Order ID\r\nSO-RETRY-OK\r\nSO-RETRY-LATER\r\n", {
      kind: "sub_orders",
      reasonCode: TEST_REASON,
    });
    const id = uploaded.body.data.batch.id;
    expect(await post(retryFailed, id, "/retry-failed")).toMatchObject({
      status: 400,
      body: { code: "INVALID_INPUT", detail: "Failed rows can be retried once the batch has finished." },
    });
    expect((await post(start, id, "/start", {})).status).toBe(202);
    await runAll();
    // As if the warehouse had been unreachable for the second row, which exists by now.
    await db().execute(sql`
      UPDATE batch_items SET error_code = 'DOWNSTREAM_UNAVAILABLE', error_message = 'unreachable'
       WHERE batch_id = ${id} AND sub_order_id = 'SO-RETRY-LATER'`);
    await insertSubOrder(db(), "SO-RETRY-LATER", [{ sku: "A", ordered: 2 }]);
    expect((await read(getBatch, id)).body.data.retryable).toBe(1);

    const retried = await post(retryFailed, id, "/retry-failed", undefined, "retry-1");
    expect(retried.status).toBe(202);
    retryCancellationBatch.responses[202].schema.parse(retried.body);
    const child = retried.body.data.batch;
    expect(child).toMatchObject({ parentBatchId: id, status: "queued", progress: { total: 1 } });
    // The same key again: the same answer, no second retry.
    expect((await post(retryFailed, id, "/retry-failed", undefined, "retry-1")).body).toEqual(retried.body);
    await runAll();
    expect((await read(getBatch, child.id)).body.data.progress).toMatchObject({
      status: "completed",
      success: 1,
      units: 2,
    });
    expect((await read(getBatch, id)).body.data).toMatchObject({
      retryable: 0,
      retries: [{ id: child.id, status: "completed" }],
    });
  });
});

describe("Idempotency-Key", () => {
  test("a replayed upload answers the same batch and stores no second one; another file with the key is 422", async () => {
    await insertSubOrder(db(), "SO-IDEM-1", [{ sku: "A", ordered: 1 }]);
    const csv = "Sub Order ID\r\nSO-IDEM-1\r\n";
    const query = { kind: "sub_orders", reasonCode: TEST_REASON, start: "true" };
    const before = await batchCount();
    const first = await upload(csv, query, { idempotencyKey: "upload-1" });
    expect(first.status).toBe(202);
    const again = await upload(csv, query, { idempotencyKey: "upload-1" });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.data.batch.id).toBe(first.body.data.batch.id);
    expect(again.body).toEqual(first.body);
    expect(await batchCount()).toBe(before + 1);

    const other = await upload("Sub Order ID\r\nSO-IDEM-2\r\n", query, { idempotencyKey: "upload-1" });
    expect(other).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY_KEY_REUSED" } });
    expect(await batchCount()).toBe(before + 1);
  });
});
