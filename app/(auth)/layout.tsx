import { CircleX } from "lucide-react";

/** Outside the shell: no sidebar, no user menu, one card in the middle of the page. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main
      id="main-content"
      className="flex min-h-svh flex-col items-center justify-center gap-6 bg-muted/40 px-4 py-12"
    >
      <div className="flex items-center gap-3">
        <span
          aria-hidden="true"
          className="flex size-9 items-center justify-center rounded-md bg-primary text-primary-foreground"
        >
          <CircleX className="size-5" />
        </span>
        <div className="flex flex-col leading-tight">
          <span className="font-semibold">Order cancellations</span>
          <span className="text-muted-foreground text-xs">Order management system</span>
        </div>
      </div>
      <div className="w-full max-w-sm">{children}</div>
    </main>
  );
}
