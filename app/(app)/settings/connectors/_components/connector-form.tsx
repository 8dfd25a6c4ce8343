"use client";

import { Save } from "lucide-react";
import { startTransition, useActionState, useId, useState } from "react";
import { toast } from "sonner";
import { FormattedCount } from "@/components/format/formatted";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/action-result";

import { updateConnectorAction } from "../_actions/update-connector";
import {
  CONNECTOR_KINDS_BY_TARGET,
  CONNECTOR_LABELS,
  type ConnectorKind,
  CREDENTIAL_FIELDS,
  MAX_ATTEMPTS_RANGE,
  TIMEOUT_MS_RANGE,
} from "../_lib/connector-fields";
import { originOf } from "../_lib/connector-origin";
import type { ConnectorSettingsSaved } from "../_lib/update-connector-settings";
import type { ConnectorRowView } from "./connectors-columns";

type State = ActionResult<ConnectorSettingsSaved> | null;

/** The fields this form shows; an error on anything else is shown above the form. */
const FIELDS = ["connector", "baseUrl", "apiKey", "token", "timeoutMs", "maxAttempts", "enabled"] as const;

const selectClass =
  "flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs focus-visible:border-ring aria-invalid:border-destructive";

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="text-destructive text-sm">
      {message}
    </p>
  );
}

/** Ids for aria-describedby: the hint, then the error when there is one. */
const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

/**
 * The connector settings of one channel or warehouse. Credentials are write-only: the stored ones
 * never reach the browser, and a blank field keeps them.
 */
export function ConnectorForm({ row, onSaved }: { row: ConnectorRowView; onSaved: () => void }) {
  const id = useId();
  const kinds: readonly ConnectorKind[] = CONNECTOR_KINDS_BY_TARGET[row.target];
  const [kind, setKind] = useState<ConnectorKind>(row.connector as ConnectorKind);
  const [baseUrl, setBaseUrl] = useState(row.baseUrl ?? "");
  const [state, formAction, pending] = useActionState<State, FormData>(async (_previous, formData) => {
    const result = await updateConnectorAction(formData);
    if (result.ok) {
      toast.success(`Connector settings of ${result.data.name} saved.`);
      onSaved();
    }
    return result;
  }, null);

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errorOf = (name: (typeof FIELDS)[number]) => errors[name]?.[0];
  const formError =
    state && !state.ok && !FIELDS.some((name) => errors[name]?.length) ? state.message : undefined;

  const credential = CREDENTIAL_FIELDS[kind];
  const kindChanged = kind !== row.connector;
  const newHost = originOf(baseUrl.trim() || null);
  const hostChanged = row.hasCredentials && !kindChanged && newHost !== originOf(row.baseUrl);
  const keepsStored = row.hasCredentials && !kindChanged && !hostChanged;
  const ids = {
    connector: `${id}-connector`,
    baseUrl: `${id}-base-url`,
    credential: `${id}-credential`,
    timeoutMs: `${id}-timeout`,
    maxAttempts: `${id}-max-attempts`,
    enabled: `${id}-enabled`,
  };

  return (
    <form
      // Submitted by hand rather than through `action`, so a refused form keeps what was typed.
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => formAction(formData));
      }}
      noValidate
      className="flex flex-col gap-4"
      aria-label={`Connector settings of ${row.name}`}
    >
      {formError ? (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}
      <input type="hidden" name="target" value={row.target} />
      <input type="hidden" name="id" value={row.id} />

      <div className="flex flex-col gap-2">
        <Label htmlFor={ids.connector}>Connector type</Label>
        <select
          id={ids.connector}
          name="connector"
          value={kind}
          onChange={(event) => setKind(event.target.value as ConnectorKind)}
          className={selectClass}
          aria-invalid={errorOf("connector") ? true : undefined}
          aria-describedby={describedBy(
            kindChanged && row.hasCredentials && `${ids.connector}-hint`,
            errorOf("connector") && `${ids.connector}-error`,
          )}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {CONNECTOR_LABELS[k]}
            </option>
          ))}
        </select>
        {kindChanged && row.hasCredentials ? (
          <p id={`${ids.connector}-hint`} className="text-muted-foreground text-xs">
            Changing the type drops the stored credentials.
          </p>
        ) : null}
        <FieldError id={`${ids.connector}-error`} message={errorOf("connector")} />
      </div>

      <div className="flex flex-col gap-2">
        <Label htmlFor={ids.baseUrl}>Base URL</Label>
        <Input
          id={ids.baseUrl}
          name="baseUrl"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          value={baseUrl}
          onChange={(event) => setBaseUrl(event.target.value)}
          placeholder={kind === "manual" ? "Not needed for manual" : "https://api.example.com"}
          className="font-mono"
          aria-invalid={errorOf("baseUrl") ? true : undefined}
          aria-describedby={describedBy(errorOf("baseUrl") && `${ids.baseUrl}-error`)}
        />
        <FieldError id={`${ids.baseUrl}-error`} message={errorOf("baseUrl")} />
      </div>

      {credential ? (
        <div className="flex flex-col gap-2">
          <Label htmlFor={ids.credential}>{credential.label}</Label>
          <Input
            // A new element per field, so a value typed for one kind is not sent as another's.
            key={credential.name}
            id={ids.credential}
            name={credential.name}
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            placeholder={keepsStored ? "Stored: leave blank to keep it" : "Not set"}
            className="font-mono"
            aria-invalid={errorOf(credential.name) ? true : undefined}
            aria-describedby={describedBy(
              `${ids.credential}-hint`,
              errorOf(credential.name) && `${ids.credential}-error`,
            )}
          />
          <p id={`${ids.credential}-hint`} className="text-muted-foreground text-xs">
            {keepsStored
              ? `An ${credential.label} is stored (encrypted, never shown). Leave blank to keep it; type a new one to replace it.`
              : hostChanged
                ? `The address now points to another host${newHost ? ` (${newHost})` : ""}: the stored ${credential.label} is not sent there and is dropped when you save. Enter the ${credential.label} for the new host.`
                : `Stored encrypted and never shown again.`}
          </p>
          <FieldError id={`${ids.credential}-error`} message={errorOf(credential.name)} />
        </div>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-2">
          <Label htmlFor={ids.timeoutMs}>Timeout (ms)</Label>
          <Input
            id={ids.timeoutMs}
            name="timeoutMs"
            type="number"
            inputMode="numeric"
            min={TIMEOUT_MS_RANGE.min}
            max={TIMEOUT_MS_RANGE.max}
            step={1}
            defaultValue={row.timeoutMs}
            aria-invalid={errorOf("timeoutMs") ? true : undefined}
            aria-describedby={describedBy(
              `${ids.timeoutMs}-hint`,
              errorOf("timeoutMs") && `${ids.timeoutMs}-error`,
            )}
          />
          <p id={`${ids.timeoutMs}-hint`} className="text-muted-foreground text-xs">
            <FormattedCount value={TIMEOUT_MS_RANGE.min} /> to <FormattedCount value={TIMEOUT_MS_RANGE.max} />{" "}
            per request.
          </p>
          <FieldError id={`${ids.timeoutMs}-error`} message={errorOf("timeoutMs")} />
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor={ids.maxAttempts}>Max attempts</Label>
          <Input
            id={ids.maxAttempts}
            name="maxAttempts"
            type="number"
            inputMode="numeric"
            min={MAX_ATTEMPTS_RANGE.min}
            max={MAX_ATTEMPTS_RANGE.max}
            step={1}
            defaultValue={row.maxAttempts}
            aria-invalid={errorOf("maxAttempts") ? true : undefined}
            aria-describedby={describedBy(
              `${ids.maxAttempts}-hint`,
              errorOf("maxAttempts") && `${ids.maxAttempts}-error`,
            )}
          />
          <p id={`${ids.maxAttempts}-hint`} className="text-muted-foreground text-xs">
            {row.target === "channel"
              ? "Deliveries of a notification before it is dead-lettered."
              : "Quick tries for a cancellation made on screen or by API before it waits for the warehouse (asked again later with the same request; never failed without an answer)."}{" "}
            {MAX_ATTEMPTS_RANGE.min} to {MAX_ATTEMPTS_RANGE.max}.
          </p>
          <FieldError id={`${ids.maxAttempts}-error`} message={errorOf("maxAttempts")} />
        </div>
      </div>

      <div className="flex items-start gap-2">
        <Checkbox
          id={ids.enabled}
          name="enabled"
          defaultChecked={row.enabled}
          aria-describedby={describedBy(`${ids.enabled}-hint`, errorOf("enabled") && `${ids.enabled}-error`)}
        />
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.enabled}>Enabled</Label>
          <p id={`${ids.enabled}-hint`} className="text-muted-foreground text-xs">
            {row.target === "channel"
              ? "While disabled, nothing is sent: notifications are retried with backoff and dead-lettered after the max attempts."
              : "While disabled, cancellations in this warehouse fail as unavailable."}
          </p>
          <FieldError id={`${ids.enabled}-error`} message={errorOf("enabled")} />
        </div>
      </div>

      <div className="flex justify-end gap-2">
        <Button type="submit" disabled={pending}>
          <Save aria-hidden="true" />
          {pending ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
