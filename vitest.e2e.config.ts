import { defineConfig } from "vitest/config";

// Browser tests: run against the built site with Debian's Chromium (`npm run build` first).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    testTimeout: 60000,
    hookTimeout: 60000,
    fileParallelism: false,
  },
});
