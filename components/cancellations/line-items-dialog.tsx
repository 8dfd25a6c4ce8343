"use client";

import { useEffect, useState } from "react";
import { useFormatter } from "@/components/format/locale-provider";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ItemRowsResponse } from "@/lib/batches/contracts";
import { cn } from "@/lib/utils";
import { type BulkLine, type BulkRow, lineResultOf } from "./bulk-rows";
import { StatusBadge } from "./status-badge";

type LineItemsDialogProps = {
  /** The sub-order group whose lines are shown; null closes the dialog. */
  row: BulkRow | null;
  /** A stored batch to load the lines from when the browser does not have the file. */
  batchId: string | null;
  onOpenChange: (open: boolean) => void;
};

const TONE = {
  success: "text-success",
  error: "text-destructive",
  warning: "text-warning",
  muted: "text-muted-foreground",
} as const;

/** The uploaded lines of one sub-order with each line's result: the group succeeds or fails as a whole. */
export function LineItemsDialog({ row, batchId, onOpenChange }: LineItemsDialogProps) {
  const f = useFormatter();
  const [loaded, setLoaded] = useState<{ seq: number; lines: BulkLine[] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const needsLoad = row !== null && row.lines === null && batchId !== null;
  const seq = row?.seq;

  useEffect(() => {
    if (!needsLoad || seq === undefined || !batchId) return;
    const controller = new AbortController();
    setLoadError(null);
    fetch(`/api/batches/${batchId}/items/${seq}`, { signal: controller.signal })
      .then(async (response) => {
        if (!response.ok) throw new Error(`The lines could not be loaded (HTTP ${response.status}).`);
        const body = (await response.json()) as ItemRowsResponse;
        setLoaded({
          seq,
          lines: body.rows.map((r) => ({
            rowNumber: r.rowNumber,
            sku: r.sku,
            quantity: r.quantity,
            error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? r.errorCode } : null,
          })),
        });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoadError(error instanceof Error ? error.message : String(error));
      });
    return () => controller.abort();
  }, [needsLoad, seq, batchId]);

  const lines = row?.lines ?? (loaded && loaded.seq === seq ? loaded.lines : null);

  return (
    <Dialog open={row !== null} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Lines of {row?.subOrderId || "(empty Sub Order ID)"}</DialogTitle>
          <DialogDescription>
            {lines ? `${f.plural(lines.length, "line")} uploaded. ` : null}
            All lines of a sub-order are cancelled together: if one fails, none is cancelled.
          </DialogDescription>
        </DialogHeader>
        {row ? (
          <div className="flex items-center gap-2 text-sm">
            <span className="text-muted-foreground">Sub-order status:</span>
            <StatusBadge status={row.status} />
          </div>
        ) : null}
        <div className="max-h-[60vh] overflow-auto rounded-lg border">
          {loadError ? (
            <p role="alert" className="p-4 text-destructive text-sm">
              {loadError}
            </p>
          ) : !lines ? (
            <div role="status" aria-label="Loading lines" className="flex flex-col gap-2 p-3">
              <Skeleton className="h-6 w-full" />
              <Skeleton className="h-6 w-full" />
            </div>
          ) : (
            <Table aria-label={`Uploaded lines of ${row?.subOrderId ?? ""}`}>
              <TableHeader className="bg-muted/60">
                <TableRow className="hover:bg-transparent">
                  <TableHead scope="col" className="w-16 px-3">
                    Row
                  </TableHead>
                  <TableHead scope="col" className="px-3">
                    SKU ID
                  </TableHead>
                  <TableHead scope="col" className="w-20 px-3 text-right">
                    Quantity
                  </TableHead>
                  <TableHead scope="col" className="px-3">
                    Result
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {lines.map((line) => {
                  const result = row ? lineResultOf(row, line) : null;
                  return (
                    <TableRow key={line.rowNumber}>
                      <TableCell className="px-3 font-mono text-muted-foreground text-xs">
                        {line.rowNumber}
                      </TableCell>
                      <TableCell className="px-3 font-mono">{line.sku || "(empty)"}</TableCell>
                      <TableCell className="px-3 text-right tabular-nums">
                        {line.quantity || "(empty)"}
                      </TableCell>
                      <TableCell
                        className={cn("whitespace-normal px-3", result ? TONE[result.tone] : undefined)}
                      >
                        {result?.text}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </div>
      </DialogContent>
    </Dialog>
  );
}
