import { CircleAlert } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { SetPasswordForm } from "@/components/auth/set-password-form";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { describePasswordLink } from "@/lib/auth/user-accounts";
import { errorMessage } from "@/lib/cancellation/errors";

export const metadata: Metadata = { title: "Set your password", robots: { index: false, follow: false } };

type InvitePageProps = { params: Promise<{ token: string }> };

/**
 * The page a one-time link (an invite or a password reset) opens. Public, outside the signed-in
 * shell: the token in the address is the credential. It shows whose link it is, or why it no longer
 * works.
 */
export default async function InvitePage({ params }: InvitePageProps) {
  const { token } = await params;
  const link =
    token.length <= 200 ? await describePasswordLink(getDb(), token) : { state: "unknown" as const };
  if (link.state !== "valid") {
    return (
      <Card>
        <CardHeader>
          <CardTitle>
            <h1 className="font-semibold text-xl tracking-tight">This link does not work</h1>
          </CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <Alert variant="destructive" role="alert" data-testid="link-problem" data-state={link.state}>
            <CircleAlert aria-hidden="true" />
            <AlertDescription>
              {errorMessage("PASSWORD_LINK_INVALID", { state: link.state })}
            </AlertDescription>
          </Alert>
          <Button asChild variant="outline">
            <Link href="/sign-in">Go to sign-in</Link>
          </Button>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1 className="font-semibold text-xl tracking-tight">
            {link.purpose === "invite" ? "Welcome, set your password" : "Choose a new password"}
          </h1>
        </CardTitle>
        <CardDescription>
          For {link.name} ({link.email}). The link works once.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <SetPasswordForm token={token} email={link.email} />
      </CardContent>
    </Card>
  );
}
