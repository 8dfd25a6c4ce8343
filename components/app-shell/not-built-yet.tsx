import { Construction } from "lucide-react";
import { useId } from "react";

type NotBuiltYetProps = {
  /** What the finished screen will offer, one short item each. */
  planned?: readonly string[];
};

/** Placeholder for a screen that does not exist yet. It shows no data, real or made up. */
export function NotBuiltYet({ planned = [] }: NotBuiltYetProps) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={titleId}
      data-slot="not-built-yet"
      className="rounded-xl border border-dashed border-input bg-muted/40 p-6"
    >
      <div className="flex items-start gap-4">
        <span className="flex size-10 shrink-0 items-center justify-center rounded-lg border bg-background text-muted-foreground">
          <Construction aria-hidden="true" className="size-5" />
        </span>
        <div className="flex min-w-0 flex-col gap-1.5">
          <h2 id={titleId} className="font-semibold text-base">
            Not built yet
          </h2>
          <p className="text-muted-foreground text-sm">
            This screen has not been built. It does not read or change any data yet.
          </p>
          {planned.length > 0 ? (
            <div className="mt-3 flex flex-col gap-2">
              <h3 className="font-medium text-sm">Planned</h3>
              <ul className="list-disc space-y-1 pl-5 text-muted-foreground text-sm marker:text-input">
                {planned.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      </div>
    </section>
  );
}
