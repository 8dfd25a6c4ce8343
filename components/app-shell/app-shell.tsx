import { CircleX } from "lucide-react";

import { setLocaleAction } from "@/app/(app)/_actions/set-locale";

import { SessionKeepAlive } from "@/components/auth/session-keep-alive";
import type { Role } from "@/lib/auth/permissions";

import { LocaleMenu } from "./locale-menu";
import { Sidebar } from "./sidebar";
import { UserMenu } from "./user-menu";

type AppShellProps = {
  user: { name: string; email: string; role: Role };
  /** The locale in force and the user's stored choice (null: the browser's languages decide). */
  locale: { current: string; chosen: string | null };
  children: React.ReactNode;
};

/**
 * The signed-in frame: skip link, header, the sidebar the role may use, the user menu, and the
 * content. The user menu comes after the navigation in the document, so keyboard users reach the
 * screens first.
 */
export function AppShell({ user, locale, children }: AppShellProps) {
  return (
    <>
      <a
        href="#main-content"
        className="fixed top-2 left-2 z-100 -translate-y-[200%] rounded-md bg-primary px-4 py-2 font-medium text-primary-foreground text-sm shadow-md focus-visible:translate-y-0"
      >
        Skip to content
      </a>
      <div className="flex min-h-svh flex-col">
        <header className="sticky top-0 z-40 flex h-14 shrink-0 items-center gap-3 border-b bg-background/95 px-4 backdrop-blur supports-[backdrop-filter]:bg-background/80">
          <span
            aria-hidden="true"
            className="flex size-8 items-center justify-center rounded-md bg-primary text-primary-foreground"
          >
            <CircleX className="size-4" />
          </span>
          <div className="flex min-w-0 flex-col leading-tight">
            <span className="truncate font-semibold text-sm">Order cancellations</span>
            <span className="truncate text-muted-foreground text-xs">Order management system</span>
          </div>
        </header>
        <div className="flex flex-1 flex-col md:flex-row">
          <aside className="flex shrink-0 flex-col border-b bg-sidebar text-sidebar-foreground md:sticky md:top-14 md:h-[calc(100svh-3.5rem)] md:w-60 md:overflow-y-auto md:border-r md:border-b-0">
            <Sidebar role={user.role} />
            <div className="flex flex-col gap-2 border-t p-3 md:mt-auto">
              <UserMenu user={user} />
              <LocaleMenu locale={locale.current} chosen={locale.chosen} setLocale={setLocaleAction} />
            </div>
          </aside>
          <main id="main-content" tabIndex={-1} className="min-w-0 flex-1">
            <div className="mx-auto flex w-full max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
              {children}
            </div>
          </main>
        </div>
      </div>
      <SessionKeepAlive />
    </>
  );
}
