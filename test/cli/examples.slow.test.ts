/** The documented examples marked [slow], run as printed (convention: test/cli/examples.ts, docs/cli.md). In `npm run test:slow`. */
import { describe, expect, test } from "vitest";
import { allExamples, cleanUp, missing, problems, runExample } from "./examples.js";

const examples = (await allExamples()).filter((e) => e.slow);

describe.concurrent("documented examples marked [slow]", () => {
  for (const e of examples) {
    const why = missing(e);
    test.skipIf(why !== null)(`${e.where}: ${e.line}${why ? ` (${why})` : ""}`, async () => {
      const r = await runExample(e.line, 600000);
      try {
        expect(problems(e, r), `${e.line}\n--- stderr ---\n${r.stderr.slice(-3000)}`).toEqual([]);
      } finally {
        cleanUp(r);
      }
    }, 660000);
  }
});
