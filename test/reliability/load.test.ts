/**
 * Load: 50 concurrent API clients on loopback for RELIABILITY_LOAD_SECONDS (60 by default) against
 * `next start` (the API key rate limit set high by startWeb), a worker and the fakes process,
 * mixing the reads of an integration (order search, an order, a sub-order), cancels (whole
 * sub-orders and single units of a line, each with an Idempotency-Key, some sent twice as a
 * client retrying would) and order intake updates. A bounded script with fetch: each client sends
 * its next request when the last is answered. Afterwards: no 5xx and no failed request, p50 and
 * p99 recorded, and the quantity invariant holds (ledger = line totals, cancelled + shipped + in
 * processing ≤ ordered, nothing reserved, no Idempotency-Key that cancelled twice).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { percentile } from "@/bench/harness";
import { FAKE_WMS_API_KEY } from "@/dev/fakes/wms";
import { mulberry32 } from "@/dev/random";
import {
  connectFixtures,
  insertBulkSubOrders,
  insertReferenceData,
  ledgerReport,
  TEST_REASON,
  waitFor,
} from "@/test/fixtures";
import { apiKey, createRoleUsers } from "./http";
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

const PORT = 3215;
/** 50 by default (RELIABILITY_LOAD_CLIENTS): fewer show the latency of the same mix without queueing. */
const CLIENTS = Number(process.env.RELIABILITY_LOAD_CLIENTS ?? 50);
const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 60);
/** Sub-orders the clients work on: most at a manual warehouse, some behind the fake WMS. */
const MANUAL = 600;
const WMS = 150;

let database: Awaited<ReturnType<typeof createReliabilityDatabase>>;
let web: WebProcess;
let worker: ManagedProcess;
let fakes: FakesProcess;
let key = "";
let subOrders: { id: string; warehouse: "WH-MANUAL" | "WH-WMS" }[] = [];

beforeAll(async () => {
  if (!Number.isFinite(SECONDS) || SECONDS <= 0)
    throw new Error("RELIABILITY_LOAD_SECONDS must be a positive number");
  database = await createReliabilityDatabase(10);
  await insertReferenceData(database.db);
  fakes = await startFakesProcess(database.url, { latencyMs: 20 });
  await connectFixtures(database.db, {
    wms: { url: fakes.urls.wms, apiKey: FAKE_WMS_API_KEY, timeoutMs: 5_000 },
  });
  const manual = await insertBulkSubOrders(database.db, "LD-M", MANUAL, "WH-MANUAL");
  const wms = await insertBulkSubOrders(database.db, "LD-W", WMS, "WH-WMS");
  subOrders = [
    ...manual.map((id) => ({ id, warehouse: "WH-MANUAL" as const })),
    ...wms.map((id) => ({ id, warehouse: "WH-WMS" as const })),
  ];
  const users = await createRoleUsers(database.db, ["admin"]);
  key = await apiKey(database.db, ["read", "cancel", "orders:write"], users.get("admin") ?? "");
  web = await startWeb(database.url, PORT);
  worker = startWorker(database.url);
});

afterAll(async () => {
  await Promise.all([web?.kill(), worker?.kill(), fakes?.close()]);
  await database?.drop();
});

type Kind = "search" | "order" | "sub-order" | "cancel" | "cancel-replay" | "line-cancel" | "intake";
type Sample = { kind: Kind; status: number; ms: number };

/** Cumulative weights of each kind of request. */
const MIX: [Kind, number][] = [
  ["search", 0.2],
  ["order", 0.35],
  ["sub-order", 0.55],
  ["cancel", 0.7],
  ["line-cancel", 0.85],
  ["intake", 1],
];

test(`load: ${CLIENTS} API clients for ${SECONDS} s`, async () => {
  const samples: Sample[] = [];
  const failures: string[] = [];
  /** Intake quantities only go up (2 → 5), so an update is refused only when it races another. */
  const ordered = new Map<string, number>();

  const send = async (
    kind: Kind,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const started = performance.now();
    try {
      const response = await fetch(`${web.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await response.arrayBuffer();
      samples.push({ kind, status: response.status, ms: performance.now() - started });
      if (response.status >= 500) failures.push(`${method} ${path}: ${response.status}`);
    } catch (error) {
      failures.push(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const manualSubOrders = subOrders.filter((s) => s.warehouse === "WH-MANUAL");
  const client = async (n: number, deadline: number) => {
    const random = mulberry32(1_000 + n);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    while (Date.now() < deadline) {
      const roll = random();
      const kind = MIX.find(([, upTo]) => roll < upTo)?.[0] ?? "search";
      const subOrder = pick(subOrders);
      const orderId = `ORD-${subOrder.id}`;
      switch (kind) {
        case "search":
          await send(
            kind,
            "GET",
            `/orders?${new URLSearchParams({ q: pick(["ORD-LD-M-1", "LD-W-2", "Bulk", "SKU-1"]), limit: "20" })}`,
          );
          break;
        case "order":
          await send(kind, "GET", `/orders/${orderId}`);
          break;
        case "sub-order":
          await send(kind, "GET", `/sub-orders/${subOrder.id}`);
          break;
        case "cancel": {
          const idempotency = { "idempotency-key": crypto.randomUUID() };
          const body = { reasonCode: TEST_REASON, mode: pick(["strict", "unfulfilled_only"] as const) };
          await send(kind, "POST", `/sub-orders/${subOrder.id}/cancel`, body, idempotency);
          // A client that did not trust the answer sends it again with the same key.
          if (random() < 0.3)
            await send("cancel-replay", "POST", `/sub-orders/${subOrder.id}/cancel`, body, idempotency);
          break;
        }
        case "line-cancel":
          // Units of a line at the manual warehouse: the WMS cancels whole sales orders only (a
          // partial cancel there is refused as DOWNSTREAM_REJECTED, which an integration learns once).
          await send(
            kind,
            "POST",
            `/sub-orders/${pick(manualSubOrders).id}/lines/${pick(["SKU-1", "SKU-2"])}/cancel`,
            { reasonCode: TEST_REASON, quantity: 1 },
            { "idempotency-key": crypto.randomUUID() },
          );
          break;
        case "intake": {
          const quantity = Math.min(5, (ordered.get(orderId) ?? 2) + (random() < 0.5 ? 1 : 0));
          ordered.set(orderId, quantity);
          await send(kind, "PUT", `/channels/CH-TEST/orders/${orderId}`, {
            orderNumber: orderId,
            currency: "INR",
            customerName: "Bulk",
            subOrders: [
              {
                id: subOrder.id,
                warehouseId: subOrder.warehouse,
                lines: ["SKU-1", "SKU-2"].map((sku) => ({
                  sku,
                  channelItemId: `${subOrder.id}:${sku}`,
                  quantity,
                  unitPriceMinor: 1250,
                })),
              },
            ],
          });
          break;
        }
      }
    }
  };

  const started = Date.now();
  const deadline = started + SECONDS * 1_000;
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n, deadline)));
  const elapsed = (Date.now() - started) / 1_000;

  await waitFor(
    async () => {
      const report = await ledgerReport(database.db);
      return report.pendingEntries === 0 && report.reservedUnits === 0;
    },
    30_000,
    "every reservation answered after the load",
  );
  const report = await ledgerReport(database.db);
  const { rows: over } = await database.db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM line_items li
     WHERE li.cancelled + li.fulfilled + li.processing > li.ordered
        OR li.ordered < coalesce((SELECT sum(cl.quantity) FROM cancellation_lines cl
                                    JOIN cancellations c ON c.id = cl.cancellation_id
                                   WHERE cl.line_item_id = li.id AND c.status = 'CONFIRMED'), 0)`);
  const { rows: twice } = await database.db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (SELECT request_key FROM cancellations WHERE request_key IS NOT NULL
                                     GROUP BY actor_type, actor_id, request_key HAVING count(*) > 1) k`);
  const { rows: totals } = await database.db.execute<{ entries: number; units: number }>(sql`
    SELECT (SELECT count(*)::int FROM cancellations WHERE status = 'CONFIRMED') AS entries,
           (SELECT coalesce(sum(cancelled), 0)::int FROM line_items) AS units`);

  const latencies = samples.map((s) => s.ms);
  const p50 = Math.round(percentile(latencies, 50) * 10) / 10;
  const p99 = Math.round(percentile(latencies, 99) * 10) / 10;
  const serverErrors = samples.filter((s) => s.status >= 500).length;
  const byKind = Object.fromEntries(
    [...new Set(samples.map((s) => s.kind))].map((kind) => {
      const of = samples.filter((s) => s.kind === kind);
      const statuses: Record<number, number> = {};
      for (const s of of) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
      return [
        kind,
        {
          n: of.length,
          p50: Math.round(
            percentile(
              of.map((s) => s.ms),
              50,
            ),
          ),
          p99: Math.round(
            percentile(
              of.map((s) => s.ms),
              99,
            ),
          ),
          statuses,
        },
      ];
    }),
  );
  recordCase({
    case: `load: ${CLIENTS} API clients for ${SECONDS} s (reads, cancels, intake updates)`,
    rowsProcessed: samples.length,
    doubleCancellations: (over[0]?.n ?? 0) + (twice[0]?.n ?? 0),
    stuckReservations: report.reservedUnits + report.pendingEntries,
    disagreements: report.mismatchedLines.length,
    serverErrors: serverErrors + (failures.length - serverErrors),
    p50Ms: p50,
    p99Ms: p99,
  });
  console.log(
    `load: ${samples.length} requests in ${elapsed.toFixed(1)} s (${(samples.length / elapsed).toFixed(0)}/s) from ${CLIENTS} clients; p50 ${p50} ms, p99 ${p99} ms; ${serverErrors} 5xx, ${failures.length} failed; ${totals[0]?.entries ?? 0} cancellations, ${totals[0]?.units ?? 0} units cancelled\n${JSON.stringify(byKind, null, 1)}`,
  );
  expect(failures.slice(0, 20)).toEqual([]);
  expect(serverErrors).toBe(0);
  expect(Object.keys(byKind).sort()).toEqual([
    "cancel",
    "cancel-replay",
    "intake",
    "line-cancel",
    "order",
    "search",
    "sub-order",
  ]);
  expect({
    overCancelledLines: over[0]?.n ?? 0,
    keysThatCancelledTwice: twice[0]?.n ?? 0,
    mismatchedLines: report.mismatchedLines,
    reservedUnits: report.reservedUnits,
    pendingEntries: report.pendingEntries,
  }).toEqual({
    overCancelledLines: 0,
    keysThatCancelledTwice: 0,
    mismatchedLines: [],
    reservedUnits: 0,
    pendingEntries: 0,
  });
  // The load did cancel: every kind of request was answered, cancels among them.
  expect(totals[0]?.entries ?? 0).toBeGreaterThan(0);
});
