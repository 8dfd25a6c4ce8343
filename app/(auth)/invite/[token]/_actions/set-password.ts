"use server";

import { headers } from "next/headers";

import { unexpectedFailure } from "@/app/_lib/unexpected-failure";
import { getDb } from "@/db/client";
import { type ActionResult, invalid } from "@/lib/action-result";
import { getClientIp } from "@/lib/auth/client-ip";
import { setPasswordWithLink } from "@/lib/auth/user-accounts";
import { setPasswordSchema } from "@/lib/auth/user-schemas";

/**
 * Sets a password from a one-time link (an invite or a reset). Public: the link's token is the
 * credential, checked against its stored hash; it works once and until it expires. The user signs
 * in afterwards, with the role the admin gave them.
 */
export async function setPasswordAction(input: unknown): Promise<ActionResult<{ email: string }>> {
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  try {
    const result = await setPasswordWithLink(getDb(), parsed.data, {
      sourceIp: getClientIp(await headers()),
    });
    return result.ok ? { ok: true, data: { email: result.data.email } } : result;
  } catch (error) {
    return unexpectedFailure(error, "setting the password");
  }
}
