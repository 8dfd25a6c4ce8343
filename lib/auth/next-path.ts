/** Where to go after signing in, when none is asked for. */
export const DEFAULT_AFTER_SIGN_IN = "/cancellations";

/** Only same-site paths: `/orders?q=1`, never `//evil.example`, `/\evil.example` or `https://…`. */
export function isSafeNextPath(path: unknown): path is string {
  return (
    typeof path === "string" &&
    path.startsWith("/") &&
    !path.startsWith("//") &&
    !path.startsWith("/\\") &&
    !/[\r\n\t]/.test(path) &&
    !path.startsWith("/sign-in")
  );
}

/** The sign-in page's address that comes back to `path` afterwards. */
export function signInPath(path?: string): string {
  return isSafeNextPath(path) && path !== "/" ? `/sign-in?next=${encodeURIComponent(path)}` : "/sign-in";
}
