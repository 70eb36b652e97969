import { defineConfig } from "vitest/config";
import { shared } from "./test/cli/vitest-shared.js";

// `npm run test:slow`: integration tests that take long (the benchmark's own run, figures through
// Chromium, the documented examples marked [slow]). CI (.ci/run) runs them after `npm test`.
export default defineConfig({
  test: {
    include: ["test/**/*.slow.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    testTimeout: 180000,
    // Each slow example is a heavy process of its own: two at a time on two cores.
    maxConcurrency: 2,
    ...shared,
  },
});
