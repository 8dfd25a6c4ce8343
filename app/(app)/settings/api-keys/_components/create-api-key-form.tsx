"use client";

import { Check, Copy, KeyRound } from "lucide-react";
import { useActionState, useId, useState } from "react";
import { toast } from "sonner";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/action-result";
import type { ApiKeySummary } from "@/lib/auth/api-keys";
import { API_SCOPES } from "@/lib/auth/permissions";

import { createApiKeyAction } from "../_actions/create-api-key";

type State = ActionResult<{ key: ApiKeySummary; secret: string }> | null;

const SCOPE_HINTS = {
  cancel: "Cancel sub-orders and line items through the API.",
  read: "Read orders, cancellations and reason codes.",
  "orders:write": "Send orders (create and update) and warehouse events.",
  "requests:write": "Send customer cancel requests from a channel.",
} as const;

function CopyButton({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="outline"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          toast.success("API key copied.");
        } catch {
          toast.error("Copying failed: select the key and copy it by hand.");
        }
      }}
    >
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

/** Name and scopes in, the key out, shown once. */
export function CreateApiKeyForm() {
  const id = useId();
  const [state, formAction, pending] = useActionState<State, FormData>(
    async (_previous, formData) =>
      createApiKeyAction({ name: formData.get("name"), scopes: formData.getAll("scopes") }),
    null,
  );
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const nameError = fieldErrors?.name?.[0];
  const scopesError = fieldErrors?.scopes?.[0];
  const formError = state && !state.ok && !nameError && !scopesError ? state.message : undefined;

  return (
    <div className="flex flex-col gap-4">
      {state?.ok ? (
        <Alert variant="success" role="status">
          <KeyRound aria-hidden="true" />
          <AlertTitle>Key “{state.data.key.name}” created: copy it now</AlertTitle>
          <AlertDescription>
            <p>This is the only time the key is shown. Store it in the integration's secret store.</p>
            <div className="flex w-full items-center gap-2">
              <Input
                readOnly
                aria-label="New API key"
                value={state.data.secret}
                className="font-mono text-foreground"
                onFocus={(event) => event.currentTarget.select()}
              />
              <CopyButton value={state.data.secret} />
            </div>
          </AlertDescription>
        </Alert>
      ) : null}
      <form action={formAction} className="flex flex-col gap-4" aria-label="Create an API key">
        {formError ? (
          <Alert variant="destructive" role="alert">
            <AlertDescription>{formError}</AlertDescription>
          </Alert>
        ) : null}
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-name`}>Name</Label>
          <Input
            id={`${id}-name`}
            name="name"
            placeholder="e.g. Marketplace ERP"
            maxLength={100}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${id}-name-error` : undefined}
          />
          {nameError ? (
            <p id={`${id}-name-error`} className="text-destructive text-sm">
              {nameError}
            </p>
          ) : null}
        </div>
        <fieldset
          className="flex flex-col gap-2"
          aria-invalid={scopesError ? true : undefined}
          aria-describedby={scopesError ? `${id}-scopes-error` : undefined}
        >
          <legend className="mb-1 font-medium text-sm">Scopes</legend>
          {API_SCOPES.map((scope) => (
            <div key={scope} className="flex items-start gap-2">
              <Checkbox
                id={`${id}-scope-${scope}`}
                name="scopes"
                value={scope}
                defaultChecked={scope === "read"}
                aria-describedby={`${id}-scope-${scope}-hint`}
              />
              <div className="flex flex-col gap-0.5">
                <Label htmlFor={`${id}-scope-${scope}`} className="font-mono">
                  {scope}
                </Label>
                <span id={`${id}-scope-${scope}-hint`} className="text-muted-foreground text-xs">
                  {SCOPE_HINTS[scope]}
                </span>
              </div>
            </div>
          ))}
          {scopesError ? (
            <p id={`${id}-scopes-error`} className="text-destructive text-sm">
              {scopesError}
            </p>
          ) : null}
        </fieldset>
        <div>
          <Button type="submit" disabled={pending}>
            <KeyRound aria-hidden="true" />
            {pending ? "Creating…" : "Create key"}
          </Button>
        </div>
      </form>
    </div>
  );
}
