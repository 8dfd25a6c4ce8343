"use client";

import { CircleAlert, CircleCheck, Clock, Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";

import { ReasonSelect } from "@/components/cancellations/reason-select";
import type { ReasonOption } from "@/components/cancellations/types";
import { useFormatter } from "@/components/format/locale-provider";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
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
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { OrderDetail, OrderDetailLine } from "@/db/queries/order-detail";
import type { ActionResult } from "@/lib/action-result";
import type { SubOrderOutcome } from "@/lib/orders/cancel-order-lines";
import { cn } from "@/lib/utils";
import { OrderStatusBadge } from "./order-status-badge";
import { UnmappedReasonWarning } from "./unmapped-reason-warning";

export type CancelOrderLinesAction = (input: {
  orderId: string;
  reasonCode: string;
  lines: { lineItemId: number; quantity: number }[];
}) => Promise<ActionResult<SubOrderOutcome[]>>;

type Props = {
  order: Omit<OrderDetail, "timeline" | "exceptions">;
  reasons: readonly ReasonOption[];
  canCancel: boolean;
  cancelLines: CancelOrderLinesAction;
};

const QUANTITIES = [
  { key: "ordered", label: "Ordered" },
  { key: "fulfilled", label: "Fulfilled" },
  { key: "processing", label: "In processing" },
  { key: "cancelled", label: "Cancelled" },
  { key: "pendingCancel", label: "Reserved" },
  { key: "cancellable", label: "Cancellable" },
] as const;

/** Units chosen per line id; a line that is not selected is absent. */
type Selection = Record<number, number>;

/**
 * Every sub-order of the order with its lines' quantities, and the cancel: select lines (a
 * quantity each where the channel allows part of a line, a whole-line checkbox where it does
 * not), choose a reason, and confirm in a dialog that says what will happen.
 */
export function OrderCancelPanel({ order, reasons, canCancel, cancelLines }: Props) {
  const f = useFormatter();
  const ids = useId();
  const router = useRouter();
  const partial = order.channel.partialQuantities;
  const [selection, setSelection] = useState<Selection>({});
  const [reasonCode, setReasonCode] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [selectionError, setSelectionError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<Selection | null>(null);
  const [outcomes, setOutcomes] = useState<SubOrderOutcome[] | null>(null);
  const [isCancelling, startTransition] = useTransition();

  const allLines = order.subOrders.flatMap((s) => s.lines);
  const everything: Selection = Object.fromEntries(
    allLines.filter((l) => l.cancellableNow > 0).map((l) => [l.id, l.cancellableNow]),
  );
  const selectedCount = Object.keys(selection).length;

  const openConfirm = (chosen: Selection) => {
    const problems: string[] = [];
    if (!reasonCode) {
      setReasonError("Choose a reason.");
      problems.push("reason");
    }
    const bad = allLines.find((l) => {
      const units = chosen[l.id];
      return units !== undefined && !(Number.isInteger(units) && units >= 1 && units <= l.cancellableNow);
    });
    if (Object.keys(chosen).length === 0) {
      setSelectionError("Select at least one line to cancel.");
      problems.push("selection");
    } else if (bad) {
      setSelectionError(
        `SKU ${bad.sku}: enter a whole number from 1 to ${bad.cancellableNow} (the units still cancellable).`,
      );
      problems.push("selection");
    }
    if (problems.length === 0) setConfirming(chosen);
  };

  const onConfirm = () => {
    if (!confirming) return;
    const lines = Object.entries(confirming).map(([id, quantity]) => ({ lineItemId: Number(id), quantity }));
    startTransition(async () => {
      const result = await cancelLines({ orderId: order.id, reasonCode, lines });
      setConfirming(null);
      if (!result.ok) {
        setOutcomes(null);
        toast.error(result.message);
        setSelectionError(result.message);
        return;
      }
      setOutcomes(result.data);
      setSelection({});
      const done = result.data.filter((o) => o.status === "SUCCESS").length;
      if (done > 0) toast.success(`Cancelled on ${f.plural(done, "sub-order")}`);
      router.refresh();
    });
  };

  const setLine = (line: OrderDetailLine, value: number | null) => {
    setSelectionError(null);
    setSelection((current) => {
      const next = { ...current };
      if (value === null) delete next[line.id];
      else next[line.id] = value;
      return next;
    });
  };

  return (
    <div className="flex flex-col gap-5">
      <div aria-live="polite" className="flex flex-col gap-2 empty:hidden">
        {outcomes?.map((o) => (
          <OutcomeAlert key={o.subOrderId} outcome={o} />
        ))}
      </div>

      {order.subOrders.map((subOrder) => (
        <section
          key={subOrder.id}
          aria-labelledby={`${ids}-${subOrder.id}`}
          data-testid="order-sub-order"
          data-sub-order={subOrder.id}
          className="flex flex-col gap-3 rounded-xl border bg-card p-5 shadow-xs"
        >
          <div className="flex flex-wrap items-center gap-3">
            <h2 id={`${ids}-${subOrder.id}`} className="font-mono font-semibold text-lg">
              {subOrder.id}
            </h2>
            <OrderStatusBadge status={subOrder.status} />
            <span className="text-muted-foreground text-sm">
              Warehouse {subOrder.warehouse.name} · {subOrder.warehouse.id}
            </span>
          </div>
          <div className="overflow-x-auto rounded-lg border">
            <Table aria-label={`Lines of ${subOrder.id}`}>
              <TableHeader className="bg-muted/60">
                <TableRow className="hover:bg-transparent">
                  <TableHead scope="col" className="w-10 px-3">
                    <span className="sr-only">Select</span>
                  </TableHead>
                  <TableHead scope="col" className="px-3">
                    SKU
                  </TableHead>
                  <TableHead scope="col" className="px-3">
                    Channel item id
                  </TableHead>
                  <TableHead scope="col" className="px-3 text-right">
                    Unit price
                  </TableHead>
                  {QUANTITIES.map((q) => (
                    <TableHead key={q.key} scope="col" className="px-3 text-right">
                      {q.label}
                    </TableHead>
                  ))}
                  {partial ? (
                    <TableHead scope="col" className="px-3 text-right">
                      Units to cancel
                    </TableHead>
                  ) : null}
                </TableRow>
              </TableHeader>
              <TableBody>
                {subOrder.lines.map((line) => {
                  const checked = line.id in selection;
                  const checkboxId = `${ids}-line-${line.id}`;
                  const selectable = canCancel && line.cancellableNow > 0;
                  return (
                    <TableRow
                      key={line.id}
                      data-line={line.sku}
                      data-state={checked ? "selected" : undefined}
                    >
                      <TableCell className="px-3">
                        <Checkbox
                          id={checkboxId}
                          checked={checked}
                          disabled={!selectable}
                          onCheckedChange={(value) =>
                            setLine(line, value === true ? line.cancellableNow : null)
                          }
                          aria-label={
                            partial
                              ? `Cancel units of ${line.sku}`
                              : `Cancel the whole line ${line.sku} (${f.plural(line.cancellableNow, "unit")})`
                          }
                        />
                      </TableCell>
                      <TableCell className="px-3 font-mono">
                        <label htmlFor={checkboxId}>{line.sku}</label>
                        {!partial && line.cancellable > 0 && line.cancellableNow === 0 ? (
                          <span className="block font-sans text-muted-foreground text-xs">
                            Whole lines only: part of it is shipped, in processing or in flight
                          </span>
                        ) : null}
                      </TableCell>
                      <TableCell className="px-3 font-mono text-muted-foreground text-xs">
                        {line.channelItemId ?? "—"}
                      </TableCell>
                      <TableCell className="px-3 text-right tabular-nums">
                        {f.money(line.unitPriceMinor, order.currency)}
                      </TableCell>
                      {QUANTITIES.map((q) => (
                        <TableCell
                          key={q.key}
                          className={cn(
                            "px-3 text-right tabular-nums",
                            line[q.key] === 0 && "text-muted-foreground",
                            q.key === "cancellable" && line.cancellable > 0 && "font-semibold",
                          )}
                        >
                          {f.count(line[q.key])}
                        </TableCell>
                      ))}
                      {partial ? (
                        <TableCell className="px-3 text-right">
                          <Input
                            type="number"
                            inputMode="numeric"
                            min={1}
                            max={line.cancellableNow}
                            step={1}
                            disabled={!checked}
                            aria-label={`Units of ${line.sku} to cancel (at most ${line.cancellableNow})`}
                            value={checked ? String(selection[line.id]) : ""}
                            onChange={(event) => setLine(line, Number(event.target.value))}
                            className="ml-auto h-8 w-20 text-right tabular-nums"
                          />
                        </TableCell>
                      ) : null}
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        </section>
      ))}

      {canCancel ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            openConfirm(selection);
          }}
          className="flex flex-col gap-4 rounded-xl border bg-card p-5 shadow-xs"
          aria-label="Cancel lines"
        >
          <p className="text-muted-foreground text-sm">
            {partial
              ? `${order.channel.name} accepts part of a line: tick a line and enter how many units to cancel.`
              : `${order.channel.name} cancels whole lines only: tick the lines to cancel entirely.`}
          </p>
          <ReasonSelect
            id={`${ids}-reason`}
            label="Reason"
            reasons={reasons}
            value={reasonCode}
            onValueChange={(code) => {
              setReasonCode(code);
              setReasonError(null);
            }}
            error={reasonError}
          />
          <UnmappedReasonWarning channelId={order.channel.id} reasonCode={reasonCode} />
          {selectionError ? (
            <p role="alert" className="text-destructive text-sm" data-testid="order-cancel-error">
              {selectionError}
            </p>
          ) : null}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={isCancelling}>
              Cancel selected{selectedCount > 0 ? ` (${f.plural(selectedCount, "line")})` : ""}
            </Button>
            <Button
              type="button"
              variant="outline"
              disabled={isCancelling || Object.keys(everything).length === 0}
              onClick={() => openConfirm(everything)}
            >
              Cancel all that is still cancellable
            </Button>
          </div>
        </form>
      ) : (
        <p className="text-muted-foreground text-sm">Your role may read orders but not cancel them.</p>
      )}

      <Dialog
        open={confirming !== null}
        onOpenChange={(open) => !open && !isCancelling && setConfirming(null)}
      >
        <DialogContent className="sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>Cancel on order {order.orderNumber}?</DialogTitle>
            <DialogDescription>
              Reason: {reasons.find((r) => r.code === reasonCode)?.label ?? reasonCode}. This cannot be
              undone.
            </DialogDescription>
          </DialogHeader>
          {confirming ? <ConfirmSummary order={order} selection={confirming} /> : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline" disabled={isCancelling}>
                Keep them
              </Button>
            </DialogClose>
            <Button variant="destructive" onClick={onConfirm} disabled={isCancelling}>
              {isCancelling ? <Loader2 aria-hidden="true" className="motion-safe:animate-spin" /> : null}
              Cancel{" "}
              {f.plural(
                Object.values(confirming ?? {}).reduce((a, b) => a + b, 0),
                "unit",
              )}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}

/** What the confirmation says will happen: per sub-order, the warehouse asked first, the lines, the channel told. */
function ConfirmSummary({ order, selection }: { order: Props["order"]; selection: Selection }) {
  const f = useFormatter();
  const chosen = order.subOrders.flatMap((s) => s.lines).filter((l) => l.id in selection);
  const totalUnits = chosen.reduce((sum, l) => sum + (selection[l.id] ?? 0), 0);
  const totalValue = chosen.reduce((sum, l) => sum + (selection[l.id] ?? 0) * l.unitPriceMinor, 0);
  const groups = order.subOrders
    .map((s) => ({ subOrder: s, lines: s.lines.filter((l) => l.id in selection) }))
    .filter((g) => g.lines.length > 0);
  const told =
    order.channel.connector === "manual"
      ? `${order.channel.name} has no connector: nothing is sent to it, tell it yourself.`
      : `Once the warehouse accepts, ${order.channel.name} is told through its ${order.channel.connector} connector.`;
  return (
    <div className="flex flex-col gap-4 text-sm" data-testid="order-cancel-summary">
      {groups.map(({ subOrder, lines }) => (
        <div key={subOrder.id} className="flex flex-col gap-1.5">
          <p>
            <span className="font-mono font-medium">{subOrder.id}</span>: warehouse{" "}
            <span className="font-medium">{subOrder.warehouse.name}</span> is asked first.
          </p>
          <ul className="flex flex-col gap-0.5 pl-4">
            {lines.map((line) => {
              const units = selection[line.id] ?? 0;
              const value = units * line.unitPriceMinor;
              return (
                <li key={line.id} className="list-disc">
                  {units} × <span className="font-mono">{line.sku}</span> ({f.money(value, order.currency)})
                  {units === line.ordered - line.cancelled
                    ? ", the whole line"
                    : `, ${line.ordered - line.cancelled - units} stay`}
                </li>
              );
            })}
          </ul>
        </div>
      ))}
      <p className="font-medium">
        In all: {f.plural(totalUnits, "unit")}, {f.money(totalValue, order.currency)}.
      </p>
      <p className="text-muted-foreground">{told}</p>
    </div>
  );
}

function OutcomeAlert({ outcome }: { outcome: SubOrderOutcome }) {
  const f = useFormatter();
  if (outcome.status === "SUCCESS") {
    return (
      <Alert variant="success" data-testid="order-cancel-result" data-result="SUCCESS">
        <CircleCheck aria-hidden="true" />
        <AlertTitle>SUCCESS · {outcome.subOrderId}</AlertTitle>
        <AlertDescription>
          <p>Cancelled {f.plural(outcome.units, "unit")}.</p>
        </AlertDescription>
      </Alert>
    );
  }
  if (outcome.status === "WAITING") {
    return (
      <Alert variant="warning" data-testid="order-cancel-result" data-result="WAITING">
        <Clock aria-hidden="true" />
        <AlertTitle>WAITING FOR THE WAREHOUSE · {outcome.subOrderId}</AlertTitle>
        <AlertDescription>
          <p>
            {f.plural(outcome.units, "unit")} reserved: {outcome.message}. The page shows the answer when it
            comes.
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  return (
    <Alert variant="destructive" role="alert" data-testid="order-cancel-result" data-result="ERROR">
      <CircleAlert aria-hidden="true" />
      <AlertTitle>
        ERROR · {outcome.subOrderId} · {outcome.code}
      </AlertTitle>
      <AlertDescription>
        <p>{outcome.message}</p>
      </AlertDescription>
    </Alert>
  );
}
