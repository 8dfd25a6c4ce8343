import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";

import { env } from "@/lib/env";
import {
  FALLBACK_LOCALE,
  type Formatter,
  formatterFor,
  localeFromAcceptLanguage,
  supportedLocale,
} from "@/lib/format/formatter";

/** The cookie that keeps a user's choice from the user menu. */
export const LOCALE_COOKIE = "locale";

/**
 * The locale of this request: the user's choice (user menu), else the browser's languages, else
 * the deployment's `APP_LOCALE`, else en-IN.
 */
export const getRequestLocale = cache(async (): Promise<string> => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  return (
    supportedLocale(chosen) ??
    localeFromAcceptLanguage((await headers()).get("accept-language")) ??
    supportedLocale(env().APP_LOCALE) ??
    FALLBACK_LOCALE
  );
});

export async function requestFormatter(): Promise<Formatter> {
  return formatterFor(await getRequestLocale());
}
