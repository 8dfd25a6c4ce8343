import type { NextConfig } from "next";

const nextConfig: NextConfig = {
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
