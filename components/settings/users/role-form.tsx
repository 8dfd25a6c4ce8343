"use client";

import { useId, useState, useTransition } from "react";
import { toast } from "sonner";

import { changeRoleAction } from "@/app/(app)/settings/users/_actions/change-role";
import { Button } from "@/components/ui/button";
import { ROLES, type Role } from "@/lib/auth/permissions";

import { ROLE_LABELS, SELECT_CLASS } from "./user-labels";

/**
 * A user's role: pick another and save. The change applies on their next request; a refusal (the
 * last active admin) is shown under the select and tied to it.
 */
export function RoleForm({ userId, name, role }: { userId: string; name: string; role: Role }) {
  const id = useId();
  const [chosen, setChosen] = useState<Role>(role);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const errorId = `${id}-error`;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await changeRoleAction({ userId, role: chosen });
      if (result.ok) {
        setError(null);
        toast.success(`${name} is now ${ROLE_LABELS[result.data.role]}.`);
      } else {
        setError(result.message);
        setChosen(role);
      }
    });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <select
          id={`${id}-role`}
          aria-label={`Role of ${name}`}
          value={chosen}
          onChange={(event) => {
            setChosen(event.target.value as Role);
            setError(null);
          }}
          className={`${SELECT_CLASS} w-32`}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        >
          {ROLES.map((option) => (
            <option key={option} value={option}>
              {ROLE_LABELS[option]}
            </option>
          ))}
        </select>
        <Button type="submit" size="sm" variant="outline" disabled={pending || chosen === role}>
          {pending ? "Saving…" : "Save"}
          <span className="sr-only"> role of {name}</span>
        </Button>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="max-w-xs text-destructive text-xs">
          {error}
        </p>
      ) : null}
    </form>
  );
}
