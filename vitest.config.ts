import { defineConfig } from "vitest/config";
import { shared } from "./test/cli/vitest-shared.js";

// `npm test`: the unit tests (under about 90 s with the type check). The slow ones, *.slow.test.ts,
// run with `npm run test:slow` (vitest.slow.config.ts); the browser tests with `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.slow.test.ts", "test/e2e/**", "node_modules/**"],
    testTimeout: 30000,
    ...shared,
  },
});
