import { describe, expect, it } from "vitest";
import { benchPower, formatPower, neededN, powerFromPlan, runPower, type PointSummary, type PowerResult } from "../../../src/lib/power/index.js";
import { PlanError, parsePlan } from "../../../src/lib/power/plan.js";
import { METRICS } from "../../../src/lib/power/metrics.js";

const small = parsePlan({ replicates: 40, seed: 4, analysis: { metrics: ["asymmetry", "change", "lmm"] }, curves: { n: [8, 16], events: [20] } });

describe("runPower", () => {
  it("gives the same result in batches with progress as in one go (seeds per study, not per batch)", () => {
    const updates: PowerResult[] = [];
    const a = runPower(small, { batch: 7, onUpdate: (r) => void updates.push(r) });
    const b = runPower(small, { batch: 1000 });
    const strip = (r: PowerResult) => r.points.map((p) => p.metrics.map(({ metric, significant, failed, estimate_mean, estimate_sd }) => ({ metric, significant, failed, estimate_mean, estimate_sd })));
    expect(strip(a)).toEqual(strip(b));
    // The plan's design first: the first update holds a first estimate of it and nothing else.
    expect(updates[0].points[0].kinds).toContain("design");
    expect(updates[0].points[0].replicates_done).toBe(7);
    expect(updates[0].points.slice(1).every((p) => p.replicates_done === 0)).toBe(true);
    expect(updates.at(-1)!.complete).toBe(true);
    expect(a.studies_total).toBe(4 * 40);
  });

  it("stops when onUpdate returns false, with what was done", () => {
    let calls = 0;
    const r = runPower(small, { batch: 10, onUpdate: () => ++calls < 3 });
    expect(calls).toBe(3);
    expect(r.complete).toBe(false);
    expect(r.studies_done).toBe(30);
  });

  it("states power with its Monte Carlo SE and exact interval, and precision of the estimate", () => {
    const r = runPower(small);
    for (const p of r.points)
      for (const m of p.metrics) {
        expect(m.mc_se).toBeCloseTo(Math.sqrt((m.power * (1 - m.power)) / m.replicates), 12);
        expect(m.ci[0]).toBeLessThanOrEqual(m.power);
        expect(m.ci[1]).toBeGreaterThanOrEqual(m.power);
        expect(m.estimate_sd).toBeGreaterThan(0);
        expect(m.ci_width_mean).toBeGreaterThan(0);
      }
    // More participants, more power (common random numbers keep the curve monotone here).
    const at = (n: number) => r.points.find((p) => p.n[0] === n && p.kinds.includes("n"))!.metrics[0];
    expect(at(16).power).toBeGreaterThan(at(8).power);
    expect(r.notes.join(" ")).toMatch(/Hoenig & Heisey 2001/);
  });

  it("a group contrast of zero has power near alpha (the test's size)", () => {
    const lr = { pre: { good: 0.45, bad: 0.35 }, post1: { good: 0.45, bad: 0.35 } };
    const r = runPower(parsePlan({ replicates: 300, design: { groups: [{ label: "A", n: 15 }, { label: "B", n: 15 }], sessions: ["pre", "post1"] }, effects: { learning_rates: { A: lr, B: lr } }, analysis: { metrics: ["contrast"] } }), { designOnly: true });
    const m = r.points[0].metrics[0];
    expect(Math.abs(m.power - 0.05)).toBeLessThan(3 * Math.sqrt((0.05 * 0.95) / 300));
    expect(m.truth).toBe(0);
  });
});

describe("neededN", () => {
  const point = (n: number, power: number, ci: [number, number]): PointSummary => ({ id: `n${n}`, kinds: ["n"], n: [n, n], events: 40, replicates_done: 100, metrics: [{ metric: "x", replicates: 100, significant: power * 100, failed: 0, power, mc_se: 0, ci, estimate_mean: 0, estimate_sd: 0, se_mean: 0, ci_width_mean: 0, truth: null, bias: null }] });
  const pts = [point(10, 0.5, [0.4, 0.6]), point(20, 0.7, [0.6, 0.8]), point(30, 0.9, [0.82, 0.95])];
  it("interpolates the crossing and its range from the interval curves", () => {
    const [p80, p90] = neededN(pts, ["n10", "n20", "n30"], ["x"]);
    expect(p80).toEqual({ metric: "x", target: 0.8, n: 25, range: [20, 30], status: "reached" });
    expect(p90.n).toBe(30);
    expect(p90.range[1]).toBeNull();
  });
});

describe("powerFromPlan", () => {
  it("validates the plan with every problem listed", () => {
    expect(() => powerFromPlan('{"replicates": 2, "alpha": 2}')).toThrow(PlanError);
    try {
      powerFromPlan({ replicates: 2, alpha: 2 });
    } catch (e) {
      expect((e as PlanError).errors).toHaveLength(2);
    }
  });
  it("runs a JSON plan to the end and reports it in words", () => {
    const r = powerFromPlan(JSON.stringify({ replicates: 20, analysis: { metrics: ["asymmetry"] }, curves: { n: [10, 20], events: [] } }));
    expect(r.complete).toBe(true);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const text = formatPower(r);
    expect(text).toMatch(/Asymmetry \(paired t\)/);
    expect(text).toMatch(/± /);
    expect(text).toMatch(/Participants per group needed/);
  });
});

describe("metric list", () => {
  it("has one entry per metric id, the mixed model among them", () => {
    expect(METRICS.map((m) => m.id)).toEqual(["asymmetry", "change", "contrast", "lmm", "sobel", "bootstrap"]);
  });
  it("benchPower times a short run", () => {
    const b = benchPower({ studies: 20 });
    expect(b.studies).toBe(20);
    expect(b.ms_per_study).toBeGreaterThan(0);
  });
});
