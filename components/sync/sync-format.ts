/** Words, badge colours and times for the Sync screen and for sync states in other tables. Pure. */

export const SYNC_STATE_LABELS: Record<string, string> = {
  pending: "Pending",
  retrying: "Retrying",
  delivered: "Delivered",
  dead: "Dead",
};

export const SYNC_STATE_VARIANT: Record<
  string,
  "outline" | "secondary" | "warning" | "success" | "destructive"
> = {
  pending: "secondary",
  retrying: "warning",
  delivered: "success",
  dead: "destructive",
};

/** What each state means, for a tooltip or a legend. */
export const SYNC_STATE_HINTS: Record<string, string> = {
  pending: "Waiting for its first delivery to the channel.",
  retrying: "The channel did not answer; it is tried again with backoff.",
  delivered: "The channel acknowledged the cancellation.",
  dead: "Given up: the channel refused it or never answered. Fix the cause, then retry.",
};

const UNITS: readonly [limit: number, seconds: number, unit: string][] = [
  [60, 1, "s"],
  [3600, 60, "min"],
  [86_400, 3600, "h"],
  [Number.POSITIVE_INFINITY, 86_400, "d"],
];

/**
 * `in 45 s`, `in 3 min`, `2 h ago`: a time relative to `now` (passed in, so the server and the
 * browser render the same words). Within a second either way it is `now`.
 */
export function formatRelative(at: Date | string, now: Date | string): string {
  const diff = (new Date(at).getTime() - new Date(now).getTime()) / 1000;
  const abs = Math.abs(diff);
  if (abs < 1) return "now";
  const [, seconds, unit] = UNITS.find(([limit]) => abs < limit) ?? [0, 86_400, "d"];
  const amount = Math.floor(abs / seconds);
  return diff > 0 ? `in ${amount} ${unit}` : `${amount} ${unit} ago`;
}
