import { NotFoundNotice } from "@/components/app-shell/not-found-notice";
import { SignedInShell } from "@/components/app-shell/signed-in-shell";
import { getSessionUser } from "@/lib/auth/session";

/** An address no route claims: inside the shell when signed in, on its own otherwise. */
export default async function NotFound() {
  const user = await getSessionUser();
  if (user) {
    return (
      <SignedInShell user={user}>
        <NotFoundNotice />
      </SignedInShell>
    );
  }
  return (
    <main id="main-content" className="mx-auto flex max-w-xl flex-col px-4 py-16">
      <NotFoundNotice />
    </main>
  );
}
