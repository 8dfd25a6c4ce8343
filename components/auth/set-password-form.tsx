"use client";

import { CircleAlert, CircleCheck, KeyRound, LogIn } from "lucide-react";
import Link from "next/link";
import { useId, useRef, useState, useTransition } from "react";

import { setPasswordAction } from "@/app/(auth)/invite/[token]/_actions/set-password";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/user-schemas";

type Problem = { field?: "password" | "confirm"; message: string };

/**
 * A new password, twice, for the link's user. Errors are announced and tied to their input with
 * aria-describedby; on success the way to sign in.
 */
export function SetPasswordForm({ token, email }: { token: string; email: string }) {
  const id = useId();
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const [pending, startTransition] = useTransition();

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    const confirm = String(form.get("confirm") ?? "");
    startTransition(async () => {
      const result = await setPasswordAction({ token, password, confirm });
      if (result.ok) {
        setProblem(null);
        setDone(true);
        return;
      }
      const field = result.fieldErrors?.password
        ? "password"
        : result.fieldErrors?.confirm
          ? "confirm"
          : undefined;
      const message = field ? (result.fieldErrors?.[field]?.[0] ?? result.message) : result.message;
      setProblem({ field, message });
      (field === "confirm" ? confirmRef : passwordRef).current?.focus();
    });
  }

  if (done) {
    return (
      <div className="flex flex-col gap-4">
        <Alert variant="success" role="status">
          <CircleCheck aria-hidden="true" />
          <AlertTitle>Your password is set</AlertTitle>
          <AlertDescription>Sign in with {email} and your new password.</AlertDescription>
        </Alert>
        <Button asChild className="w-full">
          <Link href="/sign-in">
            <LogIn aria-hidden="true" />
            Go to sign-in
          </Link>
        </Button>
      </div>
    );
  }

  const describedBy = (field: "password" | "confirm") =>
    [
      field === "password" ? hintId : undefined,
      problem && (problem.field ?? "password") === field ? errorId : undefined,
    ]
      .filter(Boolean)
      .join(" ") || undefined;

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Set your password">
      {problem && !problem.field ? (
        <Alert variant="destructive" role="alert" id={errorId}>
          <CircleAlert aria-hidden="true" />
          <AlertDescription>{problem.message}</AlertDescription>
        </Alert>
      ) : null}
      {/* For password managers: which account the new password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-password`}>New password</Label>
        <Input
          ref={passwordRef}
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          autoFocus
          minLength={MIN_PASSWORD_LENGTH}
          aria-invalid={problem?.field === "password" || undefined}
          aria-describedby={describedBy("password")}
        />
        <p id={hintId} className="text-muted-foreground text-xs">
          At least {MIN_PASSWORD_LENGTH} characters.
        </p>
        {problem?.field === "password" ? (
          <p id={errorId} role="alert" className="text-destructive text-sm">
            {problem.message}
          </p>
        ) : null}
      </div>
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-confirm`}>Repeat the password</Label>
        <Input
          ref={confirmRef}
          id={`${id}-confirm`}
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={problem?.field === "confirm" || undefined}
          aria-describedby={problem?.field === "confirm" ? errorId : undefined}
        />
        {problem?.field === "confirm" ? (
          <p id={errorId} role="alert" className="text-destructive text-sm">
            {problem.message}
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={pending} className="w-full">
        <KeyRound aria-hidden="true" />
        {pending ? "Saving…" : "Set password"}
      </Button>
    </form>
  );
}
