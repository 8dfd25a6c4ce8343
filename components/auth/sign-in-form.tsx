"use client";

import { CircleAlert, LogIn } from "lucide-react";
import { useId, useRef, useState, useTransition } from "react";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

type FormError = { field?: "email" | "password"; message: string };

/** better-auth's answer, turned into a sentence a person can act on. */
function messageFor(
  status: number,
  body: { code?: string; message?: string } | null,
  retryAfter: string | null,
) {
  if (status === 401) return { message: "The email or password is not right. Check both and try again." };
  if (status === 429) {
    const seconds = Number(retryAfter);
    const wait =
      Number.isFinite(seconds) && seconds > 0 ? ` Try again in ${Math.ceil(seconds)} seconds.` : "";
    return { message: `${body?.message ?? "Too many sign-in attempts."}${wait}` };
  }
  if (status === 403 && body?.code === "ACCOUNT_DISABLED") {
    return { message: "This account is disabled. Ask an administrator to enable it." };
  }
  if (status === 400 && body?.code === "INVALID_EMAIL") {
    return { field: "email" as const, message: "Enter an email address, like name@example.com." };
  }
  return { message: "Signing in failed. Try again in a moment." };
}

/**
 * Email and password, posted to better-auth's /api/auth/sign-in/email (where its per-address rate
 * limit applies). Errors are announced and tied to the inputs with aria-describedby.
 */
export function SignInForm({ next }: { next: string }) {
  const id = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [pending, startTransition] = useTransition();

  const errorId = `${id}-error`;
  const emailHintId = `${id}-email-error`;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email) {
      setError({ field: "email", message: "Enter your email address." });
      emailRef.current?.focus();
      return;
    }
    if (!password) {
      setError({ field: "password", message: "Enter your password." });
      passwordRef.current?.focus();
      return;
    }
    startTransition(async () => {
      try {
        const response = await fetch("/api/auth/sign-in/email", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          credentials: "same-origin",
          body: JSON.stringify({ email, password }),
        });
        if (response.ok) {
          // A full load, so that every server component renders for the new session.
          window.location.assign(next);
          return;
        }
        const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
        const problem = messageFor(response.status, body, response.headers.get("X-Retry-After"));
        setError(problem);
        (problem.field === "email" ? emailRef : passwordRef).current?.focus();
      } catch {
        setError({ message: "The server could not be reached. Check your connection and try again." });
      }
    });
  }

  const emailInvalid = error?.field === "email";
  const formInvalid = Boolean(error) && !emailInvalid;

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Sign in">
      {formInvalid ? (
        <Alert variant="destructive" role="alert" id={errorId}>
          <CircleAlert aria-hidden="true" />
          <AlertDescription>{error?.message}</AlertDescription>
        </Alert>
      ) : null}
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-email`}>Email</Label>
        <Input
          ref={emailRef}
          id={`${id}-email`}
          name="email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          aria-invalid={emailInvalid || undefined}
          aria-describedby={emailInvalid ? emailHintId : formInvalid ? errorId : undefined}
        />
        {emailInvalid ? (
          <p id={emailHintId} role="alert" className="text-destructive text-sm">
            {error?.message}
          </p>
        ) : null}
      </div>
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-password`}>Password</Label>
        <Input
          ref={passwordRef}
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={formInvalid || undefined}
          aria-describedby={formInvalid ? errorId : undefined}
        />
      </div>
      <Button type="submit" disabled={pending} className="w-full">
        <LogIn aria-hidden="true" />
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
