"use client";

import { useFormatter } from "./locale-provider";

/** A timestamp in the user's locale (UTC), in a <time> element. */
export function FormattedDate({
  value,
  seconds = false,
  className,
}: {
  value: string | Date;
  /** Show seconds too (logs, the audit trail). */
  seconds?: boolean;
  className?: string;
}) {
  const f = useFormatter();
  const iso = typeof value === "string" ? value : value.toISOString();
  return (
    <time dateTime={iso} className={className}>
      {seconds ? f.dateTimeSeconds(value) : f.dateTime(value)}
    </time>
  );
}

/** A whole number in the user's locale. */
export function FormattedCount({ value }: { value: number }) {
  return useFormatter().count(value);
}

/** `3 units` in the user's locale. */
export function Plural({ n, one, many }: { n: number; one: string; many?: string }) {
  return useFormatter().plural(n, one, many);
}

/** An amount in minor units of `currency`, in the user's locale. */
export function FormattedMoney({ minor, currency }: { minor: number; currency: string }) {
  return useFormatter().money(minor, currency);
}
