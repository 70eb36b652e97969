/** The documented examples that run quickly, run as printed (convention: test/cli/examples.ts, docs/cli.md). */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/registry.js";
import { allExamples, cleanUp, markdownExamples, missing, problems, redirections, ROOT, runExample } from "./examples.js";

const examples = await allExamples();

describe.concurrent("documented examples", () => {
  for (const e of examples) {
    const why = e.slow ? "marked [slow]: npm run test:slow runs it" : missing(e);
    test.skipIf(why !== null)(`${e.where}: ${e.line}${why ? ` (${why})` : ""}`, async () => {
      const r = await runExample(e.line, 60000);
      try {
        expect(problems(e, r), `${e.line}\n--- stderr ---\n${r.stderr.slice(-3000)}`).toEqual([]);
      } finally {
        cleanUp(r);
      }
    }, 90000);
  }
});

describe("the examples convention", () => {
  test("there are examples of every command, and README.md's include the JSON of npm run analyze into a file", () => {
    const commands = new Set(examples.map((e) => /(?:belief-kit|npm run(?: -s| --silent)?) ([a-z]+)/.exec(e.line)?.[1]));
    for (const c of Object.keys(COMMANDS)) expect(commands).toContain(c);
    expect(examples.filter((e) => e.where.startsWith("README.md:")).map((e) => e.line)).toContainEqual(expect.stringMatching(/^npm run analyze -- \S+ --json > \S+\.json\b/));
  });
  test("reads shell blocks only, marks from the trailing comment, and redirections", () => {
    const md = ["```sh", "npm ci && npm run dev", "$ belief-kit analyze x --json > a.json  # [slow] [needs: R]", "npm run figures -- --list", "```", "```", "belief-kit validate y", "```", "```js", "npm run analyze", "```"].join("\n");
    const found = markdownExamples("x.md", md);
    expect(found.map((e) => [e.where, e.line, e.slow, e.needs])).toEqual([
      ["x.md:3", "belief-kit analyze x --json > a.json  # [slow] [needs: R]", true, ["R"]],
      ["x.md:4", "npm run figures -- --list", false, []],
    ]);
    expect(markdownExamples("x.md", "```sh\nbelief-kit bench  # [skip: takes an hour]\n```")[0].skip).toBe("takes an hour");
    expect(redirections("belief-kit analyze d --json > a.json 2> log.txt # > not.json")).toEqual(["a.json"]);
    expect(redirections("npm run bench -- --json >bench.json")).toEqual(["bench.json"]);
  });
});
