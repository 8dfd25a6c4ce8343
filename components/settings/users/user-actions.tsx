"use client";

import { Ban, KeyRound, UserCheck } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";

import { disableUserAction } from "@/app/(app)/settings/users/_actions/disable-user";
import { enableUserAction } from "@/app/(app)/settings/users/_actions/enable-user";
import { resetPasswordAction } from "@/app/(app)/settings/users/_actions/reset-password";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import type { PasswordLink } from "@/lib/auth/user-accounts";

import { PasswordLinkNotice } from "./password-link-notice";

type UserRef = { id: string; name: string; email: string };

/** Disable (after a confirmation: their sessions end at once) or enable again. */
export function DisableUserButton({ user, disabled }: { user: UserRef; disabled: boolean }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (disabled) {
    return (
      <Button
        variant="outline"
        size="sm"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await enableUserAction({ userId: user.id });
            if (result.ok) toast.success(`${user.name} is enabled again and may sign in.`);
            else toast.error(result.message);
          })
        }
      >
        <UserCheck aria-hidden="true" />
        {pending ? "Enabling…" : "Enable"}
        <span className="sr-only"> {user.name}</span>
      </Button>
    );
  }

  function onDisable() {
    startTransition(async () => {
      const result = await disableUserAction({ userId: user.id });
      if (result.ok) {
        toast.success(`${user.name} is disabled; their sessions have ended.`);
        setOpen(false);
      } else {
        setError(result.message);
      }
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <Ban aria-hidden="true" />
          Disable<span className="sr-only"> {user.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Disable {user.name}?</DialogTitle>
          <DialogDescription>
            {user.email} is signed out everywhere at once and cannot sign in until an admin enables the
            account again. Their history stays.
          </DialogDescription>
        </DialogHeader>
        {error ? (
          <Alert variant="destructive" role="alert">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Keep enabled</Button>
          </DialogClose>
          <Button variant="destructive" onClick={onDisable} disabled={pending}>
            {pending ? "Disabling…" : "Disable user"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** Reset the password (after a confirmation): the new one-time link is shown once, in the dialog. */
export function ResetPasswordButton({ user, invited }: { user: UserRef; invited: boolean }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<PasswordLink | null>(null);
  const [pending, startTransition] = useTransition();

  function onReset() {
    startTransition(async () => {
      const result = await resetPasswordAction({ userId: user.id });
      if (result.ok) {
        setError(null);
        setLink(result.data.link);
      } else {
        setError(result.message);
      }
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setError(null);
          setLink(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <KeyRound aria-hidden="true" />
          {invited ? "New link" : "Reset password"}
          <span className="sr-only"> of {user.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {invited ? `A new link for ${user.name}?` : `Reset the password of ${user.name}?`}
          </DialogTitle>
          <DialogDescription>
            {invited
              ? "Their earlier link stops working. The new one-time link is shown here once."
              : "Their current password stops working and their sessions end now. They choose a new one with a one-time link, shown here once."}
          </DialogDescription>
        </DialogHeader>
        {error ? (
          <Alert variant="destructive" role="alert">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        ) : null}
        {link ? <PasswordLinkNotice title={`New link for ${user.name}: copy it now`} link={link} /> : null}
        <DialogFooter>
          {link ? (
            <DialogClose asChild>
              <Button>Done</Button>
            </DialogClose>
          ) : (
            <>
              <DialogClose asChild>
                <Button variant="outline">Keep the password</Button>
              </DialogClose>
              <Button variant="destructive" onClick={onReset} disabled={pending}>
                {pending ? "Making the link…" : invited ? "Make a new link" : "Reset password"}
              </Button>
            </>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
