import { FileQuestionMark } from "lucide-react";
import Link from "next/link";

import { Button } from "@/components/ui/button";

export function NotFoundNotice() {
  return (
    <div className="flex flex-col items-start gap-4 py-12">
      <span className="flex size-10 items-center justify-center rounded-lg border bg-muted text-muted-foreground">
        <FileQuestionMark aria-hidden="true" className="size-5" />
      </span>
      <div className="flex flex-col gap-1.5">
        <h1 className="font-semibold text-2xl tracking-tight">Page not found</h1>
        <p className="max-w-prose text-muted-foreground text-sm">
          There is no page at this address. It may have been moved, or the link may be mistyped.
        </p>
      </div>
      <Button asChild variant="outline">
        <Link href="/cancellations">Go to Cancellations</Link>
      </Button>
    </div>
  );
}
