"use client";

import { useEffect, useEffectEvent } from "react";
import type { ProgressResponse, Progress as ProgressView } from "@/lib/batches/contracts";
import { applyItemChanges, countRows } from "./bulk-rows";
import type { RowStore } from "./row-store";

export const POLL_INTERVAL_MS = 700;

type WatchOptions = {
  batchId: string | null;
  /** Poll only while true (the batch was started and has not finished). */
  active: boolean;
  /** The rows the changes are applied to. */
  store: RowStore;
  onProgress: (progress: ProgressView) => void;
  onFinished: (progress: ProgressView) => void;
  /** A poll failed (network, session): shown, and polling goes on. */
  onTrouble: (message: string | null) => void;
};

export async function fetchProgress(batchId: string, query: string): Promise<ProgressResponse> {
  const response = await fetch(`/api/batches/${batchId}/progress?${query}`, { cache: "no-store" });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { detail?: string } | null;
    throw new Error(body?.detail ?? `The progress could not be read (HTTP ${response.status}).`);
  }
  return (await response.json()) as ProgressResponse;
}

/**
 * Watches a started batch: every POLL_INTERVAL_MS it asks for the counts and the items that finished
 * since the last look, and marks those rows. When the batch is complete it makes one exact pass
 * in file order for any result the time cursor could have missed, then reports the end (and keeps
 * looking, more slowly, while rows still wait for their warehouse). The browser
 * only watches: closing it changes nothing on the server.
 */
export function useBatchWatch({ batchId, active, store, onProgress, onFinished, onTrouble }: WatchOptions) {
  const progressed = useEffectEvent(onProgress);
  const finished = useEffectEvent(onFinished);
  const trouble = useEffectEvent(onTrouble);

  useEffect(() => {
    if (!active || !batchId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cursor: string | null = null;

    const reconcile = async (progress: ProgressView) => {
      const counts = countRows(store.getSnapshot());
      if (
        counts.SUCCESS + counts.ERROR + counts.WAITING >=
        progress.success + progress.error + progress.waiting
      )
        return;
      let after = "0";
      for (;;) {
        const page = await fetchProgress(batchId, `after=${after}`);
        if (stopped) return;
        store.update((rows) => applyItemChanges(rows, page.changes));
        if (!page.more || page.cursor === null) return;
        after = page.cursor;
      }
    };

    const tick = async () => {
      let delay = POLL_INTERVAL_MS;
      try {
        const page = await fetchProgress(batchId, cursor ? `since=${encodeURIComponent(cursor)}` : "");
        if (stopped) return;
        cursor = page.cursor;
        store.update((rows) => applyItemChanges(rows, page.changes));
        progressed(page.progress);
        trouble(null);
        if (page.more) delay = 0;
        else if (page.progress.status === "completed") {
          await reconcile(page.progress);
          if (stopped) return;
          finished(page.progress);
          // Rows still waiting for their warehouse resolve on their own: keep watching, slower.
          if (page.progress.waiting === 0) return;
          delay = POLL_INTERVAL_MS * 4;
        }
      } catch (error) {
        if (stopped) return;
        trouble(error instanceof Error ? error.message : String(error));
        delay = POLL_INTERVAL_MS * 3;
      }
      if (!stopped) timer = setTimeout(tick, delay);
    };

    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [active, batchId, store]);
}
