import { cookies } from "next/headers";

import { getRequestLocale, LOCALE_COOKIE } from "@/app/_lib/request-locale";
import { LocaleProvider } from "@/components/format/locale-provider";
import type { Role } from "@/lib/auth/permissions";
import { supportedLocale } from "@/lib/format/formatter";

import { AppShell } from "./app-shell";

/** The app shell for a signed-in user, with every screen below it formatting in the user's locale. */
export async function SignedInShell({
  user,
  children,
}: {
  user: { name: string; email: string; role: Role };
  children: React.ReactNode;
}) {
  const current = await getRequestLocale();
  const chosen = supportedLocale((await cookies()).get(LOCALE_COOKIE)?.value);
  return (
    <LocaleProvider locale={current}>
      <AppShell user={user} locale={{ current, chosen }}>
        {children}
      </AppShell>
    </LocaleProvider>
  );
}
