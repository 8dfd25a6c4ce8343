import type { NextConfig } from "next";

const development = process.env.NODE_ENV === "development";

/**
 * The Content-Security-Policy the app runs under. Next's own bootstrap scripts are inline, hence
 * 'unsafe-inline' for scripts; 'unsafe-eval' only in development (React's dev tools need it).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${development ? " ws: wss:" : ""}`,
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

const nextConfig: NextConfig = {
  // On every response: pages, API routes and files alike.
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite"],
  allowedDevOrigins: ["127.0.0.1"],
  poweredByHeader: false,
  // `forbidden()` and forbidden.tsx: a signed-in user without the permission gets a real 403 page.
  experimental: {
    authInterrupts: true,
    // Server actions keep Next's own 1 MB limit (a body is buffered before the action can check
    // anyone's permission). CSV files go to POST /api/batches, which authenticates first and then
    // streams the body with its own 50 MB limit.
  },
};

export default nextConfig;
