"use client";

import { CircleCheck, Download, TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useFormatter } from "@/components/format/locale-provider";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

type ResultBannerProps = {
  batchId: string;
  succeeded: number;
  failed: number;
  /** Rows whose warehouse has not answered yet: not failed, not in the error CSV; they resolve on their own. */
  waiting: number;
  /** "row" for sub-order files, "sub-order" for line-item files (one status per sub-order). */
  noun: string;
};

/**
 * The end of a run: how many succeeded and failed. With failures it is a warning with the error CSV
 * (the failed rows as uploaded, to fix and upload again).
 */
export function ResultBanner({ batchId, succeeded, failed, waiting, noun }: ResultBannerProps) {
  const f = useFormatter();
  const nouns = (n: number) => `${f.count(n)} ${noun}${n === 1 ? "" : "s"}`;
  const summary =
    `${nouns(succeeded)} succeeded, ${f.count(failed)} failed.` +
    (waiting > 0
      ? ` ${nouns(waiting)} waiting for the warehouse: their units stay reserved and each resolves when the warehouse answers (not in the error CSV, so they cannot be sent twice).`
      : "");
  const batchLink = (
    <Link href={`/batches/${batchId}`} className="font-medium text-foreground underline underline-offset-4">
      Open the batch
    </Link>
  );
  if (failed === 0) {
    return (
      <Alert variant="success" data-testid="result-banner">
        <CircleCheck aria-hidden="true" />
        <AlertTitle>Cancellation finished</AlertTitle>
        <AlertDescription>
          <p>
            {summary} {batchLink}
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <Alert variant="warning" role="alert" data-testid="result-banner">
      <TriangleAlert aria-hidden="true" />
      <AlertTitle>Cancellation finished: {nouns(failed)} could not be cancelled</AlertTitle>
      <AlertDescription>
        <p>
          {summary} The error CSV holds the failed rows as uploaded with the error of each: fix them and
          upload the file again.
        </p>
        <div className="mt-1 flex flex-wrap items-center gap-3">
          <Button asChild size="sm" variant="outline">
            <a href={`/api/batches/${batchId}/errors.csv`} download>
              <Download aria-hidden="true" />
              Download Error CSV
            </a>
          </Button>
          {batchLink}
        </div>
      </AlertDescription>
    </Alert>
  );
}
