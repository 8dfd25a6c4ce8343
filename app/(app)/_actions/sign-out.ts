"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { getAuth } from "@/lib/auth/auth";
import { requireSignedIn } from "@/lib/auth/session";

/**
 * Ends the session: deletes its row (so the cookie is worthless even if kept) and clears the
 * cookie, then goes to the sign-in page. better-auth's sign-out hook writes the audit event.
 * Without a session there is nothing to end: it only goes to the sign-in page.
 */
export async function signOutAction(): Promise<void> {
  const auth = await requireSignedIn();
  if (auth.ok) await getAuth().api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
