import http from "node:http";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type Db, POSTGRES_OPTIONS } from "@/db/client";
import { BatchRunner, type RunnerOptions } from "@/lib/batches/runner";
import { startBatch } from "@/lib/batches/start-batch";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import type { WarehouseGate } from "@/lib/connectors/types";
import { createSubOrderBatch, insertBulkSubOrders, TEST_REASON } from "@/test/fixtures";

const creator = { type: "user", id: "bench", name: "Bench" } as const;

export const makeSubOrderBatch = (db: Db, ids: string[], fileSha256: string) =>
  createSubOrderBatch(db, ids, { fileSha256, createdBy: creator });

/** Start to last status stored: what an operator waits for after pressing Start. */
export async function runBatchToEnd(db: Db, batchId: string, options: RunnerOptions): Promise<number> {
  const started = performance.now();
  await startBatch(db, { batchId, confirmDuplicate: true, now: new Date() });
  const runner = new BatchRunner(db, { idleMs: 20, ...options });
  runner.start();
  for (;;) {
    const [batch] = (
      await db.execute<{ status: string }>(sql`SELECT status FROM batches WHERE id = ${batchId}`)
    ).rows;
    if (batch?.status === "completed") break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ms = performance.now() - started;
  await runner.stop();
  return ms;
}

/**
 * The raw floor: the same row updates (line totals and row statuses), set-based, 1,000 rows
 * per transaction, with nothing of ours in between. `client` is plain `pg` on PostgreSQL.
 */
export async function rawFloor(
  query: (text: string, params: unknown[]) => Promise<unknown>,
  ids: string[],
  batchId: string,
): Promise<number> {
  const started = performance.now();
  for (let start = 0; start < ids.length; start += 1_000) {
    const chunk = ids.slice(start, start + 1_000);
    await query("BEGIN", []);
    await query(
      "UPDATE line_items SET cancelled = ordered - fulfilled - processing - pending_cancel, updated_at = now() WHERE sub_order_id = ANY($1::text[])",
      [chunk],
    );
    await query(
      "UPDATE batch_items SET status = 'SUCCESS', processed_at = now(), updated_at = now() WHERE batch_id = $1 AND sub_order_id = ANY($2::text[])",
      [batchId, chunk],
    );
    await query("COMMIT", []);
  }
  return performance.now() - started;
}

export async function plainPgQuery(url: string) {
  // The app's planner settings: the floor is what the same connection could do at best.
  const client = new pg.Client({ connectionString: url, options: POSTGRES_OPTIONS });
  await client.connect();
  return {
    query: async (text: string, params: unknown[]) => client.query(text, params),
    close: () => client.end(),
  };
}

/**
 * The naive path: a client loop making one request per row to a server that cancels that
 * one row in its own transaction, as a page calling a server action per row would.
 */
export async function naivePerRow(db: Db, ids: string[]): Promise<number> {
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const { subOrderId } = JSON.parse(body) as { subOrderId: string };
    const result = await cancelSubOrder(db, {
      subOrderId,
      mode: "strict",
      reasonCode: TEST_REASON,
      actor: { type: "user", id: "bench" },
      source: "single",
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(result));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  const started = performance.now();
  for (const subOrderId of ids) {
    const response = await fetch(`http://127.0.0.1:${address.port}/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ subOrderId }),
    });
    await response.json();
  }
  const ms = performance.now() - started;
  await new Promise((resolve) => server.close(resolve));
  return ms;
}

/** Wraps a gate to watch how many calls are in flight, overall and per sub-order. */
export function watchInFlight(gate: WarehouseGate) {
  const perSubOrder = new Map<string, number>();
  const stats = { maxInFlight: 0, maxPerSubOrder: 0, calls: 0 };
  let inFlight = 0;
  const watched: WarehouseGate = async (request) => {
    stats.calls++;
    inFlight++;
    const mine = (perSubOrder.get(request.subOrderId) ?? 0) + 1;
    perSubOrder.set(request.subOrderId, mine);
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    stats.maxPerSubOrder = Math.max(stats.maxPerSubOrder, mine);
    try {
      return await gate(request);
    } finally {
      inFlight--;
      perSubOrder.set(request.subOrderId, (perSubOrder.get(request.subOrderId) ?? 1) - 1);
    }
  };
  return { gate: watched, stats };
}

export { insertBulkSubOrders };
