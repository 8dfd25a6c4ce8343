import "server-only";
import type { Db } from "@/db/client";
import { type AskSettings, WarehouseAsker } from "@/lib/cancellation/service/ask-warehouse";
import { completeBatches } from "@/lib/cancellation/service/resolve-reservations";
import { recordHeartbeat } from "@/lib/server/heartbeats";
import { PollingLoop } from "@/lib/server/polling-loop";
import { ChunkFailure, type ChunkOptions, failItem, findRunnableBatch, processChunk } from "./process-chunk";

export type RunnerOptions = Omit<ChunkOptions, "itemIds" | "forceGate"> &
  Partial<AskSettings> & {
    /** Loops claiming chunks at once in this process (PGlite has one connection: keep 1). */
    workers?: number;
    /** How long an idle loop sleeps before looking for work again, unless woken by notify(). */
    idleMs?: number;
  };

/**
 * Works through every started batch, in any number of processes at once: the batch tables are the
 * queue. Chunk loops record cancellations (reserving units where a warehouse must agree); the
 * warehouse asker asks those warehouses, and asks again whatever is still waiting for an answer,
 * batch or not. Stops only when asked; work a process was holding when it died is taken again.
 */
export class BatchRunner {
  private readonly chunks: PollingLoop;
  private readonly asking: PollingLoop;
  private readonly asker: WarehouseAsker;

  constructor(
    private readonly db: Db,
    private readonly options: RunnerOptions = {},
  ) {
    const idleMs = options.idleMs ?? 1_000;
    this.asker = new WarehouseAsker(db, options);
    this.chunks = new PollingLoop("batch-runner", () => this.processNext(), {
      idleMs,
      loops: options.workers ?? 1,
    });
    this.asking = new PollingLoop("warehouse-asker", async () => (await this.asker.askDue()) > 0, { idleMs });
  }

  start(): void {
    this.chunks.start();
    this.asking.start();
  }

  /** Something was queued: look now instead of at the next idle tick. */
  notify(): void {
    this.chunks.notify();
    this.asking.notify();
  }

  async stop(): Promise<void> {
    await Promise.all([this.chunks.stop(), this.asking.stop()]);
  }

  /**
   * Records and asks until no batch has runnable items and nothing is due to be asked (tests, the
   * bench, a one-shot worker). Entries scheduled to be asked later are left for later.
   */
  async runUntilIdle(): Promise<void> {
    let recording = true;
    const record = (async () => {
      try {
        while (await this.processNext()) {}
      } finally {
        recording = false;
      }
    })();
    const ask = (async () => {
      for (;;) {
        const stillRecording = recording;
        if ((await this.asker.askDue()) > 0) continue;
        if (!stillRecording) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await Promise.all([record, ask]);
  }

  private async processNext(): Promise<boolean> {
    const batchId = await findRunnableBatch(this.db);
    if (!batchId) return false;
    await this.processSafely(batchId);
    this.asking.notify();
    await recordHeartbeat(this.db, "batch-chunk", { batchId });
    return true;
  }

  /**
   * A chunk that fails unexpectedly rolls back whole, so nothing is half-applied; its items are
   * then taken one at a time, so a single poisonous item fails alone, by its own id, and the rest
   * go on.
   */
  private async processSafely(batchId: string): Promise<void> {
    const chunk = { ...this.options, forceGate: this.options.gate !== undefined };
    try {
      await processChunk(this.db, batchId, chunk);
      return;
    } catch (error) {
      if (!(error instanceof ChunkFailure)) throw error;
      console.error(`[batch-runner] a chunk of batch ${batchId} failed; isolating its items`, error.cause);
      for (const itemId of error.itemIds) {
        try {
          await processChunk(this.db, batchId, { ...chunk, itemIds: [itemId] });
        } catch (itemError) {
          if (!(itemError instanceof ChunkFailure)) throw itemError;
          console.error(`[batch-runner] item ${itemId} of batch ${batchId} failed`, itemError.cause);
          await failItem(this.db, itemId);
        }
      }
      await completeBatches(this.db, [batchId]);
    }
  }
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
