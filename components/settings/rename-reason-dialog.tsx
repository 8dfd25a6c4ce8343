"use client";

import { Pencil } from "lucide-react";
import { startTransition, useActionState, useId, useState } from "react";
import { toast } from "sonner";

import { renameReasonAction } from "@/app/(app)/settings/reasons/_actions/rename-reason";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ReasonRow } from "@/db/queries/reasons";
import type { ActionResult } from "@/lib/action-result";
import { REASON_LABEL_MAX } from "@/lib/reasons/schemas";

import { describedBy, FieldError } from "./field-error";

type State = ActionResult<ReasonRow> | null;

function RenameForm({ reason, onSaved }: { reason: ReasonRow; onSaved: () => void }) {
  const id = useId();
  const [state, formAction, pending] = useActionState<State, FormData>(async (_previous, formData) => {
    const result = await renameReasonAction(formData);
    if (result.ok) {
      toast.success(`${result.data.code} is now “${result.data.label}”.`);
      onSaved();
    }
    return result;
  }, null);
  const labelError = state && !state.ok ? (state.fieldErrors?.label?.[0] ?? undefined) : undefined;
  const formError = state && !state.ok && !labelError ? state.message : undefined;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => formAction(formData));
      }}
      noValidate
      aria-label={`Rename ${reason.code}`}
      className="flex flex-col gap-4"
    >
      {formError ? (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}
      <input type="hidden" name="code" value={reason.code} />
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-label`}>Label</Label>
        <Input
          id={`${id}-label`}
          name="label"
          defaultValue={reason.label}
          maxLength={REASON_LABEL_MAX}
          autoComplete="off"
          aria-invalid={labelError ? true : undefined}
          aria-describedby={describedBy(labelError && `${id}-label-error`)}
        />
        <FieldError id={`${id}-label-error`} message={labelError} />
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save label"}
        </Button>
      </div>
    </form>
  );
}

/** Rename one reason in a dialog; the form mounts fresh each time it opens. */
export function RenameReasonDialog({ reason }: { reason: ReasonRow }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <Pencil aria-hidden="true" />
          Rename<span className="sr-only"> {reason.code}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Rename {reason.code}</DialogTitle>
          <DialogDescription>
            The code stays; the screens, the timeline and the warehouse's readable reason show the new label,
            also for earlier cancellations.
          </DialogDescription>
        </DialogHeader>
        <RenameForm reason={reason} onSaved={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
