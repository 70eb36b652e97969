/**
 * The power engine against closed forms and R (fixtures written by test/lib/power/make-fixtures.ts,
 * test/r/power_ttest.R and test/r/power_lmm.R; see docs/power.md, "Validation").
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { noncentralTUpper, powerTTest } from "../../../src/lib/power/closed-form.js";
import { runPower } from "../../../src/lib/power/engine.js";
import { parsePlan } from "../../../src/lib/power/plan.js";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/power/${name}`, import.meta.url), "utf8"));
const ttest = fixture("ttest_reference.json");

describe("noncentral t and power.t.test", () => {
  it("the upper tail of the noncentral t equals R's pt(q, df, ncp, lower.tail = FALSE)", () => {
    for (const g of ttest.noncentral_t) expect(Math.abs(noncentralTUpper(g.q, g.df, g.ncp) - g.upper)).toBeLessThan(2e-8);
  });
  it("powerTTest equals R's power.t.test (paired, one-sample, two-sample; strict or not)", () => {
    for (const d of ttest.power_t_test) expect(powerTTest({ n: d.n, delta: d.delta, sd: d.sd, type: d.type })).toBeCloseTo(d.power, 9);
    for (const c of ttest.cases) {
      expect(powerTTest({ n: c.n, delta: c.delta, sd: c.sd, type: c.type, alpha: c.alpha })).toBeCloseTo(c.power_R, 9);
      expect(powerTTest({ n: c.n, delta: c.delta, sd: c.sd, type: c.type, alpha: c.alpha, strict: true })).toBeCloseTo(c.power_R_strict, 9);
    }
  });
});

describe("simulated power against the noncentral t (4,000 studies per case)", () => {
  it("without response noise (fitted rates normal with the generating mean and SD) they agree within 3 Monte Carlo SE", () => {
    const cases = ttest.cases.filter((c: { variant: string }) => c.variant === "no-noise");
    expect(cases.length).toBe(6);
    for (const c of cases) expect(Math.abs(c.power - c.power_R)).toBeLessThanOrEqual(3 * Math.max(c.mc_se, 0.5 / c.replicates));
  });
  it("with the bundled design's noise they agree at N = 26; at smaller N the heavy-tailed fitted rates give more power than normal theory", () => {
    for (const c of ttest.cases.filter((x: { variant: string }) => x.variant === "bundled")) {
      expect(c.pilot.excess_kurtosis).toBeGreaterThan(0.5);
      if (c.n === 26) expect(Math.abs(c.power - c.power_R)).toBeLessThanOrEqual(3 * c.mc_se);
      else expect(c.power).toBeGreaterThan(c.power_R - c.mc_se);
    }
  });
});

describe("mixed model: the kit against an R loop with lmerTest (simr's procedure)", () => {
  const kit = fixture("lmm_kit.json");
  const r = fixture("lmm_reference.json");
  it("power of the group × time × valence term agrees within the two Monte Carlo errors", () => {
    expect(r.term).toBe("groupTRD:sessionpost1:valencegood");
    expect(Math.abs(kit.result.power - r.power)).toBeLessThanOrEqual(3 * Math.hypot(kit.result.mc_se, r.mc_se));
  });
  it("so do the mean estimate, its SD over studies and the mean reported SE", () => {
    const se = kit.result.estimate_sd / Math.sqrt(r.replicates);
    expect(Math.abs(kit.result.estimate_mean - r.estimate_mean)).toBeLessThan(4 * se);
    expect(kit.result.estimate_sd / r.estimate_sd).toBeGreaterThan(0.9);
    expect(kit.result.estimate_sd / r.estimate_sd).toBeLessThan(1.1);
    expect(kit.result.se_mean / r.se_mean).toBeGreaterThan(0.97);
    expect(kit.result.se_mean / r.se_mean).toBeLessThan(1.03);
  });
});

describe("bootstrap with fewer resamples", () => {
  it("499 resamples give the power of 4,999 on the same 1,000 studies within 2 points", () => {
    const [few, many] = fixture("bootstrap_resamples.json").results;
    expect(few.resamples).toBe(499);
    expect(many.resamples).toBe(4999);
    expect(Math.abs(few.power - many.power)).toBeLessThanOrEqual(0.02);
  });
});

describe("the engine still gives the committed counts", () => {
  it("60 studies of the default plan, every metric", () => {
    const r = runPower(parsePlan({ replicates: 60, seed: 2, analysis: { boot_resamples: 199 } }), { designOnly: true });
    expect(Object.fromEntries(r.points[0].metrics.map((m) => [m.metric, m.significant]))).toEqual(fixture("repro.json").counts);
  });
});
