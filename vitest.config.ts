import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "db/**/*.test.ts",
      "components/**/*.test.ts",
      "app/**/*.test.ts",
      "bench/**/*.test.ts",
      "dev/**/*.test.ts",
      // The reliability cases that need no separate processes (all of them: npm run test:reliability).
      "test/reliability/**/*.fast.test.ts",
    ],
    environment: "node",
    // The connectors' fakes listen on 127.0.0.1.
    env: { CONNECTOR_ALLOW_PRIVATE_NETWORKS: "on" },
    // Integration tests each create their own database; keep the 2-core machine from thrashing.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    server: { deps: { inline: ["server-only"] } },
    alias: { "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts") },
  },
});
