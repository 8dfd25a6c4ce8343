"use client";

import { Check, Copy, Link2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { FormattedDate } from "@/components/format/formatted";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/**
 * A set-password link, shown once: only its hash is stored, so it cannot be shown again (a new
 * reset makes a new one). No mail is sent; the admin passes it on.
 */
export function PasswordLinkNotice({
  title,
  path,
  expiresAt,
}: {
  title: string;
  path: string;
  expiresAt: Date;
}) {
  const [copied, setCopied] = useState(false);
  const url = typeof window === "undefined" ? path : new URL(path, window.location.origin).toString();
  return (
    <Alert variant="success" role="status" data-testid="password-link">
      <Link2 aria-hidden="true" />
      <AlertTitle>{title}</AlertTitle>
      <AlertDescription>
        <p>
          Send this link to them yourself: it is shown only now. It works once, until{" "}
          <FormattedDate value={expiresAt} />.
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
