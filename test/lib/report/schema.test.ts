/**
 * docs/analysis.schema.json against what `belief-kit analyze --json` writes: the bundled studies through
 * the command itself, the simulated designs and other options (Bayesian models with model selection,
 * hierarchical fits, trial-level models with random slopes) in-process (the same document,
 * JSON.stringify'd as the command does). Strict: an unknown property or a wrong type fails.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, test } from "vitest";
import { BUNDLED, SIMULATED, analyse, asJson } from "./helpers.js";

const schema = JSON.parse(readFileSync("docs/analysis.schema.json", "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);
const run = promisify(execFile);

function check(doc: unknown, what: string): void {
  const ok = validate(doc);
  if (!ok) throw new Error(`${what} does not match docs/analysis.schema.json:\n${ajv.errorsText(validate.errors, { separator: "\n" }).slice(0, 3000)}`);
}

describe("analyze --json of the bundled studies", () => {
  const docs = new Map<string, unknown>();
  beforeAll(async () => {
    await Promise.all(
      BUNDLED.map(async (dir) => {
        const { stdout } = await run("npx", ["tsx", "src/cli/analyze.ts", dir, "--json"], { maxBuffer: 64 * 1024 * 1024 });
        docs.set(dir, JSON.parse(stdout));
      }),
    );
  }, 120000);
  test.each(BUNDLED)("%s matches the schema", (dir) => check(docs.get(dir), dir));
});

describe("documents of the simulated designs and of other options", () => {
  test.each(SIMULATED)("%s", async (dir) => check(asJson((await analyse(dir)).doc), dir));
  test.each([
    ["Bayesian model with model selection", "model=vb-signed-asymmetry&bmc=1&boot=200"],
    ["hierarchical fits", "hier=1&model=ee-weighted&boot=0"],
    ["trial level, random slope and event intercept", "level=trials&re=slope-event&boot=100"],
  ])("ketamine-trd, %s", async (_, query) => check(asJson((await analyse("data/ketamine-trd", query)).doc), query));
});

describe("the schema is strict", () => {
  test("an unknown property, a missing field and a wrong type fail", async () => {
    const doc = asJson((await analyse("test/fixtures/designs-v2/one-group-one-session")).doc) as Record<string, any>;
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, surprise: 1 })).toBe(false);
    const { lmm: _lmm, ...noLmm } = doc;
    expect(validate(noLmm)).toBe(false);
    expect(validate({ ...doc, lmm: { ...doc.lmm, n_obs: "224" } })).toBe(false);
    expect(validate({ ...doc, fits: [{ ...doc.fits[0], alpha_good: "0.5" }] })).toBe(false);
  });
  test("the documented optional additions may be absent", async () => {
    const doc = asJson((await analyse("test/fixtures/designs-v2/two-groups-one-session")).doc) as Record<string, any>;
    const { anova: _a, varcorr: _v, ...lmm } = doc.lmm;
    const { model_selection: _m, ...rest } = doc;
    const { bayesian_model_selection: _b, prior: _p, lmm_random_effects: _r, ...options } = doc.options;
    expect(validate({ ...rest, lmm, options })).toBe(true);
  });
});
