import { ForbiddenNotice } from "@/components/app-shell/forbidden-notice";

/**
 * `forbidden()` from requirePagePermission: a signed-in user opened a screen their role may not use.
 * A 403 inside the shell; the refusal is in the audit log.
 */
export default function Forbidden() {
  return <ForbiddenNotice />;
}
