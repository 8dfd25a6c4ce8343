"use client";

import { CircleCheck, Loader2, TriangleAlert } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { useFormatter } from "@/components/format/locale-provider";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { OrderException } from "@/db/queries/order-detail";
import type { ActionResult } from "@/lib/action-result";
import { EXCEPTION_STEPS, type ExceptionSteps, stepsProblem } from "@/lib/orders/exception-steps";

export type UpdateExceptionAction = (input: {
  orderId: string;
  exceptionId: string;
  steps: {
    customerTold: boolean;
    acknowledged: boolean;
    sellerSupportContacted: boolean;
    creditMemo?: string;
  };
}) => Promise<ActionResult<{ resolved: boolean }>>;

/** Units that shipped after they were cancelled, each with the seller portal's compensation steps to tick off. */
export function OrderExceptions({
  orderId,
  exceptions,
  canEdit,
  update,
}: {
  orderId: string;
  exceptions: OrderException[];
  canEdit: boolean;
  update: UpdateExceptionAction;
}) {
  if (exceptions.length === 0) return null;
  return (
    <section
      aria-labelledby="order-exceptions"
      className="flex flex-col gap-4 rounded-xl border border-warning/50 bg-card p-5 shadow-xs"
    >
      <h2 id="order-exceptions" className="flex items-center gap-2 font-semibold text-lg">
        <TriangleAlert aria-hidden="true" className="size-5 text-warning" />
        Exceptions: shipped after cancellation
      </h2>
      {exceptions.map((e) => (
        <ExceptionChecklist key={e.id} orderId={orderId} exception={e} canEdit={canEdit} update={update} />
      ))}
    </section>
  );
}

function ExceptionChecklist({
  orderId,
  exception,
  canEdit,
  update,
}: {
  orderId: string;
  exception: OrderException;
  canEdit: boolean;
  update: UpdateExceptionAction;
}) {
  const f = useFormatter();
  const ids = useId();
  const router = useRouter();
  const [steps, setSteps] = useState<ExceptionSteps>(exception.steps);
  const [error, setError] = useState<string | null>(null);
  const [isSaving, startTransition] = useTransition();
  const shipment = exception.shipment;

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    const problem = stepsProblem(steps);
    if (problem) {
      setError(`${problem}.`);
      return;
    }
    startTransition(async () => {
      const result = await update({
        orderId,
        exceptionId: exception.id,
        steps: {
          customerTold: steps.customerTold === true,
          acknowledged: steps.acknowledged === true,
          sellerSupportContacted: steps.sellerSupportContacted === true,
          creditMemo: steps.creditMemo ?? "",
        },
      });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setError(null);
      toast.success(result.data.resolved ? "Exception resolved" : "Steps saved");
      router.refresh();
    });
  };

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      data-testid="order-exception"
      data-resolved={exception.resolvedAt ? "true" : "false"}
      aria-label={`Exception on ${exception.subOrderId}`}
      className="flex flex-col gap-3 rounded-lg border p-4"
    >
      <div className="flex flex-col gap-1 text-sm">
        <p className="font-medium">
          {exception.subOrderId}: {exception.lines.map((l) => `${l.units} × ${l.sku}`).join(", ")} shipped
          although cancelled
        </p>
        <p className="text-muted-foreground">
          Recorded {f.dateTime(exception.createdAt)}
          {shipment
            ? ` · shipment ${shipment.reference}${shipment.carrier ? ` · ${shipment.carrier}` : ""}${shipment.trackingNumber ? ` · tracking ${shipment.trackingNumber}` : ""}`
            : ""}
        </p>
        {exception.resolvedAt ? (
          <p className="flex items-center gap-1.5 text-success">
            <CircleCheck aria-hidden="true" className="size-4" /> Resolved {f.dateTime(exception.resolvedAt)}
          </p>
        ) : null}
      </div>
      <fieldset className="flex flex-col gap-3" disabled={!canEdit || isSaving}>
        <legend className="sr-only">Compensation steps</legend>
        {EXCEPTION_STEPS.map((step, index) => (
          <div key={step.key} className="flex items-start gap-2">
            <Checkbox
              id={`${ids}-${step.key}`}
              checked={steps[step.key] === true}
              onCheckedChange={(checked) => {
                setError(null);
                setSteps((s) => ({ ...s, [step.key]: checked === true }));
              }}
              aria-describedby={`${ids}-${step.key}-hint`}
            />
            <div className="flex flex-col gap-0.5">
              <Label htmlFor={`${ids}-${step.key}`}>
                {index + 1}. {step.label}
              </Label>
              <p id={`${ids}-${step.key}-hint`} className="text-muted-foreground text-xs">
                {step.hint}
              </p>
            </div>
          </div>
        ))}
        <div className="flex flex-col gap-1.5 sm:max-w-sm">
          <Label htmlFor={`${ids}-memo`}>{EXCEPTION_STEPS.length + 1}. Credit memo reference</Label>
          <Input
            id={`${ids}-memo`}
            value={steps.creditMemo ?? ""}
            maxLength={100}
            onChange={(event) => {
              setError(null);
              setSteps((s) => ({ ...s, creditMemo: event.target.value }));
            }}
            aria-describedby={`${ids}-memo-hint`}
          />
          <p id={`${ids}-memo-hint`} className="text-muted-foreground text-xs">
            From Seller Support, once the customer has accepted the re-billing.
          </p>
        </div>
      </fieldset>
      {error ? (
        <p role="alert" className="text-destructive text-sm">
          {error}
        </p>
      ) : null}
      {canEdit ? (
        <div>
          <Button type="submit" variant="secondary" disabled={isSaving}>
            {isSaving ? <Loader2 aria-hidden="true" className="motion-safe:animate-spin" /> : null}
            Save steps
          </Button>
        </div>
      ) : null}
    </form>
  );
}
