import { ForbiddenNotice } from "@/components/app-shell/forbidden-notice";

/** `forbidden()` outside the signed-in shell (the shell has its own, app/(app)/forbidden.tsx). */
export default function Forbidden() {
  return (
    <main id="main-content" className="mx-auto flex max-w-xl flex-col px-4 py-16">
      <ForbiddenNotice />
    </main>
  );
}
