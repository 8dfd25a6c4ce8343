/**
 * Formatting at the UI edge: money arrives in integer minor units (paise) and numbers as numbers;
 * only here do they become text. Pure functions, no React.
 */

/** The demo data set sells in Indian rupees; every price is stored in paise. */
export const CURRENCY = "INR";
const LOCALE = "en-IN";

const moneyFormats = new Map<string, Intl.NumberFormat>();
const count = new Intl.NumberFormat(LOCALE);

/**
 * An amount in minor units of `currency` (ISO 4217; the order's own): `123456` INR -> `₹1,234.56`,
 * `1999` EUR -> `€19.99`, `500` JPY -> `¥500` (each currency's own number of decimals).
 */
export function formatMoney(minor: number, currency: string = CURRENCY): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { style: "currency", currency });
    moneyFormats.set(currency, format);
  }
  const decimals = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** decimals);
}

export function formatCount(n: number): string {
  return count.format(n);
}

/** `1 unit`, `3 units`, `1,200 units`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A rate (items per second) to a sensible precision: `1,204`, `37.5`, `0.42`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 100) return formatCount(Math.round(perSecond));
  if (perSecond >= 10) return perSecond.toFixed(1);
  return perSecond.toFixed(2);
}

/** Seconds as `45 s`, `3 min 20 s`, `1 h 5 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${s % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** How long ago, coarsely: `just now`, `12 min`, `5 h`, `3 d 4 h`. */
export function formatAge(seconds: number): string {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** A timestamp for tables: `3 Nov 2026, 14:05 UTC`. Fixed time zone, so server and browser agree. */
export function formatDateTime(value: Date | string): string {
  return `${dateTime.format(typeof value === "string" ? new Date(value) : value)} UTC`;
}

/** The first block of a batch id, enough to tell batches apart in a sentence. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** `Row 2`, `Rows 2–5`, `Rows 2, 7 and 9` for the spreadsheet rows an item came from. */
export function formatRowNumbers(rowNumbers: readonly number[]): string {
  if (rowNumbers.length === 0) return "";
  if (rowNumbers.length === 1) return String(rowNumbers[0]);
  const first = rowNumbers[0] as number;
  const last = rowNumbers[rowNumbers.length - 1] as number;
  const contiguous = last - first === rowNumbers.length - 1;
  if (contiguous) return `${first}–${last}`;
  if (rowNumbers.length <= 3) return rowNumbers.join(", ");
  return `${first}, ${rowNumbers[1]} +${rowNumbers.length - 2}`;
}
