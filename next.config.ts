import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite"],
  allowedDevOrigins: ["127.0.0.1"],
  poweredByHeader: false,
  // `forbidden()` and forbidden.tsx: a signed-in user without the permission gets a real 403 page.
  experimental: {
    authInterrupts: true,
    // CSV uploads go to a server action (default limit 1 MB); files are up to 50 MB, plus multipart overhead.
    serverActions: { bodySizeLimit: "60mb" },
    // The same uploads pass through proxy.ts, which otherwise cuts request bodies at 10 MB.
    proxyClientMaxBodySize: "60mb",
  },
};

export default nextConfig;
