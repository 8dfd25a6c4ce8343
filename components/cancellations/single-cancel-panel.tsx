"use client";

import { CircleAlert, CircleCheck, Clock, Loader2, Search } from "lucide-react";
import { useActionState, useId, useState, useTransition } from "react";
import { toast } from "sonner";
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
import { Label } from "@/components/ui/label";
import type { ActionFailure } from "@/lib/action-result";
import { ReasonSelect } from "./reason-select";
import { SubOrderCard } from "./sub-order-card";
import type {
  LookupResult,
  ReasonOption,
  SingleCancelActions,
  SingleCancelResult,
  SubOrderMode,
} from "./types";

type LookupState = { lookup: LookupResult | null; error: ActionFailure | null; query: string };

type SingleCancelPanelProps = {
  reasons: readonly ReasonOption[];
  actions: SingleCancelActions;
  /** The signed-in user may cancel. */
  canCancel: boolean;
};

/** Cancel one sub-order: look it up, see what can be cancelled and why not, choose a reason, confirm. */
export function SingleCancelPanel({ reasons, actions, canCancel }: SingleCancelPanelProps) {
  const f = useFormatter();
  const ids = useId();
  const inputId = `${ids}-sub-order`;
  const inputErrorId = `${ids}-sub-order-error`;
  const assessmentId = `${ids}-assessment`;

  const [state, lookupAction, isLooking] = useActionState<LookupState, FormData>(
    async (_previous, form) => {
      const query = String(form.get("subOrderId") ?? "").trim();
      const result = await actions.lookup({ subOrderId: query });
      return result.ok ? { lookup: result.data, error: null, query } : { lookup: null, error: result, query };
    },
    { lookup: null, error: null, query: "" },
  );
  // The sub-order as last seen: from the lookup, then from the cancel's answer.
  const [current, setCurrent] = useState<{ query: string; lookup: LookupResult } | null>(null);
  const lookup = current && current.query === state.query ? current.lookup : state.lookup;

  const [reasonCode, setReasonCode] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [unfulfilledOnly, setUnfulfilledOnly] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ query: string; value: SingleCancelResult } | null>(null);
  const [isCancelling, startTransition] = useTransition();

  const mode: SubOrderMode = unfulfilledOnly ? "unfulfilled_only" : "strict";
  const assessment = lookup?.assessment[mode] ?? null;
  const shownResult = result && result.query === state.query ? result.value : null;

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    if (!reasonCode) {
      setReasonError("Choose a reason.");
      return;
    }
    setConfirming(true);
  };

  const onConfirm = () => {
    if (!lookup) return;
    const subOrderId = lookup.subOrder.id;
    const query = state.query;
    startTransition(async () => {
      const response = await actions.cancel({ subOrderId, mode, reasonCode });
      setConfirming(false);
      if (!response.ok) {
        toast.error(response.message);
        setResult({
          query,
          value: {
            outcome: { status: "ERROR", code: response.code, message: response.message },
            lookup: null,
          },
        });
        return;
      }
      setResult({ query, value: response.data });
      if (response.data.lookup) setCurrent({ query, lookup: response.data.lookup });
      if (response.data.outcome.status === "SUCCESS") toast.success(`${subOrderId} cancelled`);
    });
  };

  const lookupError = state.error ? (state.error.fieldErrors?.subOrderId?.[0] ?? state.error.message) : null;

  return (
    <div className="flex flex-col gap-5">
      <form
        action={lookupAction}
        className="flex flex-col gap-2 rounded-xl border bg-card p-5 shadow-xs"
        onSubmit={() => {
          setResult(null);
          setCurrent(null);
        }}
      >
        <Label htmlFor={inputId}>Sub-order ID</Label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input
            id={inputId}
            name="subOrderId"
            defaultValue={state.query}
            placeholder="e.g. SO-000001-1"
            autoComplete="off"
            spellCheck={false}
            required
            className="font-mono sm:max-w-sm"
            aria-invalid={lookupError ? true : undefined}
            aria-describedby={lookupError ? inputErrorId : undefined}
          />
          <Button type="submit" variant="secondary" disabled={isLooking}>
            {isLooking ? (
              <Loader2 aria-hidden="true" className="motion-safe:animate-spin" />
            ) : (
              <Search aria-hidden="true" />
            )}
            Look up
          </Button>
        </div>
        {lookupError ? (
          <p id={inputErrorId} role="alert" className="text-destructive text-sm">
            {lookupError}
          </p>
        ) : null}
      </form>

      <div aria-live="polite" className="flex flex-col gap-3 empty:hidden">
        {shownResult ? (
          shownResult.outcome.status === "SUCCESS" ? (
            <Alert variant="success" data-testid="single-result" data-result="SUCCESS">
              <CircleCheck aria-hidden="true" />
              <AlertTitle>SUCCESS</AlertTitle>
              <AlertDescription>
                <p>
                  Cancelled {f.plural(shownResult.outcome.units, "unit")} of{" "}
                  {lookup?.subOrder.id ?? "the sub-order"}.
                </p>
              </AlertDescription>
            </Alert>
          ) : shownResult.outcome.status === "WAITING" ? (
            <Alert variant="warning" data-testid="single-result" data-result="WAITING">
              <Clock aria-hidden="true" />
              <AlertTitle>WAITING FOR THE WAREHOUSE</AlertTitle>
              <AlertDescription>
                <p>
                  {f.plural(shownResult.outcome.units, "unit")} of {lookup?.subOrder.id ?? "the sub-order"}:{" "}
                  {shownResult.outcome.message}. Look the sub-order up again to see the answer.
                </p>
              </AlertDescription>
            </Alert>
          ) : (
            <Alert variant="destructive" role="alert" data-testid="single-result" data-result="ERROR">
              <CircleAlert aria-hidden="true" />
              <AlertTitle>ERROR · {shownResult.outcome.code}</AlertTitle>
              <AlertDescription>
                <p>{shownResult.outcome.message}</p>
              </AlertDescription>
            </Alert>
          )
        ) : null}
      </div>

      {lookup ? (
        <>
          <SubOrderCard
            subOrder={lookup.subOrder}
            caption={shownResult ? "Updated after the cancellation" : undefined}
          />
          <form
            onSubmit={onSubmit}
            className="flex flex-col gap-5 rounded-xl border bg-card p-5 shadow-xs"
            noValidate
          >
            <div
              id={assessmentId}
              data-testid="assessment"
              data-can-cancel={assessment?.ok ? "true" : "false"}
              className="text-sm"
            >
              {assessment?.ok ? (
                <p className="flex items-center gap-2 text-success">
                  <CircleCheck aria-hidden="true" className="size-4" />
                  Can be cancelled: {f.plural(assessment.units, "unit")} (
                  {f.money(assessment.valueMinor, lookup?.subOrder.currency ?? "INR")}).
                </p>
              ) : assessment ? (
                <p className="flex items-start gap-2 text-destructive">
                  <CircleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
                  <span>
                    Cannot be cancelled{unfulfilledOnly ? "" : " as a whole"}:{" "}
                    <span className="font-mono text-xs">{assessment.code}</span> {assessment.message}
                  </span>
                </p>
              ) : null}
            </div>
            <div className="flex flex-col gap-5 md:flex-row md:items-start md:gap-10">
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
                disabled={!canCancel}
              />
              <div className="flex items-start gap-2 md:pt-7">
                <Checkbox
                  id={`${ids}-unfulfilled`}
                  checked={unfulfilledOnly}
                  onCheckedChange={(checked) => setUnfulfilledOnly(checked === true)}
                  disabled={!canCancel}
                  aria-describedby={`${ids}-unfulfilled-hint`}
                />
                <div className="flex flex-col gap-1">
                  <Label htmlFor={`${ids}-unfulfilled`}>Unfulfilled only</Label>
                  <p id={`${ids}-unfulfilled-hint`} className="text-muted-foreground text-xs">
                    Cancel what is still open; leave shipped and in-processing units alone.
                  </p>
                </div>
              </div>
            </div>
            <div className="flex items-center gap-3">
              <Button
                type="submit"
                disabled={!canCancel || !assessment?.ok || isCancelling}
                aria-describedby={assessmentId}
              >
                Submit
              </Button>
              {!canCancel ? (
                <span className="text-muted-foreground text-sm">Your role may not cancel sub-orders.</span>
              ) : null}
            </div>
          </form>
        </>
      ) : null}

      <Dialog open={confirming} onOpenChange={(open) => !isCancelling && setConfirming(open)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Cancel {lookup?.subOrder.id}?</DialogTitle>
            <DialogDescription>
              {assessment?.ok
                ? `${f.plural(assessment.units, "unit")} (${f.money(assessment.valueMinor, lookup?.subOrder.currency ?? "INR")}) will be cancelled${
                    unfulfilledOnly ? "; shipped and in-processing units stay" : ""
                  }. `
                : null}
              Reason: {reasons.find((r) => r.code === reasonCode)?.label ?? reasonCode}. This cannot be
              undone.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline" disabled={isCancelling}>
                Keep it
              </Button>
            </DialogClose>
            <Button variant="destructive" onClick={onConfirm} disabled={isCancelling}>
              {isCancelling ? <Loader2 aria-hidden="true" className="motion-safe:animate-spin" /> : null}
              Cancel sub-order
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}
