import type * as React from "react";

import { cn } from "@/lib/utils";

type PageHeaderProps = {
  title: string;
  /** One sentence: what a person does on this screen. */
  description?: React.ReactNode;
  /** Buttons shown on the right, e.g. "Download template". */
  actions?: React.ReactNode;
  className?: string;
};

export function PageHeader({ title, description, actions, className }: PageHeaderProps) {
  return (
    <div
      className={cn("flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between", className)}
      data-slot="page-header"
    >
      <div className="flex min-w-0 flex-col gap-1.5">
        <h1 className="font-semibold text-2xl tracking-tight">{title}</h1>
        {description ? <p className="max-w-3xl text-muted-foreground text-sm">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}
