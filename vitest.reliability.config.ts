import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The reliability suite (`npm run test:reliability`, scripts/reliability.mjs): real PostgreSQL and
 * real processes, one file at a time so their faults do not overlap. Only test/reliability: the
 * base config's own files are not run again (mergeConfig would add its include list to this one).
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/reliability/**/*.test.ts"],
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    env: {
      ...base.test?.env,
      // The run's own secrets: the web server and workers get them, the test process encrypts
      // connector credentials with the same key, and the security case looks for both in the logs.
      BETTER_AUTH_SECRET: "reliability-run-auth-secret-7f3a9c1e5b2d8f4a6c0e",
      CONNECTOR_SECRET_KEY: "reliability-run-connector-key-2b8e4f6a1c9d3e7f5a0b",
    },
  },
});
