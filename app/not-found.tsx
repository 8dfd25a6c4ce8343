import { AppShell } from "@/components/app-shell/app-shell";
import { NotFoundNotice } from "@/components/app-shell/not-found-notice";
import { getSessionUser } from "@/lib/auth/session";

/** An address no route claims: inside the shell when signed in, on its own otherwise. */
export default async function NotFound() {
  const user = await getSessionUser();
  if (user) {
    return (
      <AppShell user={user}>
        <NotFoundNotice />
      </AppShell>
    );
  }
  return (
    <main id="main-content" className="mx-auto flex max-w-xl flex-col px-4 py-16">
      <NotFoundNotice />
    </main>
  );
}
