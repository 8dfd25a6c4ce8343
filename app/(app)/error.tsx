"use client";

import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useEffect } from "react";

import { Button } from "@/components/ui/button";

type ErrorPageProps = {
  /** Whatever was thrown. From a Server Component it is an Error whose message is hidden in production. */
  error: unknown;
  /** Re-fetches and re-renders this segment. */
  retry: () => void;
};

function digestOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "digest" in error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.length > 0) return digest;
  }
  return undefined;
}

/**
 * Shown when a page fails unexpectedly. It never shows the error's message or stack: only a generic
 * sentence and the digest, which matches the server log entry for the same failure.
 */
export default function ErrorPage({ error, retry }: ErrorPageProps) {
  const digest = digestOf(error);

  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <div className="flex flex-col items-start gap-4 py-12">
      <span className="flex size-10 items-center justify-center rounded-lg border border-destructive/30 bg-destructive/5 text-destructive">
        <TriangleAlert aria-hidden="true" className="size-5" />
      </span>
      <div role="alert" className="flex flex-col gap-1.5">
        <h1 className="font-semibold text-2xl tracking-tight">Something went wrong</h1>
        <p className="max-w-prose text-muted-foreground text-sm">
          This page could not be shown because of an unexpected error. Try again, and if it keeps happening,
          send the reference below to your administrator.
        </p>
        <p className="text-sm">
          Reference:{" "}
          {digest ? (
            <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{digest}</code>
          ) : (
            <span className="text-muted-foreground">none (the error happened in the browser)</span>
          )}
        </p>
      </div>
      <div className="flex gap-2">
        <Button onClick={retry}>Try again</Button>
        <Button asChild variant="outline">
          <Link href="/cancellations">Go to Cancellations</Link>
        </Button>
      </div>
    </div>
  );
}
