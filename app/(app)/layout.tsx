import { AppShell } from "@/components/app-shell/app-shell";
import { requirePageUser } from "@/lib/auth/session";

/**
 * The signed-in shell. The proxy already sends signed-out visitors to /sign-in; this check is the
 * one that counts (and each page checks its own permission as well).
 */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  return <AppShell user={user}>{children}</AppShell>;
}
