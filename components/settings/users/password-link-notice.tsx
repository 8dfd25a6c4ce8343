"use client";

import { Check, Copy, Link2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { FormattedDate } from "@/components/format/formatted";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { PasswordLink } from "@/lib/auth/user-accounts";

/**
 * A set-password link, shown once: only its hash is stored, so it cannot be shown again (a new
 * reset makes a new one). Mailed too when the deployment has SMTP_URL; otherwise, or when the mail
 * failed, the admin passes it on.
 */
export function PasswordLinkNotice({
  title,
  link,
}: {
  title: string;
  link: Pick<PasswordLink, "path" | "expiresAt" | "mail">;
}) {
  const { path, expiresAt, mail } = link;
  const [copied, setCopied] = useState(false);
  const url = typeof window === "undefined" ? path : new URL(path, window.location.origin).toString();
  return (
    <Alert variant="success" role="status" data-testid="password-link">
      <Link2 aria-hidden="true" />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription>
        <p>
          {mail.state === "sent"
            ? `Mailed to ${mail.to}. It is shown here only now, in case the mail does not arrive.`
            : mail.state === "failed"
              ? `Not mailed: ${mail.reason}. Send this link to them yourself: it is shown only now.`
              : "Send this link to them yourself: it is shown only now."}{" "}
          It works once, until <FormattedDate value={expiresAt} />.
        </p>
        <div className="flex w-full items-center gap-2">
          <Input
            readOnly
            aria-label="One-time link"
            value={url}
            className="font-mono text-foreground text-xs"
            onFocus={(event) => event.currentTarget.select()}
          />
          <Button
            type="button"
            variant="outline"
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(url);
                setCopied(true);
                toast.success("Link copied.");
              } catch {
                toast.error("Copying failed: select the link and copy it by hand.");
              }
            }}
          >
            {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  );
}
