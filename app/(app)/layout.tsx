import { SignedInShell } from "@/components/app-shell/signed-in-shell";
import { requirePageUser } from "@/lib/auth/session";

/**
 * The signed-in shell. The proxy already sends signed-out visitors to /sign-in; this check is the
 * one that counts (and each page checks its own permission as well).
 */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  return <SignedInShell user={user}>{children}</SignedInShell>;
}
