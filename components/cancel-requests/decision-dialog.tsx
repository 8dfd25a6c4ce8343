"use client";

import { CircleAlert, CircleCheck, Clock, Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { useFormatter } from "@/components/format/locale-provider";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { ApprovableLine } from "@/db/queries/cancel-request-lines";
import type { ActionResult } from "@/lib/action-result";
import type { ApproveOutcome, CancelRequestListRow } from "@/lib/orders/cancel-request-decisions";
import { cn } from "@/lib/utils";

export type DecideActions = {
  approve: (input: {
    id: string;
    lines?: { lineItemId: number; quantity: number }[];
  }) => Promise<ActionResult<{ outcomes: ApproveOutcome[] }>>;
  reject: (input: { id: string; note: string }) => Promise<ActionResult<{ state: string }>>;
};

type Props = {
  decision: { kind: "approve" | "reject"; request: CancelRequestListRow };
  /** The lines of the request's order, with what can be cancelled of each now. */
  lines: ApprovableLine[];
  actions: DecideActions;
  onClose: () => void;
};

/** Units per line id, as the request asks for them (capped at what can be cancelled now). */
function askedSelection(request: CancelRequestListRow, lines: ApprovableLine[]): Record<number, number> {
  const chosen: Record<number, number> = {};
  const asked = request.lines === null ? null : new Map(request.lines.map((l) => [l.lineItemId, l.quantity]));
  for (const line of lines) {
    if (line.cancellableNow === 0) continue;
    if (asked !== null && !asked.has(line.id)) continue;
    const quantity = asked?.get(line.id) ?? line.open;
    chosen[line.id] = line.partial ? Math.min(quantity, line.cancellableNow) : line.cancellableNow;
  }
  return chosen;
}

/**
 * Approve (cancel what the customer asked, or less) or reject (with a note) one customer cancel
 * request. Mounted per decision (keyed by the parent), so it starts from what the request asks.
 */
export function DecisionDialog({ decision, lines, actions, onClose }: Props) {
  const f = useFormatter();
  const ids = useId();
  const router = useRouter();
  const { request } = decision;
  const [selection, setSelection] = useState<Record<number, number>>(() => askedSelection(request, lines));
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<ApproveOutcome[] | null>(null);
  const [isDeciding, startTransition] = useTransition();
  const asked = request.lines === null ? null : new Set(request.lines.map((l) => l.lineItemId));
  const offered = lines.filter((l) => asked === null || asked.has(l.id));
  const shipment = request.shipment;
  const shippedNote = shipment
    ? `Already shipped${shipment.carrier ? ` with ${shipment.carrier}` : ""}${shipment.trackingNumber ? `, tracking number ${shipment.trackingNumber}` : ` (shipment ${shipment.reference})`}.`
    : null;

  const close = () => {
    if (!isDeciding) onClose();
  };

  const approve = () => {
    const chosen = Object.entries(selection).map(([id, quantity]) => ({ lineItemId: Number(id), quantity }));
    if (chosen.length === 0) {
      setError("Keep at least one line to cancel, or reject the request instead.");
      return;
    }
    const bad = offered.find((l) => {
      const units = selection[l.id];
      return units !== undefined && !(Number.isInteger(units) && units >= 1 && units <= l.cancellableNow);
    });
    if (bad) {
      setError(`SKU ${bad.sku}: enter a whole number from 1 to ${bad.cancellableNow}.`);
      return;
    }
    const unchanged = JSON.stringify(selection) === JSON.stringify(askedSelection(request, lines));
    startTransition(async () => {
      const result = await actions.approve({ id: request.id, lines: unchanged ? undefined : chosen });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setOutcomes(result.data.outcomes);
      const cancelled = result.data.outcomes.filter((o) => o.status !== "ERROR").length;
      if (cancelled > 0) toast.success(`Request ${request.requestId} approved`);
      else toast.error(`Nothing could be cancelled for request ${request.requestId}`);
      router.refresh();
    });
  };

  const reject = () => {
    if (note.trim() === "") {
      setError(
        "Write a note: say why the request is rejected (e.g. already shipped, with the tracking number).",
      );
      return;
    }
    startTransition(async () => {
      const result = await actions.reject({ id: request.id, note });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      toast.success(`Request ${request.requestId} rejected`);
      router.refresh();
      onClose();
    });
  };

  const errorId = `${ids}-error`;
  return (
    <Dialog open onOpenChange={(open) => !open && close()}>
      <DialogContent className="sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>
            {decision.kind === "approve" ? "Approve" : "Reject"} the request for order {request.orderNumber}?
          </DialogTitle>
          <DialogDescription>
            {request.customerName} asked through {request.channelName}: “{request.customerReason}” (reason{" "}
            {request.reasonLabel}).
            {request.shipped > 0 ? ` ${f.plural(request.shipped, "unit")} of the order already shipped.` : ""}
          </DialogDescription>
        </DialogHeader>

        {outcomes ? (
          <ul className="flex flex-col gap-2 text-sm" aria-live="polite" data-testid="approve-outcomes">
            {outcomes.map((o) => (
              <li
                key={o.subOrderId}
                data-result={o.status}
                className={cn(
                  "flex items-start gap-2",
                  o.status === "ERROR"
                    ? "text-destructive"
                    : o.status === "WAITING"
                      ? "text-warning"
                      : "text-success",
                )}
              >
                {o.status === "SUCCESS" ? (
                  <CircleCheck aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
                ) : o.status === "WAITING" ? (
                  <Clock aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
                ) : (
                  <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
                )}
                <span>
                  <span className="font-mono">{o.subOrderId}</span>:{" "}
                  {o.status === "SUCCESS"
                    ? `cancelled ${f.plural(o.units, "unit")}`
                    : o.status === "WAITING"
                      ? `${f.plural(o.units, "unit")} reserved, waiting for the warehouse`
                      : `${o.code}: ${o.message}`}
                </span>
              </li>
            ))}
          </ul>
        ) : decision.kind === "approve" ? (
          <fieldset
            className="flex flex-col gap-2"
            disabled={isDeciding}
            aria-describedby={error ? errorId : undefined}
          >
            <legend className="mb-1 text-sm">
              Cancel these with the customer's reason. Untick a line, or lower its units, to approve less.
            </legend>
            {offered.length === 0 ? (
              <p className="text-muted-foreground text-sm">
                Nothing on this order can be cancelled any more.
              </p>
            ) : null}
            {offered.map((line) => {
              const checked = line.id in selection;
              return (
                <div key={line.id} className="flex flex-wrap items-center gap-3 text-sm" data-line={line.sku}>
                  <Checkbox
                    id={`${ids}-line-${line.id}`}
                    checked={checked}
                    disabled={line.cancellableNow === 0}
                    onCheckedChange={(value) => {
                      setError(null);
                      setSelection((s) => {
                        const next = { ...s };
                        if (value === true) next[line.id] = line.cancellableNow;
                        else delete next[line.id];
                        return next;
                      });
                    }}
                  />
                  <Label htmlFor={`${ids}-line-${line.id}`} className="font-mono">
                    {line.sku}
                  </Label>
                  <span className="text-muted-foreground">
                    {line.subOrderId} ·{" "}
                    {line.cancellableNow === 0
                      ? "nothing can be cancelled now"
                      : `${line.cancellableNow} of ${line.open} cancellable`}
                  </span>
                  {line.partial && checked ? (
                    <Input
                      type="number"
                      min={1}
                      max={line.cancellableNow}
                      step={1}
                      value={String(selection[line.id])}
                      aria-label={`Units of ${line.sku} to cancel (at most ${line.cancellableNow})`}
                      onChange={(event) => {
                        setError(null);
                        setSelection((s) => ({ ...s, [line.id]: Number(event.target.value) }));
                      }}
                      className="h-8 w-20 text-right tabular-nums"
                    />
                  ) : checked ? (
                    <span>the whole line</span>
                  ) : null}
                </div>
              );
            })}
            <p className="text-muted-foreground text-sm">
              Each sub-order's warehouse is asked first; the channel is told once it accepts. This cannot be
              undone.
            </p>
          </fieldset>
        ) : (
          <div className="flex flex-col gap-2">
            <Label htmlFor={`${ids}-note`}>Note to the channel</Label>
            <Textarea
              id={`${ids}-note`}
              value={note}
              maxLength={500}
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : `${ids}-note-hint`}
              onChange={(event) => {
                setError(null);
                setNote(event.target.value);
              }}
            />
            <p id={`${ids}-note-hint`} className="text-muted-foreground text-xs">
              Required. The channel reads it, and so may the customer.
            </p>
            {shippedNote ? (
              <div>
                <Button type="button" variant="secondary" size="sm" onClick={() => setNote(shippedNote)}>
                  Use “{shippedNote}”
                </Button>
              </div>
            ) : null}
          </div>
        )}

        {error ? (
          <p id={errorId} role="alert" className="text-destructive text-sm">
            {error}
          </p>
        ) : null}

        <DialogFooter>
          {outcomes ? (
            <DialogClose asChild>
              <Button>Done</Button>
            </DialogClose>
          ) : (
            <>
              <DialogClose asChild>
                <Button variant="outline" disabled={isDeciding}>
                  Back
                </Button>
              </DialogClose>
              <Button
                variant={decision.kind === "approve" ? "destructive" : "default"}
                onClick={decision.kind === "approve" ? approve : reject}
                disabled={isDeciding}
              >
                {isDeciding ? <Loader2 aria-hidden="true" className="motion-safe:animate-spin" /> : null}
                {decision.kind === "approve" ? "Approve and cancel" : "Reject request"}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
