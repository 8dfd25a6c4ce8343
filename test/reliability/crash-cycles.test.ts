/**
 * Crash cycles: 20,000 rows (a sub-order file and a line-item file, uploaded and started through
 * the web process's REST API with an API key) run by two `npm run worker` processes and a web
 * process that runs the background work too, while worker processes are SIGKILLed at seeded random
 * moments (and restarted) ten times and the web process twice. Rows go through the fake WMS
 * (with latency), confirmations to the fake dropship channel.
 *
 * Afterwards every row has exactly one final outcome, nothing is reserved or pending, the ledger
 * equals the lines' totals, the WMS saw each order under one idempotency key and cancelled exactly
 * the orders the panel confirmed, and the channel holds every confirmed cancellation.
 */
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import type { Db } from "@/db/client";
import { FAKE_DROPSHIP_TOKEN } from "@/dev/fakes/dropship";
import { FAKE_WMS_API_KEY } from "@/dev/fakes/wms";
import { createRandom } from "@/dev/random";
import {
  connectFixtures,
  insertBulkSubOrders,
  insertReferenceData,
  ledgerReport,
  waitFor,
} from "@/test/fixtures";
import {
  analyzeAfterRun,
  createUploadKey,
  doublyCancelledSubOrders,
  missingFrom,
  openWork,
  ordersUnderSeveralKeys,
  panelVerdicts,
  rowStatuses,
  sleep,
  uploadAndStart,
} from "./outcome-checks";
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

const SEED = 16;
const WEB_PORT = 3201;
/** Sub-order file: whole sub-orders on the 3PL warehouse; every 40th the WMS refuses (stock allocated). */
const SUB_ORDERS = 12_000;
/** Line-item file, 3PL warehouse: both lines of each sub-order in full (the WMS cancels whole orders only). */
const LINE_SUB_ORDERS_WMS = 3_000;
/** Line-item file, manual warehouse: one unit of SKU-1 (of 2) and both of SKU-2, so the channel gets item cancels. */
const LINE_SUB_ORDERS_MANUAL = 1_000;
const TOTAL_ROWS = SUB_ORDERS + 2 * LINE_SUB_ORDERS_WMS + 2 * LINE_SUB_ORDERS_MANUAL;
const WORKER_KILLS = 10;
const WEB_KILLS = 2;
const WMS_LATENCY_MS = 30;

test("crash cycles: 20,000 rows, workers and the web process SIGKILLed at random moments", async () => {
  expect(TOTAL_ROWS).toBe(20_000);
  const t0 = Date.now();
  const lap = (what: string) => console.log(`[crash-cycles] ${what} at ${Date.now() - t0} ms`);
  const database = await createReliabilityDatabase();
  const { db } = database;
  let fakes: FakesProcess | undefined;
  let web: WebProcess | undefined;
  const workers: ManagedProcess[] = [];
  try {
    await insertReferenceData(db);
    const subOrders = await insertBulkSubOrders(db, "CC-S", SUB_ORDERS, "WH-WMS");
    const lineWms = await insertBulkSubOrders(db, "CC-LW", LINE_SUB_ORDERS_WMS, "WH-WMS");
    const lineManual = await insertBulkSubOrders(db, "CC-LM", LINE_SUB_ORDERS_MANUAL, "WH-MANUAL");
    const apiKey = await createUploadKey(db);
    lap("world inserted");

    fakes = await startFakesProcess(database.url);
    await fakes.setLatency("wms", WMS_LATENCY_MS);
    const refused = subOrders.filter((_, i) => i % 40 === 7);
    await fakes.wmsRefuse(refused);
    await connectFixtures(db, {
      wms: { url: fakes.urls.wms, apiKey: FAKE_WMS_API_KEY, timeoutMs: 2_000, maxAttempts: 1 },
      channel: {
        connector: "dropship",
        url: fakes.urls.dropship,
        token: FAKE_DROPSHIP_TOKEN,
        maxAttempts: 1_000,
      },
    });

    const startWebProcess = () => startWeb(database.url, WEB_PORT, { WEB_RUNS_WORKER: "on" });
    let generation = 0;
    const startWorkerProcess = (slot: number) => startWorker(database.url, `worker-${slot}.${generation++}`);
    lap("fakes started");
    web = await startWebProcess();
    lap("web started");
    workers.push(startWorkerProcess(0), startWorkerProcess(1));

    const started = Date.now();
    const subOrderFile = await uploadAndStart(web.url, apiKey, {
      kind: "sub_orders",
      fileName: "crash-cycles-sub-orders.csv",
      csv: ["Sub Order ID", ...subOrders, ""].join("\r\n"),
    });
    const lineItemFile = await uploadAndStart(web.url, apiKey, {
      kind: "line_items",
      fileName: "crash-cycles-line-items.csv",
      csv: [
        "Sub Order ID,SKU ID,Quantity",
        ...lineWms.flatMap((id) => [`${id},SKU-1,2`, `${id},SKU-2,2`]),
        ...lineManual.flatMap((id) => [`${id},SKU-1,1`, `${id},SKU-2,2`]),
        "",
      ].join("\r\n"),
    });
    const batchIds = [subOrderFile.batchId, lineItemFile.batchId];
    expect(subOrderFile.totalRows + lineItemFile.totalRows).toBe(TOTAL_ROWS);
    console.log(`[crash-cycles] both files uploaded and started in ${Date.now() - started} ms`);

    // The kills: ten of a worker, two of the web process, in a seeded order at seeded moments.
    const random = createRandom(SEED);
    const plan = random.shuffle([
      ...Array.from({ length: WORKER_KILLS }, () => "worker" as const),
      ...Array.from({ length: WEB_KILLS }, () => "web" as const),
    ]);
    let kills = 0;
    let killsWhileRowsOpen = 0;
    for (const target of plan) {
      await sleep(random.int(500, 2_500));
      const done = await rowStatuses(db, batchIds);
      if ((done.PENDING ?? 0) + (done.WAITING ?? 0) > 0) killsWhileRowsOpen++;
      if (target === "worker") {
        const slot = random.int(0, workers.length - 1);
        const victim = workers[slot];
        if (!victim) throw new Error(`no worker in slot ${slot}`);
        await victim.kill("SIGKILL");
        workers[slot] = startWorkerProcess(slot);
        console.log(`[crash-cycles] SIGKILL ${victim.name} at ${JSON.stringify(done)}`);
      } else {
        await web.kill("SIGKILL");
        console.log(`[crash-cycles] SIGKILL ${web.name} at ${JSON.stringify(done)}`);
        web = await startWebProcess();
      }
      kills++;
    }
    console.log(
      `[crash-cycles] ${kills} kills (${killsWhileRowsOpen} while rows were open) done after ${Date.now() - started} ms`,
    );

    // Whatever a killed process held comes back when its claims run out; then everything settles.
    let last = 0;
    await waitFor(
      async () => {
        const work = await openWork(db, batchIds);
        if (Date.now() - last > 10_000) {
          last = Date.now();
          console.log(`[crash-cycles] ${Date.now() - started} ms: ${JSON.stringify(work)}`);
        }
        return work.openItems === 0 && work.pendingEntries === 0 && work.undelivered === 0;
      },
      200_000,
      "every row answered and every confirmation delivered",
    );
    console.log(`[crash-cycles] settled after ${Date.now() - started} ms`);

    // Every row has exactly one final outcome: only the WMS's refusals failed.
    await analyzeAfterRun(db);
    const statuses = await rowStatuses(db, batchIds);
    const outcomes = await db.execute<{
      sub_order_id: string;
      status: string;
      error_code: string | null;
    }>(sql`
      SELECT sub_order_id, status, error_code FROM batch_items
       WHERE batch_id = ANY(${sql.param(batchIds)}::uuid[])`);
    const refusedSet = new Set(refused);
    const wrongOutcome = outcomes.rows.filter((r) =>
      refusedSet.has(r.sub_order_id)
        ? r.status !== "ERROR" || r.error_code !== "DOWNSTREAM_REJECTED"
        : r.status !== "SUCCESS",
    );
    const withOutcome = (statuses.SUCCESS ?? 0) + (statuses.ERROR ?? 0);
    const rowsLost = TOTAL_ROWS - withOutcome;

    // Nothing cancelled twice: one confirmed entry per sub-order, no line over its quantity, and
    // the WMS asked about each order under exactly one key.
    const wmsReport = await fakes.report("wms");
    const severalKeys = ordersUnderSeveralKeys(wmsReport);
    const doubles = await doublyCancelledSubOrders(db);

    // Nothing stuck: no unit reserved, no entry pending, every line's total equals its ledger.
    const ledger = await ledgerReport(db);

    // The panel and the WMS agree on every order; the channel holds every confirmed cancellation.
    const wmsCancelled = new Set(await fakes.wmsCancelled());
    const panel = await panelVerdicts(db, batchIds, "WH-WMS");
    const cancelledNotConfirmed = missingFrom(wmsCancelled, panel.confirmed);
    const confirmedNotCancelled = missingFrom(panel.confirmed, wmsCancelled);
    const failedButCancelled = [...panel.failed.keys()].filter((id) => wmsCancelled.has(id));

    const confirmedEntries = await db.execute<{ id: string }>(
      sql`SELECT id FROM cancellations WHERE status = 'CONFIRMED'`,
    );
    const channelReport = await fakes.report("dropship");
    const keysAtChannel = new Set(
      channelReport.requests.map((r) => (r.idempotencyKey ?? "").split(":")[0] ?? ""),
    );
    const notAtChannel = missingFrom(
      confirmedEntries.rows.map((r) => r.id),
      keysAtChannel,
    );
    const notDelivered = await db.execute<{
      cancellation_id: string;
      state: string;
      last_error: string | null;
    }>(sql`SELECT cancellation_id, state, last_error FROM channel_notifications WHERE state <> 'delivered'`);
    const channelDisagrees = await channelDisagreements(db, fakes);
    // Deduplicated by key at the receiver: one call per whole-order cancellation, one per item of
    // the manual warehouse's line cancels (each call has its own key). More would be a second
    // delivery under another key, fewer a lost one.
    const expectedDeliveries = SUB_ORDERS - refused.length + LINE_SUB_ORDERS_WMS + 2 * LINE_SUB_ORDERS_MANUAL;
    const extraDeliveries = Math.max(0, channelReport.distinctDeliveries - expectedDeliveries);
    const missingDeliveries = Math.max(0, expectedDeliveries - channelReport.distinctDeliveries);

    const disagreements =
      cancelledNotConfirmed.length +
      confirmedNotCancelled.length +
      failedButCancelled.length +
      wrongOutcome.length +
      notAtChannel.length +
      missingDeliveries +
      notDelivered.rows.length +
      channelDisagrees.length;
    recordCase({
      case: `crash cycles: ${TOTAL_ROWS.toLocaleString("en-US")} rows, ${kills} SIGKILLs (${WORKER_KILLS} worker, ${WEB_KILLS} web)`,
      faultsInjected: kills,
      rowsProcessed: withOutcome,
      rowsLost,
      doubleCancellations: severalKeys.length + doubles.length + extraDeliveries,
      stuckReservations: ledger.reservedUnits + ledger.pendingEntries + ledger.mismatchedLines.length,
      disagreements,
    });
    console.log(
      `[crash-cycles] ${JSON.stringify(statuses)}; WMS: ${wmsReport.requests.length} requests, ${wmsReport.replays} replays; ` +
        `channel: ${channelReport.requests.length} requests, ${channelReport.replays} replays`,
    );

    expect(kills).toBe(WORKER_KILLS + WEB_KILLS);
    // The kills met work in flight (the first comes at most 2.5 s after the start of 20,000 rows).
    expect(killsWhileRowsOpen).toBeGreaterThan(0);
    expect(statuses).toEqual({ ERROR: refused.length, SUCCESS: TOTAL_ROWS - refused.length });
    expect(wrongOutcome).toEqual([]);
    expect(severalKeys).toEqual([]);
    expect(doubles).toEqual([]);
    expect(ledger).toEqual({ mismatchedLines: [], reservedUnits: 0, pendingEntries: 0 });
    expect({ cancelledNotConfirmed, confirmedNotCancelled, failedButCancelled }).toEqual({
      cancelledNotConfirmed: [],
      confirmedNotCancelled: [],
      failedButCancelled: [],
    });
    // Every sub-order of the WMS cancelled once at the warehouse, none of the refused ones.
    expect(wmsCancelled.size).toBe(SUB_ORDERS - refused.length + LINE_SUB_ORDERS_WMS);
    expect(confirmedEntries.rows).toHaveLength(
      SUB_ORDERS - refused.length + LINE_SUB_ORDERS_WMS + LINE_SUB_ORDERS_MANUAL,
    );
    expect(notAtChannel).toEqual([]);
    expect(channelReport.distinctDeliveries).toBe(expectedDeliveries);
    expect(notDelivered.rows).toEqual([]);
    expect(channelDisagrees).toEqual([]);
  } finally {
    lap("checked");
    await Promise.all([...workers.map((w) => w.kill("SIGKILL")), web?.kill("SIGKILL")]);
    await fakes?.close();
    await database.drop();
    lap("cleaned up");
  }
}, 360_000);

/**
 * Orders whose units the channel still holds open differ from the panel's: the channel's view
 * (its items not cancelled, replacements included) against ordered − cancelled of every line. An
 * order the channel never heard of counts as fully open there.
 */
async function channelDisagreements(
  db: Db,
  fakes: FakesProcess,
): Promise<{ order: string; panel: number; channel: number | null }[]> {
  const channelOrders = new Map(
    (await fakes.dropshipOrders()).map((o) => [
      o._id,
      o.items.filter((i) => !i.cancelled).reduce((sum, i) => sum + i.quantity, 0),
    ]),
  );
  const panel = await db.execute<{ channel_order_id: string; open: number; cancelled: number }>(sql`
    SELECT o.channel_order_id, sum(li.ordered - li.cancelled)::int AS open, sum(li.cancelled)::int AS cancelled
      FROM orders o JOIN sub_orders so ON so.order_id = o.id JOIN line_items li ON li.sub_order_id = so.id
     GROUP BY o.channel_order_id`);
  const differing: { order: string; panel: number; channel: number | null }[] = [];
  for (const row of panel.rows) {
    const atChannel = channelOrders.get(row.channel_order_id);
    if (atChannel === undefined ? row.cancelled > 0 : atChannel !== row.open) {
      differing.push({ order: row.channel_order_id, panel: row.open, channel: atChannel ?? null });
    }
  }
  return differing;
}
