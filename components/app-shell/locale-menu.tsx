"use client";

import { useRouter } from "next/navigation";
import { useId, useTransition } from "react";
import { toast } from "sonner";

import type { ActionResult } from "@/lib/action-result";
import { LOCALE_CHOICES } from "@/lib/format/formatter";

/** The user's choice of how numbers, money and dates read; "Browser" follows the browser's languages. */
export function LocaleMenu({
  locale,
  chosen,
  setLocale,
}: {
  locale: string;
  /** The stored choice, or null when the browser decides. */
  chosen: string | null;
  setLocale: (input: { locale: string }) => Promise<ActionResult<{ locale: string | null }>>;
}) {
  const id = useId();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Number and date format
      </label>
      <select
        id={id}
        value={chosen ?? ""}
        disabled={pending}
        onChange={(event) => {
          const value = event.target.value;
          startTransition(async () => {
            const result = await setLocale({ locale: value });
            if (!result.ok) toast.error(result.message);
            router.refresh();
          });
        }}
        className="h-8 w-full rounded-md border border-input bg-transparent px-2 text-xs"
        data-testid="locale-select"
      >
        <option value="">Browser's language{chosen ? "" : ` (${locale})`}</option>
        {LOCALE_CHOICES.map((c) => (
          <option key={c.tag} value={c.tag}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
