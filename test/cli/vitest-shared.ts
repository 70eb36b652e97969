/**
 * What the unit and the slow suite share (vitest.config.ts, vitest.slow.config.ts): the bin is
 * built first, and a passing test prints nothing on stdout. Reports that tests print on stdout (the
 * largest differences from R, …) show with BUK_TEST_LOGS=1; what they print on stderr (a check
 * skipped because Chromium or pdftotext is missing) always shows.
 */
import { availableParallelism } from "node:os";

export const shared = {
  // vitest's default is one worker fewer than the cores: one worker on this 2-core machine, every file in turn.
  // The main process is idle while the tests run, so use them all.
  maxWorkers: Math.max(2, availableParallelism()),
  globalSetup: ["test/cli/global-setup.ts"],
  onConsoleLog: (_log: string, type: "stdout" | "stderr"): false | void => (type === "stdout" && !process.env.BUK_TEST_LOGS ? false : undefined),
};
