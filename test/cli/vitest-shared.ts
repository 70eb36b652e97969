/**
 * What the unit and the slow suite share (vitest.config.ts, vitest.slow.config.ts): the bin is
 * built first, and a passing test prints nothing on stdout. Reports that tests print on stdout (the
 * largest differences from R, …) show with BUK_TEST_LOGS=1; what they print on stderr (a check
 * skipped because Chromium or pdftotext is missing) always shows.
 */
export const shared = {
  globalSetup: ["test/cli/global-setup.ts"],
  onConsoleLog: (_log: string, type: "stdout" | "stderr"): false | void => (type === "stdout" && !process.env.BUK_TEST_LOGS ? false : undefined),
};
