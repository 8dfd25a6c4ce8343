"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

import { BatchProgress } from "@/components/cancellations/batch-progress";
import { fetchProgress } from "@/components/cancellations/use-batch-watch";
import type { Progress as ProgressView } from "@/lib/batches/contracts";

const POLL_MS = 1_000;
const REFRESH_MS = 4_000;

/**
 * A running batch on its page (or a finished one with rows still waiting for their warehouse): the
 * progress bar follows the run, and the rows refresh as it goes.
 */
export function BatchLiveProgress({
  batchId,
  initial,
  noun,
}: {
  batchId: string;
  initial: ProgressView;
  noun: string;
}) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRefresh = Date.now();
    const tick = async () => {
      try {
        const page = await fetchProgress(batchId, "only=progress");
        if (stopped) return;
        setProgress(page.progress);
        if (page.progress.status === "completed" && page.progress.waiting === 0) {
          router.refresh();
          return;
        }
        if (Date.now() - lastRefresh >= REFRESH_MS) {
          lastRefresh = Date.now();
          router.refresh();
        }
      } catch {
        // A missed look is retried at the next tick.
      }
      if (!stopped) timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [batchId, router]);

  return <BatchProgress progress={progress} noun={noun} />;
}
