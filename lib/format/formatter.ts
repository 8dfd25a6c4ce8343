/**
 * Numbers, money and dates as a person reads them, in their locale: money in the order's own
 * currency (stored in minor units), times in UTC so the server and the browser print the same.
 * Pure; the UI gets one through `useFormatter()` (client) or `requestFormatter()` (server).
 * CSV exports and the API never use it: they keep machine-readable numbers and ISO dates.
 */

/** The locale when nothing else says: the deployment's `APP_LOCALE`, else this. */
export const FALLBACK_LOCALE = "en-IN";

/** The locales the user menu offers (any valid BCP 47 tag also works from the browser). */
export const LOCALE_CHOICES = [
  { tag: "en-IN", label: "English (India)" },
  { tag: "en-US", label: "English (United States)" },
  { tag: "en-GB", label: "English (United Kingdom)" },
  { tag: "de-DE", label: "Deutsch (Deutschland)" },
  { tag: "fr-FR", label: "Français (France)" },
  { tag: "ja-JP", label: "日本語 (日本)" },
] as const;

/** A valid, canonical BCP 47 tag that Intl supports, or null. */
export function supportedLocale(tag: string | null | undefined): string | null {
  if (!tag) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    if (!canonical) return null;
    return Intl.NumberFormat.supportedLocalesOf([canonical]).length > 0 ? canonical : null;
  } catch {
    return null;
  }
}

/** The first supported language of an Accept-Language header, by its q-values. */
export function localeFromAcceptLanguage(header: string | null | undefined): string | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.tag !== "*" && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = supportedLocale(tag);
    if (locale) return locale;
  }
  return null;
}

export type Formatter = {
  locale: string;
  /** `123456` INR → `₹1,234.56`; each currency's own decimals. */
  money: (minor: number, currency: string) => string;
  count: (n: number) => string;
  /** `1 unit`, `1,200 units`. */
  plural: (n: number, one: string, many?: string) => string;
  /** Items per second to a sensible precision. */
  rate: (perSecond: number) => string;
  /** `3 Nov 2026, 14:05 UTC` in the locale's own order. */
  dateTime: (value: Date | string) => string;
  /** With seconds, for logs and the Sync screen. */
  dateTimeSeconds: (value: Date | string) => string;
  /** The same, in two short parts for narrow cells: the day, and the time with seconds. */
  dayAndTime: (value: Date | string) => { day: string; time: string };
};

const formatters = new Map<string, Formatter>();

export function formatterFor(requested: string): Formatter {
  const locale = supportedLocale(requested) ?? FALLBACK_LOCALE;
  const known = formatters.get(locale);
  if (known) return known;
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const counts = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const datesSeconds = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "medium",
    timeZone: "UTC",
  });
  const days = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const clock = new Intl.DateTimeFormat(locale, { timeStyle: "medium", timeZone: "UTC" });
  const count = (n: number) => counts.format(n);
  const formatter: Formatter = {
    locale,
    money: (minor, currency) => {
      let format = moneyFormats.get(currency);
      if (!format) {
        format = new Intl.NumberFormat(locale, { style: "currency", currency });
        moneyFormats.set(currency, format);
      }
      const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
      return format.format(minor / 10 ** decimals);
    },
    count,
    plural: (n, one, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`,
    rate: (perSecond) =>
      perSecond >= 100
        ? count(Math.round(perSecond))
        : new Intl.NumberFormat(locale, {
            minimumFractionDigits: perSecond >= 10 ? 1 : 2,
            maximumFractionDigits: perSecond >= 10 ? 1 : 2,
          }).format(perSecond),
    dateTime: (value) => `${dates.format(typeof value === "string" ? new Date(value) : value)} UTC`,
    dateTimeSeconds: (value) =>
      `${datesSeconds.format(typeof value === "string" ? new Date(value) : value)} UTC`,
    dayAndTime: (value) => {
      const at = typeof value === "string" ? new Date(value) : value;
      return { day: days.format(at), time: `${clock.format(at)} UTC` };
    },
  };
  formatters.set(locale, formatter);
  return formatter;
}
