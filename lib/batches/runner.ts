import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
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
  private running = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: RunnerOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.options.workers ?? 1 }, () => this.loop());
  }

  /** Something was queued: look now instead of at the next idle tick. */
  notify(): void {
    for (const wake of this.wake.splice(0)) wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await Promise.all(this.loops);
  }

  /** Processes until no batch has runnable work (tests, the bench, a one-shot worker). */
  async runUntilIdle(): Promise<void> {
    for (
      let batchId = await findRunnableBatch(this.db);
      batchId;
      batchId = await findRunnableBatch(this.db)
    ) {
      await this.processSafely(batchId);
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const batchId = await findRunnableBatch(this.db);
        if (batchId) {
          await this.processSafely(batchId);
          continue;
        }
      } catch (error) {
        console.error("[batch-runner] could not look for work; retrying", error);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.idleMs ?? 1_000);
        this.wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
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

// One runner per server process, shared by hot-reloaded modules.
const globalForRunner = globalThis as unknown as { __omsBatchRunner?: BatchRunner };

export function startProcessRunner(db: Db, options: RunnerOptions): BatchRunner {
  globalForRunner.__omsBatchRunner ??= new BatchRunner(db, options);
  globalForRunner.__omsBatchRunner.start();
  return globalForRunner.__omsBatchRunner;
}

/** Wakes this process's runner, if it hosts one; other processes find the work on their next look. */
export function notifyProcessRunner(): void {
  globalForRunner.__omsBatchRunner?.notify();
}
