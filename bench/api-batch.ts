// The big file through the REST API: `POST /api/v1/cancellation-batches?start=true` with the CSV
// as the body, to a production server (`next start`) with a separate worker process, both on the
// bench's PostgreSQL database, then `GET /api/v1/cancellation-batches/{id}` until it completes.
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { createApiClient } from "@/lib/api/client";
import { insertBulkSubOrders, TEST_REASON } from "@/test/fixtures";
import { createUploadKey } from "@/test/reliability/outcome-checks";
import { startWeb, startWorker } from "@/test/reliability/stack";
import { ensureProductionBuild } from "./harness";

const PORT = 3190;

export type ApiBatchRun = { ms: number; postMs: number; success: number; error: number };

/** Upload, checks, dry run, start and the run to its end, as an integration sees it: wall time. */
export async function benchApiBatch(
  db: Db,
  databaseUrl: string,
  rows: number,
  log: (message: string) => void,
): Promise<ApiBatchRun> {
  ensureProductionBuild(log);
  const ids = await insertBulkSubOrders(db, "SO-API", rows);
  const csv = `Sub Order ID\n${ids.join("\n")}\n`;
  const secret = await createUploadKey(db);
  // Throwaway secrets for a throwaway database: production refuses to start without its own.
  const secrets = {
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
    CONNECTOR_SECRET_KEY: randomBytes(32).toString("base64"),
  };
  const worker = startWorker(databaseUrl, "bench-worker", { ...secrets, WORKER_LOOPS: "2" });
  const web = await startWeb(databaseUrl, PORT, secrets);
  try {
    const api = createApiClient({ baseUrl: web.url, apiKey: secret });
    const started = performance.now();
    const { data, error } = await api.POST("/cancellation-batches", {
      params: {
        query: { kind: "sub_orders", reasonCode: TEST_REASON, start: "true", fileName: "bulk-api.csv" },
      },
      body: csv as never,
      bodySerializer: (body: unknown) => body as string,
      headers: { "Content-Type": "text/csv" },
    });
    if (!data) throw new Error(`the upload was refused: ${JSON.stringify(error)}`);
    const batchId = data.data.batch.id;
    const postMs = performance.now() - started;
    for (;;) {
      const polled = await api.GET("/cancellation-batches/{id}", { params: { path: { id: batchId } } });
      if (!polled.data) throw new Error(`polling failed: ${JSON.stringify(polled.error)}`);
      const { progress } = polled.data.data;
      if (progress.status === "completed") {
        return { ms: performance.now() - started, postMs, success: progress.success, error: progress.error };
      }
      // An integration polls now and then; every poll counts the items of a 100,000-row batch.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await web.kill("SIGTERM");
    await worker.kill("SIGTERM");
  }
}
