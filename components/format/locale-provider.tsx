"use client";

import { createContext, use } from "react";

import { FALLBACK_LOCALE, type Formatter, formatterFor } from "@/lib/format/formatter";

const LocaleContext = createContext<string>(FALLBACK_LOCALE);

/** The signed-in user's locale for every client component below it (the layout reads it per request). */
export function LocaleProvider({ locale, children }: { locale: string; children: React.ReactNode }) {
  return <LocaleContext value={locale}>{children}</LocaleContext>;
}

/** Numbers, money and dates in the user's locale. */
export function useFormatter(): Formatter {
  return formatterFor(use(LocaleContext));
}
