import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { SignInForm } from "@/components/auth/sign-in-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DEFAULT_AFTER_SIGN_IN, isSafeNextPath } from "@/lib/auth/next-path";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

type SignInPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: SignInPageProps) {
  const { next } = await searchParams;
  const destination = isSafeNextPath(next) ? next : DEFAULT_AFTER_SIGN_IN;
  if (await getSessionUser()) redirect(destination);
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1 className="font-semibold text-xl tracking-tight">Sign in</h1>
        </CardTitle>
        <CardDescription>Use the email and password your administrator gave you.</CardDescription>
      </CardHeader>
      <CardContent>
        <SignInForm next={destination} />
      </CardContent>
    </Card>
  );
}
