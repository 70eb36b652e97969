import { describe, expect, it } from "vitest";
import { fitModel } from "../../helpers/models.js";
import { createRng } from "../../../src/lib/stats/random.js";

import {
  DEFAULT_GENERATING,
  designsFromTrials,
  formatRecovery,
  pearson,
  runRecovery,
  simulateSession,
  syntheticDesigns,
  type RecoveryReport,
} from "../../../src/lib/models/recovery.js";

function stat(report: RecoveryReport, model: string, parameter: string, method: "ml" | "map" = "ml") {
  const s = report.parameters.find((p) => p.model === model && p.parameter === parameter && p.method === method);
  expect(s, `${model}/${parameter}/${method}`).toBeDefined();
  return s!;
}

describe("recovery", () => {
  const designs40 = syntheticDesigns({ n: 56, trials: 40, seed: 3 });

  it("is deterministic for a seed, and the seed matters", () => {
    const a = runRecovery(designs40, { n: 60, seed: 9 });
    const b = runRecovery(designs40, { n: 60, seed: 9 });
    const c = runRecovery(designs40, { n: 60, seed: 10 });
    expect(a).toEqual(b);
    expect(c.parameters).not.toEqual(a.parameters);
    expect(syntheticDesigns({ seed: 3 })).toEqual(syntheticDesigns({ seed: 3 }));
  });

  it("gives a model's parameter recovery the same numbers whichever other models are run", () => {
    const all = runRecovery(designs40, { n: 60, seed: 4 });
    const one = runRecovery(designs40, { n: 60, seed: 4, models: ["valence"] });
    expect(one.parameters).toEqual(all.parameters.filter((p) => p.model === "valence"));
    expect(one.points).toEqual(all.points.filter((p) => p.model === "valence"));
  });

  it("with many trials, parameters are recovered almost perfectly (r > 0.95)", () => {
    const many = syntheticDesigns({ n: 20, trials: 400, seed: 4 });
    const rep = runRecovery(many, { n: 100, seed: 2 });
    for (const p of ["alpha_good", "alpha_bad", "asymmetry", "sigma"]) {
      expect(stat(rep, "valence", p).r!, `valence ${p}`).toBeGreaterThan(0.95);
      expect(Math.abs(stat(rep, "valence", p).bias!), `valence ${p} bias`).toBeLessThan(p === "sigma" ? 0.3 : 0.02);
    }
    expect(stat(rep, "single", "alpha").r!).toBeGreaterThan(0.97);
    expect(stat(rep, "scaling-asymmetry", "k").r!).toBeGreaterThan(0.95);
    expect(stat(rep, "ee-weighted", "beta").r!).toBeGreaterThan(0.9);
    // model recovery: the generating model (or its exact reparametrisation) wins most of the time
    const row = (g: string) => rep.confusion.find((c) => c.generating === g)!;
    expect(row("single").proportion.single).toBeGreaterThan(0.6);
    expect(row("valence").proportion.valence + row("valence").proportion["scaling-asymmetry"]).toBeGreaterThan(0.6);
    expect(row("valence").proportion.valence).toBeCloseTo(row("valence").proportion["scaling-asymmetry"], 10);
    expect(row("ee-weighted").proportion["ee-weighted"]).toBeGreaterThan(0.6);
    for (const c of rep.confusion) expect(Object.values(c.best).reduce((s, v) => s + v, 0)).toBeCloseTo(c.n, 10);
  });

  it("on a 40-trial design recovery is weaker but clearly above chance", () => {
    const rep = runRecovery(designs40, { n: 200, seed: 1, models: ["valence"] });
    expect(rep.models).toEqual(["valence"]);
    expect(rep.design.trials_min).toBe(40);
    expect(stat(rep, "valence", "alpha_good").r!).toBeGreaterThan(0.6);
    expect(stat(rep, "valence", "alpha_bad").r!).toBeGreaterThan(0.6);
    expect(stat(rep, "valence", "asymmetry").r!).toBeGreaterThan(0.5);
    expect(rep.points.filter((p) => p.parameter === "alpha_good")).toHaveLength(200);
  });

  it("accepts plain arrays of {e1, br} and designs from scored trials", () => {
    const plain = designs40.slice(0, 5).map((d) => d.trials);
    const rep = runRecovery(plain, { n: 10, seed: 1, models: ["single", "valence"] });
    expect(rep.design.n_designs).toBe(5);
    expect(rep.confusion.map((c) => c.generating)).toEqual(["single", "valence"]);
    const rng = createRng(1);
    const sim = simulateSession("valence", { alpha_good: 0.5, alpha_bad: 0.3, sigma: 5 }, designs40[0], rng, { participant_id: "X", session: "s" });
    const back = designsFromTrials(sim);
    expect(back).toHaveLength(1);
    expect(back[0].trials).toEqual(designs40[0].trials);
  });

  it("simulateSession follows the model: noise-free, unrounded data are fitted exactly", () => {
    const rng = createRng(3);
    const d = designs40[1];
    const noRound = { round: false, range: [-1000, 1000] as [number, number] };
    const v = simulateSession("valence", { alpha_good: 0.62, alpha_bad: 0.21, sigma: 1e-9 }, d, rng, { participant_id: "V", session: "s" }, noRound);
    const fv = fitModel(v, "valence");
    expect(fv.alpha_good).toBeCloseTo(0.62, 6);
    expect(fv.alpha_bad).toBeCloseTo(0.21, 6);
    const e = simulateSession("ee-weighted", { alpha_good: 0.5, alpha_bad: 0.4, beta: -0.1, sigma: 1e-9 }, d, rng, { participant_id: "E", session: "s" }, noRound);
    const fe = fitModel(e, "ee-weighted");
    expect(fe.alpha_good).toBeCloseTo(0.5, 6);
    expect(fe.alpha_bad).toBeCloseTo(0.4, 6);
    expect(fe.params.beta).toBeCloseTo(-0.1, 6);
    // default: integers in [1, 99]
    const r = simulateSession("valence", { alpha_good: 1, alpha_bad: 1, sigma: 30 }, d, rng, { participant_id: "R", session: "s" });
    expect(r.every((t) => Number.isInteger(t.e2) && t.e2 >= 1 && t.e2 <= 99)).toBe(true);
  });

  it("default generating distributions are in range", () => {
    const rng = createRng(8);
    for (const [name, sampler] of Object.entries(DEFAULT_GENERATING)) {
      for (let i = 0; i < 200; i++) {
        const p = sampler(rng);
        expect(p.alpha_good, name).toBeGreaterThanOrEqual(0.02);
        expect(p.alpha_good).toBeLessThanOrEqual(1);
        expect(p.alpha_bad).toBeGreaterThanOrEqual(0.02);
        expect(p.alpha_bad).toBeLessThanOrEqual(1);
        expect(p.sigma).toBeGreaterThanOrEqual(6);
        expect(p.sigma).toBeLessThanOrEqual(12);
        if (name === "scaling-asymmetry") expect(p.s! + p.k!).toBeCloseTo(p.alpha_good, 12);
      }
    }
  });

  it("hierarchical option: MAP recovery rows and best model by iBIC", () => {
    const rep = runRecovery(designs40, { n: 60, seed: 5, models: ["single", "valence"], hierarchical: true });
    expect(stat(rep, "valence", "alpha_good", "map").n).toBe(60);
    for (const c of rep.confusion) {
      expect(c.best_ibic).not.toBeUndefined();
      expect(Object.values(c.ibic!).every((v) => v !== null && Number.isFinite(v))).toBe(true);
    }
    const text = formatRecovery(rep);
    expect(text).toMatch(/Parameter recovery/);
    expect(text).toMatch(/best by iBIC/);
  });

  it("rejects bad input", () => {
    expect(() => runRecovery([])).toThrow(/no design/);
    expect(() => runRecovery([[{ e1: 10, br: 10 }]])).toThrow(/no design/);
    expect(() => runRecovery(designs40, { n: 0 })).toThrow(/positive integer/);
    expect(() => runRecovery(designs40, { models: ["nope"] })).toThrow('unknown model "nope"');
  });

  it("pearson", () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1, 2], [1, 2])).toBeNull();
  });
});
