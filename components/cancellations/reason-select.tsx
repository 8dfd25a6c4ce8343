"use client";

import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectGroup,
  SelectItem,
  SelectLabel,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";

import type { ReasonOption } from "./types";

const INITIATOR_LABELS: Record<string, string> = {
  seller: "Seller-initiated",
  customer: "Customer-initiated",
  marketplace: "Marketplace-initiated",
};

type ReasonSelectProps = {
  id: string;
  label: string;
  reasons: readonly ReasonOption[];
  value: string;
  onValueChange: (code: string) => void;
  /** A short line under the select. */
  hint?: string;
  error?: string | null;
  disabled?: boolean;
};

/** The reason code select, grouped by who initiates the cancellation. Errors are tied to it by aria-describedby. */
export function ReasonSelect({
  id,
  label,
  reasons,
  value,
  onValueChange,
  hint,
  error,
  disabled,
}: ReasonSelectProps) {
  const groups = new Map<string, ReasonOption[]>();
  for (const reason of reasons)
    groups.set(reason.initiator, [...(groups.get(reason.initiator) ?? []), reason]);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Select value={value} onValueChange={onValueChange} disabled={disabled} required>
        <SelectTrigger
          id={id}
          className="w-full sm:w-80"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        >
          <SelectValue placeholder="Choose a reason" />
        </SelectTrigger>
        <SelectContent>
          {[...groups].map(([initiator, options]) => (
            <SelectGroup key={initiator}>
              <SelectLabel>{INITIATOR_LABELS[initiator] ?? initiator}</SelectLabel>
              {options.map((r) => (
                <SelectItem key={r.code} value={r.code}>
                  {r.label}
                </SelectItem>
              ))}
            </SelectGroup>
          ))}
        </SelectContent>
      </Select>
      {hint ? (
        <p id={hintId} className="text-muted-foreground text-xs">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-destructive text-xs">
          {error}
        </p>
      ) : null}
    </div>
  );
}
