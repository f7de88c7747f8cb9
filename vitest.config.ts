import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Two cores: forks keep native modules (better-sqlite3) and worker threads isolated per file.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
