/**
 * The concurrency matrix against real processes: `next start`, two `npm run worker` processes and
 * the fakes in a process of their own, on a fresh PostgreSQL database. Each row fires its requests
 * at the same moment over HTTP (server actions as the browser posts them, with `Next-Action` and
 * the session cookie; the REST API with keys; the intake endpoints), waits until every answer is
 * in and every reservation is resolved, then checks that each unit was cancelled at most once:
 * line totals equal the confirmed ledger (ledgerReport), cancelled + shipped + in processing never
 * exceeds what was ordered, nothing stays reserved or pending, each sub-order has at most one
 * confirmed cancellation where every entry point cancels it whole, and the fake WMS saw each of
 * its orders under one idempotency key.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FAKE_WMS_API_KEY } from "@/dev/fakes/wms";
import {
  connectFixtures,
  insertBulkSubOrders,
  insertReferenceData,
  ledgerReport,
  TEST_REASON,
  waitFor,
} from "@/test/fixtures";
import {
  type ActionRef,
  answers,
  api,
  apiKey,
  callAction,
  createRoleUsers,
  emailOf,
  request,
  serverActions,
  signIn,
} from "./http";
import { recordCase } from "./results";
import {
  createReliabilityDatabase,
  type FakesProcess,
  type ManagedProcess,
  startFakesProcess,
  startWeb,
  startWorker,
  type WebProcess,
} from "./stack";

const PORT = 3213;
/** Sub-orders per row of the matrix (each with two lines of two units). */
const ROWS = 30;

let database: Awaited<ReturnType<typeof createReliabilityDatabase>>;
let web: WebProcess;
let workers: ManagedProcess[] = [];
let fakes: FakesProcess;
let key = "";
let support = "";
let ops = "";
let admin = "";
let cancelSubOrderAction: ActionRef;
let cancelOrderLinesAction: ActionRef;
let startBatchAction: ActionRef;

beforeAll(async () => {
  database = await createReliabilityDatabase(10);
  await insertReferenceData(database.db);
  // The test channel ships fill-or-kill: a partial shipment cancels the rest of its line.
  await database.db.execute(sql`UPDATE channels SET fill_or_kill = true WHERE id = 'CH-TEST'`);
  fakes = await startFakesProcess(database.url, { latencyMs: 50 });
  await connectFixtures(database.db, {
    wms: { url: fakes.urls.wms, apiKey: FAKE_WMS_API_KEY, timeoutMs: 5_000 },
  });
  web = await startWeb(database.url, PORT);
  workers = [startWorker(database.url, "worker-1"), startWorker(database.url, "worker-2")];
  const users = await createRoleUsers(database.db, ["admin", "ops", "support"]);
  key = await apiKey(database.db, ["read", "cancel", "orders:write"], users.get("admin") ?? "");
  [support, ops, admin] = await Promise.all([
    signIn(web.url, emailOf("support")),
    signIn(web.url, emailOf("ops")),
    signIn(web.url, emailOf("admin")),
  ]);
  const actions = serverActions();
  const find = (id: string) => {
    const ref = actions.get(id);
    if (!ref) throw new Error(`${id} is not in the build's server-reference manifest`);
    return ref;
  };
  cancelSubOrderAction = find("(app)/cancellations/_actions/cancel-sub-order.ts#cancelSubOrderAction");
  cancelOrderLinesAction = find("(app)/orders/[id]/_actions/cancel-order-lines.ts#cancelOrderLinesAction");
  startBatchAction = find("(app)/cancellations/_actions/start-batch.ts#startBatchAction");
});

afterAll(async () => {
  await Promise.all([web?.kill(), ...workers.map((w) => w.kill()), fakes?.close()]);
  await database?.drop();
});

// --- helpers -------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `first` and `second` 0-`maxGapMs` apart: on even rows `first` goes first, on odd rows `second`. */
function race<A, B>(
  i: number,
  first: () => Promise<A>,
  second: () => Promise<B>,
  maxGapMs = 30,
): Promise<[A, B]> {
  const gap = Math.floor(Math.random() * maxGapMs);
  return i % 2 === 0
    ? Promise.all([first(), sleep(gap).then(second)])
    : Promise.all([sleep(gap).then(first), second()]);
}

/** `items` rotated left by `by`. */
function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

const idempotencyKey = () => ({ "idempotency-key": crypto.randomUUID() });

function csvOf(ids: readonly string[]): string {
  return `Sub Order ID\r\n${ids.join("\r\n")}\r\n`;
}

/** Uploads a CSV of sub-orders through the REST API; `start` starts it in the same request. */
async function uploadBatch(ids: readonly string[], start: boolean) {
  const query = new URLSearchParams({
    kind: "sub_orders",
    reasonCode: TEST_REASON,
    fileName: "concurrency.csv",
    ...(start ? { start: "true", confirmDuplicate: "true" } : {}),
  });
  const response = await request(`${web.url}/api/v1/cancellation-batches?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "text/csv", ...idempotencyKey() },
    body: csvOf(ids),
  });
  const id = (response.json as { data?: { batch?: { id?: string } } } | undefined)?.data?.batch?.id;
  if (!id) throw new Error(`upload: ${response.status} ${response.text.slice(0, 300)}`);
  return { id, status: response.status };
}

type Lines = Map<string, { id: number; sku: string }[]>;

async function linesOf(prefix: string): Promise<Lines> {
  const { rows } = await database.db.execute<{ id: number; sub_order_id: string; sku: string }>(
    sql`SELECT id, sub_order_id, sku FROM line_items WHERE sub_order_id LIKE ${`${prefix}-%`} ORDER BY id`,
  );
  const lines: Lines = new Map();
  for (const row of rows) lines.set(row.sub_order_id, [...(lines.get(row.sub_order_id) ?? []), row]);
  return lines;
}

/** Until every answer of the row is in: nothing reserved or pending, no batch queued or running. */
async function settled(what: string): Promise<void> {
  await waitFor(
    async () => {
      const report = await ledgerReport(database.db);
      const { rows } = await database.db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM batches WHERE status IN ('queued', 'running')`,
      );
      return report.pendingEntries === 0 && report.reservedUnits === 0 && (rows[0]?.n ?? 0) === 0;
    },
    60_000,
    `${what}: every reservation answered and every batch finished`,
  );
}

type Facts = {
  /** Lines whose cancelled + fulfilled + processing exceeds ordered, or whose ledger exceeds ordered. */
  overCancelledLines: number;
  /** Sub-orders with more than one confirmed cancellation (where each entry point cancels it whole). */
  doubleEntries: number;
  /** Orders the fake WMS saw under more than one idempotency key. */
  wmsOrdersUnderTwoKeys: number;
  mismatchedLines: number;
  reservedUnits: number;
  pendingEntries: number;
};

async function factsOf(prefix: string): Promise<Facts> {
  const like = `${prefix}-%`;
  const { rows: over } = await database.db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM line_items li
     WHERE li.sub_order_id LIKE ${like}
       AND (li.cancelled + li.fulfilled + li.processing > li.ordered
            OR li.ordered < coalesce((SELECT sum(cl.quantity) FROM cancellation_lines cl
                                        JOIN cancellations c ON c.id = cl.cancellation_id
                                       WHERE cl.line_item_id = li.id AND c.status = 'CONFIRMED'), 0))`);
  const { rows: doubles } = await database.db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (
      SELECT c.sub_order_id FROM cancellations c
       WHERE c.sub_order_id LIKE ${like} AND c.status = 'CONFIRMED'
       GROUP BY c.sub_order_id HAVING count(*) > 1) d`);
  const report = await ledgerReport(database.db);
  const wms = await fakes.report("wms");
  const keysByOrder = new Map<string, Set<string | null>>();
  for (const r of wms.requests) {
    const orderNo = (r.body as { data?: { cancellation?: { order_no?: string } } } | undefined)?.data
      ?.cancellation?.order_no;
    if (!orderNo?.startsWith(prefix)) continue;
    keysByOrder.set(orderNo, (keysByOrder.get(orderNo) ?? new Set()).add(r.idempotencyKey));
  }
  return {
    overCancelledLines: over[0]?.n ?? 0,
    doubleEntries: doubles[0]?.n ?? 0,
    wmsOrdersUnderTwoKeys: [...keysByOrder.values()].filter((keys) => keys.size > 1).length,
    mismatchedLines: report.mismatchedLines.length,
    reservedUnits: report.reservedUnits,
    pendingEntries: report.pendingEntries,
  };
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await database.db.execute<{ n: number }>(query);
  return rows[0]?.n ?? 0;
}

/** JSON with every object's members sorted, to compare answers by content. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * A warehouse event as a warehouse sends it: refused because a cancellation in flight holds its
 * units, it is sent again once that is answered (as the 409 asks), up to 10 s.
 */
async function sendEvent(event: Record<string, unknown>) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await api(web.url, key, "POST", "/warehouses/WH-WMS/events", event);
    const detail = (response.json as { detail?: string } | undefined)?.detail ?? "";
    if (
      response.status !== 409 ||
      !detail.includes("still waiting for the warehouse") ||
      Date.now() > deadline
    )
      return response;
    await sleep(100);
  }
}

/** The 5xx answers since `from` (an index into `answers`). */
const serverErrorsSince = (from: number) => answers.slice(from).filter((a) => a.status >= 500).length;

function expectClean(facts: Facts, serverErrors: number, options: { wholeCancels: boolean }) {
  expect({
    ...facts,
    doubleEntries: options.wholeCancels ? facts.doubleEntries : 0,
    serverErrors,
  }).toEqual({
    overCancelledLines: 0,
    doubleEntries: 0,
    wmsOrdersUnderTwoKeys: 0,
    mismatchedLines: 0,
    reservedUnits: 0,
    pendingEntries: 0,
    serverErrors: 0,
  });
}

// --- the matrix ----------------------------------------------------------------------------------

describe("concurrency matrix", () => {
  test("one sub-order from the screen, the REST API, a running batch and the Orders screen at once", async () => {
    const started = Date.now();
    const from = answers.length;
    const ids = await insertBulkSubOrders(database.db, "CC-ALL", ROWS, "WH-WMS");
    const lines = await linesOf("CC-ALL");
    await Promise.all([
      uploadBatch(ids, true),
      // Each sub-order's three calls in turn order (which goes first rotates), 0-10 ms apart.
      ...ids.flatMap((id, i) =>
        rotate<() => Promise<unknown>>(
          [
            () =>
              callAction(
                web.url,
                cancelSubOrderAction,
                [{ subOrderId: id, mode: "strict", reasonCode: TEST_REASON }],
                {
                  cookie: support,
                },
              ),
            () =>
              api(
                web.url,
                key,
                "POST",
                `/sub-orders/${id}/cancel`,
                { reasonCode: TEST_REASON, mode: "strict" },
                idempotencyKey(),
              ),
            () =>
              callAction(
                web.url,
                cancelOrderLinesAction,
                [
                  {
                    orderId: `ORD-${id}`,
                    reasonCode: TEST_REASON,
                    lines: (lines.get(id) ?? []).map((line) => ({ lineItemId: line.id, quantity: 2 })),
                  },
                ],
                { cookie: ops, page: `/orders/ORD-${id}` },
              ),
          ],
          i,
        ).map((call, k) => sleep(k * Math.floor(Math.random() * 10)).then(call)),
      ),
    ]);
    await settled("four entry points");
    const facts = await factsOf("CC-ALL");
    const cancelledSubOrders = await count(
      sql`SELECT count(DISTINCT sub_order_id)::int AS n FROM cancellations WHERE sub_order_id LIKE 'CC-ALL-%' AND status = 'CONFIRMED'`,
    );
    const lostRows = await count(
      sql`SELECT count(*)::int AS n FROM batch_items WHERE sub_order_id LIKE 'CC-ALL-%' AND status IN ('PENDING', 'WAITING')`,
    );
    const serverErrors = serverErrorsSince(from);
    recordCase({
      case: `concurrency: ${ROWS} sub-orders each from the screen, REST, a running batch and the Orders screen at once`,
      rowsProcessed: ids.length * 4,
      rowsLost: lostRows + (ids.length - cancelledSubOrders),
      doubleCancellations: facts.doubleEntries + facts.overCancelledLines + facts.wmsOrdersUnderTwoKeys,
      stuckReservations: facts.reservedUnits + facts.pendingEntries,
      disagreements: facts.mismatchedLines,
      serverErrors,
    });
    const { rows: winners } = await database.db.execute<{ source: string; n: number }>(sql`
      SELECT source, count(*)::int AS n FROM cancellations
       WHERE sub_order_id LIKE 'CC-ALL-%' AND status = 'CONFIRMED' GROUP BY source ORDER BY source`);
    console.log(
      `four entry points: ${((Date.now() - started) / 1000).toFixed(1)} s, won by ${winners.map((w) => `${w.source} ${w.n}`).join(", ")}`,
    );
    expectClean(facts, serverErrors, { wholeCancels: true });
    // Every sub-order was cancelled, by exactly one of the four.
    expect(cancelledSubOrders).toBe(ids.length);
    expect(lostRows).toBe(0);
  });

  test("two batches with overlapping rows", async () => {
    const from = answers.length;
    const ids = await insertBulkSubOrders(database.db, "CC-OVL", 3 * ROWS, "WH-WMS");
    const first = ids.slice(0, 2 * ROWS);
    const second = ids.slice(ROWS);
    const batches = await Promise.all([uploadBatch(first, true), uploadBatch([...second].reverse(), true)]);
    await settled("overlapping batches");
    const facts = await factsOf("CC-OVL");
    const { rows } = await database.db.execute<{ status: string; n: number }>(sql`
      SELECT status, count(*)::int AS n FROM batch_items
       WHERE batch_id IN (${batches[0]?.id}, ${batches[1]?.id}) GROUP BY status`);
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    const cancelledSubOrders = await count(
      sql`SELECT count(DISTINCT sub_order_id)::int AS n FROM cancellations WHERE sub_order_id LIKE 'CC-OVL-%' AND status = 'CONFIRMED'`,
    );
    const serverErrors = serverErrorsSince(from);
    const rowsLost = (byStatus.PENDING ?? 0) + (byStatus.WAITING ?? 0) + (ids.length - cancelledSubOrders);
    recordCase({
      case: `concurrency: two batches of ${2 * ROWS} rows overlapping on ${ROWS}`,
      rowsProcessed: first.length + second.length,
      rowsLost,
      doubleCancellations: facts.doubleEntries + facts.overCancelledLines + facts.wmsOrdersUnderTwoKeys,
      stuckReservations: facts.reservedUnits + facts.pendingEntries,
      disagreements: facts.mismatchedLines,
      serverErrors,
    });
    expectClean(facts, serverErrors, { wholeCancels: true });
    // Every row has its final answer: the overlap succeeded once and was refused once.
    expect(byStatus).toEqual({ SUCCESS: ids.length, ERROR: ROWS });
    expect(rowsLost).toBe(0);
  });

  test("two starts of one draft and a second draft of the same file, at once", async () => {
    const from = answers.length;
    const ids = await insertBulkSubOrders(database.db, "CC-DUP", ROWS, "WH-WMS");
    const draft = await uploadBatch(ids, false);
    const twin = await uploadBatch(ids, false);
    const start = (batchId: string) =>
      request(`${web.url}/api/v1/cancellation-batches/${batchId}/start`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...idempotencyKey() },
        body: "{}",
      });
    // The REST start (its uploader), the screen's Start (an admin may start any draft) and the twin's start.
    const [viaApi, viaScreen, twinStart] = await Promise.all([
      start(draft.id),
      callAction(web.url, startBatchAction, [{ batchId: draft.id }], {
        cookie: admin,
        page: "/cancellations",
      }),
      start(twin.id),
    ]);
    await settled("two starts");
    const facts = await factsOf("CC-DUP");
    const ran = await count(
      sql`SELECT count(*)::int AS n FROM batches WHERE id IN (${draft.id}, ${twin.id}) AND status <> 'draft'`,
    );
    // Each start's answer: started, found already started, or refused as a second run of the file.
    const restStart = (r: typeof viaApi) =>
      r.status === 202
        ? (r.json as { data: { alreadyStarted: boolean } }).data.alreadyStarted
          ? "already"
          : "started"
        : (r.json as { code?: string } | undefined)?.code === "DUPLICATE_FILE"
          ? "duplicate"
          : `${r.status}`;
    const screen = viaScreen.value as
      | { ok?: boolean; code?: string; data?: { alreadyStarted?: boolean } }
      | undefined;
    const screenStart = screen?.ok
      ? screen.data?.alreadyStarted
        ? "already"
        : "started"
      : screen?.code === "DUPLICATE_FILE"
        ? "duplicate"
        : `${viaScreen.status} ${screen?.code}`;
    const outcome = { draft: [restStart(viaApi), screenStart].sort(), twin: restStart(twinStart) };
    const draftRan = outcome.draft.includes("started");
    const twinRan = outcome.twin === "started";
    const serverErrors = serverErrorsSince(from);
    recordCase({
      case: "concurrency: one draft started from REST and the screen at once, and a draft of the same file",
      rowsProcessed: 2 * ids.length,
      rowsLost:
        ids.length -
        (await count(
          sql`SELECT count(DISTINCT sub_order_id)::int AS n FROM cancellations WHERE sub_order_id LIKE 'CC-DUP-%' AND status = 'CONFIRMED'`,
        )),
      doubleCancellations:
        facts.doubleEntries + facts.overCancelledLines + facts.wmsOrdersUnderTwoKeys + (ran - 1),
      stuckReservations: facts.reservedUnits + facts.pendingEntries,
      disagreements: facts.mismatchedLines,
      serverErrors,
    });
    expectClean(facts, serverErrors, { wholeCancels: true });
    console.log(`two starts: ${JSON.stringify(outcome)}`);
    // One of the two drafts ran, once. The draft first: one start ran it, the other found it
    // started, and the twin was refused. The twin first: both starts of the draft were refused.
    expect(ran).toBe(1);
    expect(outcome).toEqual(
      draftRan && !twinRan
        ? { draft: ["already", "started"], twin: "duplicate" }
        : { draft: ["duplicate", "duplicate"], twin: "started" },
    );
  });

  test("an allocation racing a cancellation", async () => {
    // An allocation refused for units a cancellation in flight holds is not sent again: once the
    // warehouse answers, the units are cancelled and it would be refused for good.
    const from = answers.length;
    const ids = await insertBulkSubOrders(database.db, "CC-ALC", ROWS, "WH-WMS");
    const results = await Promise.all(
      ids.map((id, i) =>
        race(
          i,
          () =>
            api(web.url, key, "POST", "/warehouses/WH-WMS/events", {
              eventId: `alloc-${id}`,
              type: "allocated",
              subOrderId: id,
              lines: [
                { sku: "SKU-1", quantity: 2 },
                { sku: "SKU-2", quantity: 2 },
              ],
            }),
          () =>
            api(
              web.url,
              key,
              "POST",
              `/sub-orders/${id}/cancel`,
              { reasonCode: TEST_REASON, mode: "strict" },
              idempotencyKey(),
            ),
        ),
      ),
    );
    await settled("allocation vs cancellation");
    const facts = await factsOf("CC-ALC");
    // Exactly one of the two won each sub-order: all of it in processing, or all of it cancelled.
    const { rows } = await database.db.execute<{
      sub_order_id: string;
      processing: number;
      cancelled: number;
    }>(sql`
      SELECT sub_order_id, sum(processing)::int AS processing, sum(cancelled)::int AS cancelled
        FROM line_items WHERE sub_order_id LIKE 'CC-ALC-%' GROUP BY sub_order_id`);
    const neitherOrBoth = rows.filter(
      (r) => !((r.processing === 4 && r.cancelled === 0) || (r.processing === 0 && r.cancelled === 4)),
    );
    const answersAgree = results.filter(([event, cancel], i) => {
      const row = rows.find((r) => r.sub_order_id === ids[i]);
      const allocated = row?.processing === 4;
      return allocated
        ? event.status === 200 && cancel.status === 409
        : event.status === 409 && cancel.status < 300;
    }).length;
    const serverErrors = serverErrorsSince(from);
    recordCase({
      case: `concurrency: ${ROWS} allocations racing as many cancellations`,
      rowsProcessed: 2 * ids.length,
      doubleCancellations: facts.doubleEntries + facts.overCancelledLines + facts.wmsOrdersUnderTwoKeys,
      stuckReservations: facts.reservedUnits + facts.pendingEntries,
      disagreements: facts.mismatchedLines + neitherOrBoth.length + (ids.length - answersAgree),
      serverErrors,
    });
    console.log(
      `allocation vs cancellation: ${rows.filter((r) => r.processing === 4).length} allocated, ${rows.filter((r) => r.cancelled === 4).length} cancelled`,
    );
    expectClean(facts, serverErrors, { wholeCancels: true });
    expect(neitherOrBoth).toEqual([]);
    expect(answersAgree).toBe(ids.length);
  });

  test("a partial shipment on a fill-or-kill channel racing a cancellation of what is unfulfilled", async () => {
    const from = answers.length;
    const ids = await insertBulkSubOrders(database.db, "CC-FOK", ROWS, "WH-WMS");
    // A slower warehouse: a cancellation that got there first holds the units long enough for the
    // shipment to meet it (refused, sent again once the warehouse has answered).
    await fakes.setLatency("wms", 300);
    const ship = (id: string) =>
      sendEvent({
        eventId: `ship-${id}`,
        type: "shipped",
        subOrderId: id,
        lines: [{ sku: "SKU-1", quantity: 1 }],
        shipment: { reference: `ASN-${id}`, carrier: "DHL", trackingNumber: `T-${id}` },
      });
    const cancel = (id: string) =>
      api(
        web.url,
        key,
        "POST",
        `/sub-orders/${id}/cancel`,
        { reasonCode: TEST_REASON, mode: "unfulfilled_only" },
        idempotencyKey(),
      );
    // Even rows: the shipment, and the cancellation 0-30 ms behind it. Odd rows: the shipment
    // arrives while the cancellation is in flight (its units reserved, the warehouse not yet answered).
    const results = await Promise.all(
      ids.map(
        async (id, i): Promise<[Awaited<ReturnType<typeof ship>>, Awaited<ReturnType<typeof cancel>>]> => {
          if (i % 2 === 0)
            return race(
              i,
              () => ship(id),
              () => cancel(id),
            );
          const cancelled = cancel(id);
          let done = false;
          void cancelled.finally(() => {
            done = true;
          });
          await waitFor(
            async () =>
              done ||
              (await count(
                sql`SELECT coalesce(sum(pending_cancel), 0)::int AS n FROM line_items WHERE sub_order_id = ${id}`,
              )) > 0,
            10_000,
            `${id}: the cancellation's reservation`,
          );
          return [await ship(id), await cancelled];
        },
      ),
    );
    await settled("fill-or-kill vs cancellation");
    await fakes.setLatency("wms", 50);
    const facts = await factsOf("CC-FOK");
    const { rows } = await database.db.execute<{
      sub_order_id: string;
      sku: string;
      fulfilled: number;
      cancelled: number;
      processing: number;
    }>(
      sql`SELECT sub_order_id, sku, fulfilled, cancelled, processing FROM line_items WHERE sub_order_id LIKE 'CC-FOK-%'`,
    );
    // SKU-1 ends whole: shipped 1 and the rest killed (shipment first), or all of it cancelled
    // (cancellation first: the shipment, sent again, is an exception). SKU-2 is cancelled either way.
    const wrongLines = rows.filter((r) =>
      r.sku === "SKU-1"
        ? r.processing !== 0 ||
          !((r.fulfilled === 1 && r.cancelled === 1) || (r.fulfilled === 0 && r.cancelled === 2))
        : r.fulfilled !== 0 || r.cancelled !== 2 || r.processing !== 0,
    );
    // The refused side of each race is a 4xx, never a 5xx; a shipment after the cancellation is an exception (202).
    const shipped = rows.filter((r) => r.sku === "SKU-1" && r.fulfilled === 1).length;
    const serverErrors = serverErrorsSince(from);
    recordCase({
      case: `concurrency: ${ROWS} partial shipments with fill-or-kill racing cancellations`,
      rowsProcessed: 2 * ids.length,
      doubleCancellations: facts.overCancelledLines + facts.wmsOrdersUnderTwoKeys,
      stuckReservations: facts.reservedUnits + facts.pendingEntries,
      disagreements: facts.mismatchedLines + wrongLines.length,
      serverErrors,
    });
    console.log(
      `fill-or-kill vs cancellation: ${shipped} shipped and killed, ${ROWS - shipped} cancelled first; answers ${JSON.stringify(
        Object.entries(
          results.reduce<Record<string, number>>((acc, [event, cancel]) => {
            const k = `${event.status}/${cancel.status}`;
            acc[k] = (acc[k] ?? 0) + 1;
            return acc;
          }, {}),
        ),
      )}`,
    );
    expectClean(facts, serverErrors, { wholeCancels: false });
    expect(wrongLines).toEqual([]);
  });

  test("50 parallel requests with one Idempotency-Key", async () => {
    const from = answers.length;
    const [id] = await insertBulkSubOrders(database.db, "CC-IDEM", 1, "WH-WMS");
    // A slow warehouse: the first request is still in flight when the other 49 arrive.
    await fakes.setLatency("wms", 500);
    const sameKey = { "idempotency-key": crypto.randomUUID() };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api(
          web.url,
          key,
          "POST",
          `/sub-orders/${id}/cancel`,
          { reasonCode: TEST_REASON, mode: "strict" },
          sameKey,
        ),
      ),
    );
    await fakes.setLatency("wms", 50);
    await settled("one Idempotency-Key");
    const facts = await factsOf("CC-IDEM");
    // The same status and body (stored replays come back from jsonb: same members, another order).
    const distinctAnswers = new Set(responses.map((r) => `${r.status} ${canonical(r.json)}`));
    const replayed = responses.filter((r) => r.headers.get("idempotent-replayed") === "true").length;
    const entries = await count(sql`SELECT count(*)::int AS n FROM cancellations WHERE sub_order_id = ${id}`);
    const wms = (await fakes.report("wms")).requests.filter(
      (r) =>
        (r.body as { data?: { cancellation?: { order_no?: string } } }).data?.cancellation?.order_no === id,
    );
    const serverErrors = serverErrorsSince(from);
    recordCase({
      case: "concurrency: 50 parallel cancels with one Idempotency-Key",
      rowsProcessed: responses.length,
      doubleCancellations: entries - 1 + facts.overCancelledLines + facts.wmsOrdersUnderTwoKeys,
      stuckReservations: facts.reservedUnits + facts.pendingEntries,
      disagreements: facts.mismatchedLines + (distinctAnswers.size - 1),
      serverErrors,
    });
    expectClean(facts, serverErrors, { wholeCancels: true });
    // One cancellation, one warehouse call; every request got the first one's answer.
    expect(entries).toBe(1);
    expect(new Set(wms.map((r) => r.idempotencyKey)).size).toBe(1);
    expect([...distinctAnswers].map((a) => a.slice(0, 3))).toEqual([expect.stringMatching(/^20[02]$/)]);
    expect(distinctAnswers.size).toBe(1);
    expect(replayed).toBe(49);
  });
});
