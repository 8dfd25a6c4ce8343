"use client";

import { Pause, Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

import { Button } from "@/components/ui/button";

/**
 * Reads the page again every few seconds while it is visible, so the outbox's states move on
 * their own (the dispatcher works in the background). It can be paused to read a long error.
 */
export function AutoRefresh({ seconds = 5 }: { seconds?: number }) {
  const router = useRouter();
  const [live, setLive] = useState(true);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, seconds * 1000);
    return () => clearInterval(timer);
  }, [live, router, seconds]);

  return (
    <Button
      variant="ghost"
      size="sm"
      aria-pressed={live}
      title={live ? `Updates every ${seconds} s; press to pause` : "Paused; press to resume"}
      onClick={() => setLive((value) => !value)}
    >
      {live ? <Pause aria-hidden="true" /> : <Play aria-hidden="true" />}
      Live updates
    </Button>
  );
}
