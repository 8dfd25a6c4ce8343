"use client";

import { Check, Copy, KeyRound, Save } from "lucide-react";
import { startTransition, useActionState, useId, useState } from "react";
import { toast } from "sonner";

import { updateChannelPolicyAction } from "@/app/(app)/settings/connectors/_actions/update-channel-policy";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import type { ChannelPolicyRow } from "@/db/queries/channel-policies";
import type { ActionResult } from "@/lib/action-result";
import type { ChannelPolicySaved } from "@/lib/settings/channel-policy";
import { LINE_POLICIES, WEBHOOK_SECRET_LENGTH } from "@/lib/settings/channel-policy-schema";

import { describedBy, FieldError } from "./field-error";

type State = ActionResult<ChannelPolicySaved> | null;
const FIELDS = [
  "partialQuantities",
  "fillOrKill",
  "cargoRefund",
  "webhookUrl",
  "webhookSecret",
  "newSecret",
] as const;

const LINE_HINTS = {
  partial: "A line may lose part of its quantity (the dropship API's newQuantity).",
  whole:
    "A line is cancelled entirely or not at all; a partial quantity is refused before anything is reserved.",
} as const;

function originOf(url: string): string | null {
  return URL.canParse(url) ? new URL(url).origin : null;
}

function CopySecret({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="outline"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(secret);
          setCopied(true);
        } catch {
          toast.error("Copying failed: select the secret and copy it by hand.");
        }
      }}
    >
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

/**
 * One channel's policies. The webhook secret is write-only: the stored one never reaches the
 * browser; a generated one is shown once, here, after the save.
 */
export function ChannelPolicyForm({ row, onSaved }: { row: ChannelPolicyRow; onSaved: () => void }) {
  const id = useId();
  const [webhookUrl, setWebhookUrl] = useState(row.webhookUrl ?? "");
  const [state, formAction, pending] = useActionState<State, FormData>(async (_previous, formData) => {
    const result = await updateChannelPolicyAction({
      channelId: row.id,
      partialQuantities: formData.get("partialQuantities"),
      fillOrKill: formData.get("fillOrKill") === "on",
      // Only the commerce connector has the setting; elsewhere the stored value is kept.
      ...(row.connector === "commerce" ? { cargoRefund: formData.get("cargoRefund") === "on" } : {}),
      webhookUrl: formData.get("webhookUrl"),
      webhookSecret: formData.get("webhookSecret"),
      newSecret: formData.get("newSecret") === "on",
    });
    if (result.ok) {
      toast.success(`Policies of ${result.data.name} saved.`);
      if (!result.data.newSecret) onSaved();
    }
    return result;
  }, null);

  if (state?.ok && state.data.newSecret) {
    return (
      <div className="flex flex-col gap-4">
        <Alert variant="success" role="status">
          <KeyRound aria-hidden="true" />
          <AlertTitle>New webhook secret for {state.data.name}: copy it now</AlertTitle>
          <AlertDescription>
            <p>
              This is the only time it is shown. The channel verifies the X-Webhook-Signature of every
              decision with it.
            </p>
            <div className="flex w-full items-center gap-2">
              <Input
                readOnly
                aria-label="New webhook secret"
                value={state.data.newSecret}
                className="font-mono text-foreground"
                onFocus={(event) => event.currentTarget.select()}
              />
              <CopySecret secret={state.data.newSecret} />
            </div>
          </AlertDescription>
        </Alert>
        <div className="flex justify-end">
          <Button type="button" onClick={onSaved}>
            Done
          </Button>
        </div>
      </div>
    );
  }

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const errorOf = (name: (typeof FIELDS)[number]) => errors[name]?.[0];
  const formError =
    state && !state.ok && !FIELDS.some((name) => errors[name]?.length) ? state.message : undefined;
  const typedUrl = webhookUrl.trim();
  const hostChanged =
    row.hasWebhookSecret && typedUrl !== "" && originOf(typedUrl) !== originOf(row.webhookUrl ?? "");
  const ids = {
    lines: `${id}-lines`,
    fillOrKill: `${id}-fill-or-kill`,
    cargoRefund: `${id}-cargo-refund`,
    webhookUrl: `${id}-webhook-url`,
    webhookSecret: `${id}-webhook-secret`,
    newSecret: `${id}-new-secret`,
  };
  const secretHint = !typedUrl
    ? "Without a webhook URL no webhooks are sent, and a stored secret is dropped."
    : hostChanged
      ? "The address now points to another host: the stored secret does not follow it. Leave blank to get a new one (shown once), or type the channel's."
      : row.hasWebhookSecret
        ? "A secret is stored (encrypted, never shown). Leave blank to keep it; type one to replace it."
        : "None stored yet: leave blank to get a new one (shown once), or type the channel's.";

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const formData = new FormData(event.currentTarget);
        startTransition(() => formAction(formData));
      }}
      noValidate
      aria-label={`Policies of ${row.name}`}
      className="flex flex-col gap-5"
    >
      {formError ? (
        <Alert variant="destructive" role="alert">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      ) : null}

      <fieldset className="flex flex-col gap-2">
        <legend id={ids.lines} className="mb-1 font-medium text-sm">
          Cancelling part of a line
        </legend>
        <RadioGroup
          name="partialQuantities"
          defaultValue={row.partialQuantities ? "partial" : "whole"}
          aria-labelledby={ids.lines}
          aria-describedby={describedBy(errorOf("partialQuantities") && `${ids.lines}-error`)}
        >
          {(["partial", "whole"] as const).map((value) => (
            <div key={value} className="flex items-start gap-2">
              <RadioGroupItem
                id={`${ids.lines}-${value}`}
                value={value}
                className="mt-0.5"
                aria-describedby={`${ids.lines}-${value}-hint`}
              />
              <div className="flex flex-col gap-0.5">
                <Label htmlFor={`${ids.lines}-${value}`}>{LINE_POLICIES[value]}</Label>
                <span id={`${ids.lines}-${value}-hint`} className="text-muted-foreground text-xs">
                  {LINE_HINTS[value]}
                </span>
              </div>
            </div>
          ))}
        </RadioGroup>
        <FieldError id={`${ids.lines}-error`} message={errorOf("partialQuantities")} />
      </fieldset>

      <div className="flex items-start gap-2">
        <Checkbox
          id={ids.fillOrKill}
          name="fillOrKill"
          defaultChecked={row.fillOrKill}
          aria-describedby={`${ids.fillOrKill}-hint`}
        />
        <div className="flex flex-col gap-1">
          <Label htmlFor={ids.fillOrKill}>Fill-or-kill</Label>
          <p id={`${ids.fillOrKill}-hint`} className="text-muted-foreground text-xs">
            A shipment of part of a line cancels the rest of it at once (units in processing too), with the
            reason FILL_OR_KILL, and the channel is told.
          </p>
        </div>
      </div>

      {row.connector === "commerce" ? (
        <div className="flex items-start gap-2">
          <Checkbox
            id={ids.cargoRefund}
            name="cargoRefund"
            defaultChecked={row.cargoRefund}
            aria-describedby={`${ids.cargoRefund}-hint`}
          />
          <div className="flex flex-col gap-1">
            <Label htmlFor={ids.cargoRefund}>Refund the shipping cost (is_cargo_refund)</Label>
            <p id={`${ids.cargoRefund}-hint`} className="text-muted-foreground text-xs">
              Sent on every cancel call to the commerce platform, from the next notification on.
            </p>
          </div>
        </div>
      ) : null}

      <div className="flex flex-col gap-2">
        <Label htmlFor={ids.webhookUrl}>Webhook URL for cancel-request decisions</Label>
        <Input
          id={ids.webhookUrl}
          name="webhookUrl"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          value={webhookUrl}
          onChange={(event) => setWebhookUrl(event.target.value)}
          placeholder="https://partner.example.com/hooks/cancel-requests"
          className="font-mono"
          aria-invalid={errorOf("webhookUrl") ? true : undefined}
          aria-describedby={describedBy(
            `${ids.webhookUrl}-hint`,
            errorOf("webhookUrl") && `${ids.webhookUrl}-error`,
          )}
        />
        <p id={`${ids.webhookUrl}-hint`} className="text-muted-foreground text-xs">
          Approvals and rejections are POSTed here, signed. Public addresses only; blank: the channel reads
          decisions from the API instead.
        </p>
        <FieldError id={`${ids.webhookUrl}-error`} message={errorOf("webhookUrl")} />
      </div>

      <div className="flex flex-col gap-2">
        <Label htmlFor={ids.webhookSecret}>Webhook secret</Label>
        <Input
          id={ids.webhookSecret}
          name="webhookSecret"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          maxLength={WEBHOOK_SECRET_LENGTH.max}
          placeholder={row.hasWebhookSecret && !hostChanged ? "Stored: leave blank to keep it" : "Not set"}
          className="font-mono"
          aria-invalid={errorOf("webhookSecret") ? true : undefined}
          aria-describedby={describedBy(
            `${ids.webhookSecret}-hint`,
            errorOf("webhookSecret") && `${ids.webhookSecret}-error`,
          )}
        />
        <p id={`${ids.webhookSecret}-hint`} className="text-muted-foreground text-xs">
          {secretHint}
        </p>
        <FieldError id={`${ids.webhookSecret}-error`} message={errorOf("webhookSecret")} />
        {row.hasWebhookSecret ? (
          <div className="flex items-center gap-2">
            <Checkbox id={ids.newSecret} name="newSecret" />
            <Label htmlFor={ids.newSecret} className="font-normal">
              Generate a new secret (the stored one stops working)
            </Label>
          </div>
        ) : null}
      </div>

      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          <Save aria-hidden="true" />
          {pending ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}
