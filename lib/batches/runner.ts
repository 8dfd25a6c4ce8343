import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { PollingLoop } from "@/lib/server/polling-loop";
import { type ChunkOptions, completeBatchIfDone, findRunnableBatch, processChunk } from "./process-chunk";

export type RunnerOptions = ChunkOptions & {
  /** Loops claiming chunks at once in this process (PGlite has one connection: keep 1). */
  workers?: number;
  /** How long an idle loop sleeps before looking for work again, unless woken by notify(). */
  idleMs?: number;
};

/**
 * Works through every started batch, in any number of processes at once: the batch tables
 * are the queue. Stops only when asked; an item it was holding when the process died is
 * taken again by whichever runner looks next.
 */
export class BatchRunner {
  private readonly loop: PollingLoop;

  constructor(
    private readonly db: Db,
    private readonly options: RunnerOptions = {},
  ) {
    this.loop = new PollingLoop("batch-runner", () => this.processNext(), {
      idleMs: options.idleMs ?? 1_000,
      loops: options.workers ?? 1,
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Something was queued: look now instead of at the next idle tick. */
  notify(): void {
    this.loop.notify();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Processes until no batch has runnable work (tests, the bench, a one-shot worker). */
  async runUntilIdle(): Promise<void> {
    while (await this.processNext()) {}
  }

  private async processNext(): Promise<boolean> {
    const batchId = await findRunnableBatch(this.db);
    if (!batchId) return false;
    await this.processSafely(batchId);
    return true;
  }

  /**
   * A chunk that fails unexpectedly rolls back whole, so nothing is half-applied; its items
   * are then taken one at a time, so a single poisonous item fails alone and the rest go on.
   */
  private async processSafely(batchId: string): Promise<void> {
    const chunkSize = this.options.chunkSize ?? 500;
    try {
      await processChunk(this.db, batchId, this.options);
      return;
    } catch (error) {
      console.error(`[batch-runner] chunk of batch ${batchId} failed; isolating its items`, error);
    }
    for (let i = 0; i < chunkSize; i++) {
      try {
        if ((await processChunk(this.db, batchId, { ...this.options, chunkSize: 1 })) === 0) break;
      } catch (error) {
        console.error(`[batch-runner] an item of batch ${batchId} failed`, error);
        await failNextItem(this.db, batchId);
      }
    }
    await completeBatchIfDone(this.db, batchId);
  }
}

/** Records the next claimable item as an internal error; nothing was cancelled for it. */
async function failNextItem(db: Db, batchId: string): Promise<void> {
  await db.execute(sql`
    UPDATE batch_items SET status = 'ERROR', error_code = 'INTERNAL_ERROR',
           error_message = 'Unexpected error while cancelling; nothing was cancelled for this row. Try it again.',
           processed_at = now(), updated_at = now(), attempts = attempts + 1
     WHERE id = (SELECT id FROM batch_items
                  WHERE batch_id = ${batchId} AND status = 'PENDING' AND (lease_until IS NULL OR lease_until < now())
                  ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)`);
}

// The runner this process hosts, if any, so a Start wakes it at once.
const globalForRunner = globalThis as unknown as { __omsBatchRunner?: BatchRunner };

export function registerProcessRunner(runner: BatchRunner): void {
  globalForRunner.__omsBatchRunner = runner;
}

/** Wakes this process's runner, if it hosts one; other processes find the work on their next look. */
export function notifyProcessRunner(): void {
  globalForRunner.__omsBatchRunner?.notify();
}
