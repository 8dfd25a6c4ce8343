"use client";

import { Save, Trash2, TriangleAlert } from "lucide-react";
import { startTransition, useActionState, useId, useTransition } from "react";
import { toast } from "sonner";

import {
  removeReasonMappingAction,
  saveReasonMappingAction,
} from "@/app/(app)/settings/reasons/_actions/reason-mapping";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { TableCell, TableRow } from "@/components/ui/table";
import type { ActionResult } from "@/lib/action-result";
import { CHANNEL_CODE_MAX } from "@/lib/reasons/mapping";
import type { ReasonMappingSaved } from "@/lib/reasons/save-reason-mapping";

import { describedBy } from "./field-error";

type State = ActionResult<ReasonMappingSaved> | null;

export type ReasonMappingRowView = {
  channelId: string;
  channelName: string;
  reasonCode: string;
  reasonLabel: string;
  active: boolean;
  /** The channel's code now, or null. */
  channelCode: string | null;
  /** What is wrong with it for this channel's connector, in a sentence; null when nothing. */
  problem: string | null;
  integer: boolean;
};

/**
 * One reason's mapping on one channel: the channel's code or text, saved or removed in place. The
 * form sits in the last cell; the input joins it with the `form` attribute, so the row stays a table
 * row.
 */
export function ReasonMappingRow({ row }: { row: ReasonMappingRowView }) {
  const id = useId();
  const formId = `${id}-form`;
  const inputId = `${id}-code`;
  const [removing, startRemoving] = useTransition();
  const [state, formAction, pending] = useActionState<State, FormData>(async (_previous, formData) => {
    const result = await saveReasonMappingAction(formData);
    if (result.ok) toast.success(`${row.reasonCode} is “${result.data.channelCode}” on ${row.channelName}.`);
    return result;
  }, null);
  const error = state && !state.ok ? (state.fieldErrors?.channelCode?.[0] ?? state.message) : undefined;

  function onRemove() {
    startRemoving(async () => {
      const result = await removeReasonMappingAction({
        channelId: row.channelId,
        reasonCode: row.reasonCode,
      });
      if (result.ok) toast.success(`${row.reasonCode} no longer mapped on ${row.channelName}.`);
      else toast.error(result.message);
    });
  }

  return (
    <TableRow data-reason-code={row.reasonCode} data-mapped={row.channelCode === null ? "no" : "yes"}>
      <TableCell>
        <div className="flex min-w-0 flex-col">
          <span className="font-medium">{row.reasonLabel}</span>
          <span className="font-mono text-muted-foreground text-xs">{row.reasonCode}</span>
        </div>
      </TableCell>
      <TableCell className="min-w-[14rem] whitespace-normal">
        <div className="flex flex-col gap-1">
          <Input
            // A fresh input when the stored code changes (saved elsewhere, or removed).
            key={row.channelCode ?? ""}
            id={inputId}
            form={formId}
            name="channelCode"
            defaultValue={row.channelCode ?? ""}
            maxLength={CHANNEL_CODE_MAX}
            inputMode={row.integer ? "numeric" : undefined}
            autoComplete="off"
            spellCheck={false}
            placeholder={row.integer ? "A whole number" : "The channel's code or text"}
            aria-label={`${row.channelName} code for ${row.reasonLabel}`}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(row.problem && `${id}-problem`, error && `${id}-error`)}
            className="h-8"
          />
          {error ? (
            <p id={`${id}-error`} className="text-destructive text-xs">
              {error}
            </p>
          ) : null}
        </div>
      </TableCell>
      <TableCell className="min-w-[12rem] whitespace-normal">
        {row.problem ? (
          <p id={`${id}-problem`} className="flex items-start gap-1 text-warning text-xs">
            <TriangleAlert aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
            {row.problem}
          </p>
        ) : row.active ? (
          row.channelCode === null ? (
            <span className="text-muted-foreground text-xs">Not needed</span>
          ) : (
            <Badge variant="outline">Mapped</Badge>
          )
        ) : (
          <Badge variant="outline">Inactive reason</Badge>
        )}
      </TableCell>
      <TableCell className="text-right">
        <form
          id={formId}
          onSubmit={(event) => {
            event.preventDefault();
            const formData = new FormData(event.currentTarget);
            startTransition(() => formAction(formData));
          }}
          noValidate
          aria-label={`Mapping of ${row.reasonCode} on ${row.channelName}`}
          className="flex justify-end gap-2"
        >
          <input type="hidden" name="channelId" value={row.channelId} />
          <input type="hidden" name="reasonCode" value={row.reasonCode} />
          <Button type="submit" size="sm" variant="outline" disabled={pending}>
            <Save aria-hidden="true" />
            Save<span className="sr-only"> {row.reasonCode}</span>
          </Button>
          {row.channelCode !== null ? (
            <Button type="button" size="sm" variant="ghost" onClick={onRemove} disabled={removing}>
              <Trash2 aria-hidden="true" />
              Remove<span className="sr-only"> {row.reasonCode}</span>
            </Button>
          ) : null}
        </form>
      </TableCell>
    </TableRow>
  );
}
