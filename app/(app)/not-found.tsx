import { NotFoundNotice } from "@/components/app-shell/not-found-notice";

/** `notFound()` from a screen (an unknown batch id): inside the shell. */
export default function NotFound() {
  return <NotFoundNotice />;
}
