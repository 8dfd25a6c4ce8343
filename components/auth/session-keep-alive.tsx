"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

import { signInPath } from "@/lib/auth/next-path";

/** Asks at most this often; the server itself refreshes a session at most every 15 minutes. */
const MIN_INTERVAL_MS = 60_000;

/**
 * Sliding sessions: while someone uses the app (moves between screens, comes back to the tab), the
 * session is read through /api/auth/get-session, where better-auth extends it and re-sets the
 * cookie together. Server components only read it, since they cannot set cookies. When the session
 * has ended (8 hours idle, or signed out elsewhere), the page goes to sign-in.
 */
export function SessionKeepAlive() {
  const pathname = usePathname();
  const lastCheck = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: each navigation is activity, so it checks again
  useEffect(() => {
    async function check() {
      const now = Date.now();
      if (now - lastCheck.current < MIN_INTERVAL_MS) return;
      lastCheck.current = now;
      try {
        const response = await fetch("/api/auth/get-session", {
          credentials: "same-origin",
          cache: "no-store",
        });
        if (!response.ok) return;
        const session: unknown = await response.json();
        if (session === null) {
          window.location.assign(signInPath(window.location.pathname + window.location.search));
        }
      } catch {
        // Offline or the server is restarting: the next check tries again.
      }
    }
    void check();
    const onVisible = () => {
      if (document.visibilityState === "visible") void check();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [pathname]);

  return null;
}
