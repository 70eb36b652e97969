/** Prior presets, validation messages, and the prior predictive check. */
import { describe, expect, test } from "vitest";
import { BAYES_MODELS, invertSession, presetPrior, priorPredictive, resolvePrior, validatePrior, type BayesPrior } from "../../../../src/lib/models/bayes/index.js";

const ok: BayesPrior = { mean: [-1, -3], covariance: [[1, 0.2], [0.2, 1]], precision_shape: 1, precision_rate: 25 };
const where = 'prior for model "exp-asymmetry" (parameters a, b)';

describe("validatePrior", () => {
  test("accepts a valid prior and every preset", () => {
    expect(validatePrior("exp-asymmetry", ok)).toBe(ok);
    for (const m of BAYES_MODELS) for (const p of ["kit", "greaves"]) expect(() => validatePrior(m, presetPrior(m, p))).not.toThrow();
  });
  test.each([
    [{ ...ok, mean: [-1] }, `${where}: mean has 1 entries, expected 2`],
    [{ ...ok, mean: [-1, NaN] }, `${where}: mean[1] (b) must be a finite number, got NaN`],
    [{ ...ok, covariance: [[1, 0]] }, `${where}: covariance has 1 rows, expected 2`],
    [{ ...ok, covariance: [[1, 0], [0]] }, `${where}: covariance row 1 has 1 entries, expected 2`],
    [{ ...ok, covariance: [[1, 0.2], [0.3, 1]] }, `${where}: covariance is not symmetric: [0][1] = 0.2 but [1][0] = 0.3`],
    [{ ...ok, covariance: [[1, 0], [0, 0]] }, `${where}: covariance is not positive definite (Cholesky pivot 2 for b is 0)`],
    [{ ...ok, covariance: [[1, 1.5], [1.5, 1]] }, `${where}: covariance is not positive definite (Cholesky pivot 2 for b is -1.25)`],
    [{ ...ok, covariance: [[-1, 0], [0, 1]] }, `${where}: covariance is not positive definite (Cholesky pivot 1 for a is -1)`],
    [{ ...ok, precision_shape: 0 }, `${where}: precision_shape must be a finite number > 0, got 0`],
    [{ ...ok, precision_rate: -2 }, `${where}: precision_rate must be a finite number > 0, got -2`],
    [{ ...ok, precision_rate: Infinity }, `${where}: precision_rate must be a finite number > 0, got Infinity`],
  ] as [BayesPrior, string][])("rejects %j", (prior, message) => {
    expect(() => validatePrior("exp-asymmetry", prior)).toThrow(message);
    expect(() => invertSession({ e1: [50], br: [40], e2: [45], n: [1] }, "exp-asymmetry", prior)).toThrow(message);
  });
  test("the single model has one parameter", () => {
    expect(() => validatePrior("single", ok)).toThrow('prior for model "single" (parameters a): mean has 2 entries, expected 1');
  });
  test("presets are fresh copies with the documented values", () => {
    const g = presetPrior("exp-asymmetry", "greaves");
    expect(g.mean).toEqual([Math.log(1 / 128), Math.log(1 / 128)]);
    expect(g.covariance).toEqual([[0.25, 0], [0, 0.25]]);
    expect([g.precision_shape, g.precision_rate]).toEqual([1, 1]);
    g.mean[0] = 0;
    expect(presetPrior("exp-asymmetry", "greaves").mean[0]).toBeCloseTo(-4.852, 3);
    expect(resolvePrior("signed-asymmetry", "kit")).toEqual({ mean: [Math.log(0.3), 0], covariance: [[1, 0], [0, 0.0625]], precision_shape: 1, precision_rate: 25 });
  });
});

describe("priorPredictive", () => {
  // A design like the study's: |EE| ~ 13 points, both valences.
  const e1: number[] = [];
  const br: number[] = [];
  const n: number[] = [];
  for (let t = 0; t < 40; t++) {
    e1.push(20 + ((t * 37) % 60));
    br.push(e1[t] + (t % 2 ? 1 : -1) * (3 + ((t * 11) % 24)));
    n.push(br[t] < e1[t] ? 1 : -1);
  }
  const design = { e1, br, n };
  test("is seeded, reports what it was asked, and its quantiles are ordered", () => {
    const a = priorPredictive("exp-asymmetry", "kit", design, { samples: 4000, seed: 3 });
    const b = priorPredictive("exp-asymmetry", "kit", design, { samples: 4000, seed: 3 });
    expect(a).toEqual(b);
    expect(a.samples).toBe(4000);
    expect(a.design_trials).toBe(40);
    for (const q of [a.alpha_good, a.alpha_bad, a.asymmetry, a.noise_sd, a.update]) for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1]);
    expect(a.asymmetry[0]).toBeGreaterThan(0); // positive by construction
  });
  test("the kit prior covers the task's learning rates and noise; Greaves' puts the learning rate near 1/128 and the noise SD near 1 point", () => {
    const kit = priorPredictive("exp-asymmetry", "kit", design, { samples: 20000 });
    const gre = priorPredictive("exp-asymmetry", "greaves", design, { samples: 20000 });
    // kit: median alpha_good about 0.35, 95 % interval reaching from near 0 to above 1; noise SD median 6 points.
    expect(kit.alpha_good[2]).toBeGreaterThan(0.25);
    expect(kit.alpha_good[2]).toBeLessThan(0.45);
    expect(kit.alpha_good[0]).toBeLessThan(0.1);
    expect(kit.alpha_good[4]).toBeGreaterThan(1);
    expect(kit.noise_sd[2]).toBeGreaterThan(5);
    expect(kit.noise_sd[2]).toBeLessThan(7);
    // Greaves: 97.5 % of the prior learning rates below 0.05; median noise SD 1.2 points.
    expect(gre.alpha_good[4]).toBeLessThan(0.05);
    expect(gre.noise_sd[2]).toBeLessThan(1.5);
    expect(Math.abs(gre.update[2])).toBeLessThan(0.5);
  });
  test("a design without usable trials is an error", () => {
    expect(() => priorPredictive("single", "kit", { e1: [10], br: [10], n: [1] })).toThrow("priorPredictive: the design has no usable trial");
  });
});
