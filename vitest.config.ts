import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Runner tests fork isolated-vm workers; give them room on a 2-core machine. Hooks start whole
    // apps (a database from migrations, a fake LMS): the first of them, while every fork is still
    // transforming the sources, took over 60 s at load average 25, so they get three minutes.
    // Timeouts only bound a hang; no test asserts on time.
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
