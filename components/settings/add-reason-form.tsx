"use client";

import { Plus } from "lucide-react";
import { startTransition, useActionState, useId, useRef } from "react";
import { toast } from "sonner";

import { addReasonAction } from "@/app/(app)/settings/reasons/_actions/add-reason";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import type { ReasonRow } from "@/db/queries/reasons";
import type { ActionResult } from "@/lib/action-result";
import {
  INITIATOR_LABELS,
  PERSON_INITIATORS,
  REASON_CODE_MAX,
  REASON_LABEL_MAX,
} from "@/lib/reasons/schemas";

import { describedBy, FieldError } from "./field-error";

type State = ActionResult<ReasonRow> | null;
const FIELDS = ["code", "label", "initiator"] as const;

/** Code, label and initiator of a new reason; errors tied to their inputs, what was typed kept. */
export function AddReasonForm() {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction, pending] = useActionState<State, FormData>(async (_previous, formData) => {
    const result = await addReasonAction(formData);
    if (result.ok) {
      toast.success(`Reason ${result.data.code} added.`);
      formRef.current?.reset();
    }
    return result;
  }, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errorOf = (name: (typeof FIELDS)[number]) => errors[name]?.[0];
  const formError =
    state && !state.ok && !FIELDS.some((name) => errors[name]?.length) ? state.message : undefined;
  const ids = { code: `${id}-code`, label: `${id}-label`, initiator: `${id}-initiator` };

  return (
    <form
      ref={formRef}
      // Submitted by hand rather than through `action`, so a refused form keeps what was typed.
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => formAction(formData));
      }}
      noValidate
      aria-label="Add a reason"
      className="flex flex-col gap-4"
    >
      {formError ? (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-2">
          <Label htmlFor={ids.code}>Code</Label>
          <Input
            id={ids.code}
            name="code"
            autoComplete="off"
            spellCheck={false}
            maxLength={REASON_CODE_MAX}
            placeholder="SUPPLIER_RECALL"
            className="font-mono uppercase"
            aria-invalid={errorOf("code") ? true : undefined}
            aria-describedby={describedBy(`${ids.code}-hint`, errorOf("code") && `${ids.code}-error`)}
          />
          <p id={`${ids.code}-hint`} className="text-muted-foreground text-xs">
            Upper-case letters, digits and underscores. It is kept for good: the ledger and CSV files carry
            it.
          </p>
          <FieldError id={`${ids.code}-error`} message={errorOf("code")} />
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor={ids.label}>Label</Label>
          <Input
            id={ids.label}
            name="label"
            autoComplete="off"
            maxLength={REASON_LABEL_MAX}
            placeholder="Recalled by the supplier"
            aria-invalid={errorOf("label") ? true : undefined}
            aria-describedby={describedBy(`${ids.label}-hint`, errorOf("label") && `${ids.label}-error`)}
          />
          <p id={`${ids.label}-hint`} className="text-muted-foreground text-xs">
            What people pick from; it can be renamed later.
          </p>
          <FieldError id={`${ids.label}-error`} message={errorOf("label")} />
        </div>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend id={ids.initiator} className="mb-1 font-medium text-sm">
          Initiated by
        </legend>
        <RadioGroup
          name="initiator"
          defaultValue="seller"
          className="flex flex-wrap gap-4"
          aria-labelledby={ids.initiator}
          aria-describedby={describedBy(errorOf("initiator") && `${ids.initiator}-error`)}
        >
          {PERSON_INITIATORS.map((initiator) => (
            <div key={initiator} className="flex items-center gap-2">
              <RadioGroupItem id={`${ids.initiator}-${initiator}`} value={initiator} />
              <Label htmlFor={`${ids.initiator}-${initiator}`}>{INITIATOR_LABELS[initiator]}</Label>
            </div>
          ))}
        </RadioGroup>
        <FieldError id={`${ids.initiator}-error`} message={errorOf("initiator")} />
      </fieldset>
      <div>
        <Button type="submit" disabled={pending}>
          <Plus aria-hidden="true" />
          {pending ? "Adding…" : "Add reason"}
        </Button>
      </div>
    </form>
  );
}
