/**
 * Wording helpers that need no locale. Numbers, money and dates go through a Formatter
 * (lib/format/formatter.ts): `useFormatter()` in client components, `requestFormatter()` on the server.
 */

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
