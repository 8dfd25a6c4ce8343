"use server";

import { cookies } from "next/headers";
import { z } from "zod";

import { LOCALE_COOKIE } from "@/app/_lib/request-locale";
import { type ActionResult, invalid, success } from "@/lib/action-result";
import { secureCookies } from "@/lib/auth/auth";
import { requireSignedIn } from "@/lib/auth/session";
import { supportedLocale } from "@/lib/format/formatter";

const schema = z.object({
  locale: z
    .string()
    .max(35)
    .refine((tag) => tag === "" || supportedLocale(tag) !== null, "is not a supported locale"),
});

/** The user's locale for numbers, money and dates: a BCP 47 tag, or "" for the browser's own. */
export async function setLocaleAction(input: unknown): Promise<ActionResult<{ locale: string | null }>> {
  const auth = await requireSignedIn();
  if (!auth.ok) return auth;
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const store = await cookies();
  const locale = supportedLocale(parsed.data.locale);
  if (locale) {
    store.set(LOCALE_COOKIE, locale, {
      httpOnly: true,
      sameSite: "lax",
      secure: secureCookies(),
      path: "/",
      maxAge: 365 * 24 * 3600,
    });
  } else {
    store.delete(LOCALE_COOKIE);
  }
  return success({ locale });
}
