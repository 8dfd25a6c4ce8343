"use client";

import { UserPlus } from "lucide-react";
import { useActionState, useId } from "react";

import { inviteUserAction } from "@/app/(app)/settings/users/_actions/invite-user";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionResult } from "@/lib/action-result";
import { ROLES } from "@/lib/auth/permissions";
import type { PasswordLink, UserChange } from "@/lib/auth/user-accounts";
import { PASSWORD_LINK_TTL_HOURS } from "@/lib/auth/user-schemas";

import { PasswordLinkNotice } from "./password-link-notice";
import { ROLE_HINTS, ROLE_LABELS, SELECT_CLASS } from "./user-labels";

type Values = { name: string; email: string; role: string };
type State = { result: ActionResult<{ user: UserChange; link: PasswordLink }>; values: Values } | null;

const FIELDS = ["name", "email", "role"] as const;
type Field = (typeof FIELDS)[number];

/**
 * Name, email and role in; a one-time set-password link out, shown once. Field errors are tied to
 * their inputs with aria-describedby; a refused form keeps what was typed.
 */
export function InviteUserForm() {
  const id = useId();
  const [state, formAction, pending] = useActionState<State, FormData>(async (_previous, formData) => {
    const values = {
      name: String(formData.get("name") ?? ""),
      email: String(formData.get("email") ?? ""),
      role: String(formData.get("role") ?? ""),
    };
    return { result: await inviteUserAction(values), values };
  }, null);
  const result = state?.result;
  const failed = result && !result.ok ? result : undefined;
  // What to show in the fields: what was typed when it was refused, nothing after an invite.
  const values = failed ? state?.values : undefined;
  const fieldError: Record<Field, string | undefined> = {
    name: failed?.fieldErrors?.name?.[0],
    email: failed?.fieldErrors?.email?.[0] ?? (failed?.code === "EMAIL_TAKEN" ? failed.message : undefined),
    role: failed?.fieldErrors?.role?.[0],
  };
  const formError = failed && !FIELDS.some((field) => fieldError[field]) ? failed.message : undefined;
  const describedBy = (field: Field, hint?: string) =>
    [fieldError[field] ? `${id}-${field}-error` : undefined, hint].filter(Boolean).join(" ") || undefined;

  return (
    <div className="flex flex-col gap-4">
      {result?.ok ? (
        <PasswordLinkNotice
          title={`${result.data.user.name} is invited as ${ROLE_LABELS[result.data.user.role]}: copy the link now`}
          link={result.data.link}
        />
      ) : null}
      <form
        action={formAction}
        noValidate
        aria-label="Invite a user"
        className="grid gap-4 sm:grid-cols-[1fr_1fr_12rem_auto] sm:items-start"
      >
        {formError ? (
          <Alert variant="destructive" role="alert" className="sm:col-span-4">
            <AlertDescription>{formError}</AlertDescription>
          </Alert>
        ) : null}
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-name`}>Name</Label>
          <Input
            id={`${id}-name`}
            name="name"
            autoComplete="off"
            maxLength={200}
            required
            defaultValue={values?.name ?? ""}
            aria-invalid={fieldError.name ? true : undefined}
            aria-describedby={describedBy("name")}
          />
          {fieldError.name ? (
            <p id={`${id}-name-error`} className="text-destructive text-sm">
              {fieldError.name}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-email`}>Email</Label>
          <Input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="off"
            maxLength={320}
            required
            defaultValue={values?.email ?? ""}
            aria-invalid={fieldError.email ? true : undefined}
            aria-describedby={describedBy("email")}
          />
          {fieldError.email ? (
            <p id={`${id}-email-error`} className="text-destructive text-sm">
              {fieldError.email}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor={`${id}-role`}>Role</Label>
          <select
            id={`${id}-role`}
            name="role"
            defaultValue={values?.role ?? "viewer"}
            className={SELECT_CLASS}
            aria-invalid={fieldError.role ? true : undefined}
            aria-describedby={describedBy("role", `${id}-role-hint`)}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
          {fieldError.role ? (
            <p id={`${id}-role-error`} className="text-destructive text-sm">
              {fieldError.role}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col gap-2 sm:pt-[1.375rem]">
          <Button type="submit" disabled={pending}>
            <UserPlus aria-hidden="true" />
            {pending ? "Inviting…" : "Invite"}
          </Button>
        </div>
        <ul id={`${id}-role-hint`} className="text-muted-foreground text-xs sm:col-span-4">
          {ROLES.map((role) => (
            <li key={role}>
              <span className="font-medium">{ROLE_LABELS[role]}</span>: {ROLE_HINTS[role]}
            </li>
          ))}
          <li>The link lets them set their password and works once, for {PASSWORD_LINK_TTL_HOURS} hours.</li>
        </ul>
      </form>
    </div>
  );
}
