/**
 * The two prior presets on data: with the kit's defaults the posterior moves to the data (it recovers the
 * least-squares learning rates on 40 trials); with Greaves' priors on percentage-point data it barely leaves the
 * prior, as in VBA itself (the VBA side of the same fits is compared in vl-vba.test.ts).
 */
import { describe, expect, test } from "vitest";
import { invertSession, presetPrior, simulateBenchSessions, type SessionInput } from "../../../../src/lib/models/bayes/index.js";
import { readFixture, sessionInput, type VlFixture } from "./fixtures.js";

/** Closed-form least squares: alpha per valence, and one alpha for both. */
function leastSquares(s: SessionInput): { good: number; bad: number; one: number } {
  const sxy = [0, 0];
  const sxx = [0, 0];
  for (let t = 0; t < s.e1.length; t++) {
    const x = s.br[t] - s.e1[t];
    const v = s.n[t] === 1 ? 0 : 1;
    sxy[v] += x * (s.e2[t] - s.e1[t]);
    sxx[v] += x * x;
  }
  return { good: sxy[0] / sxx[0], bad: sxy[1] / sxx[1], one: (sxy[0] + sxy[1]) / (sxx[0] + sxx[1]) };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const sessions = simulateBenchSessions(100, 40, 7);

describe("simulated 40-trial sessions (E1, BR in 5..95, alpha_good ~ 0.5, alpha_bad ~ 0.35, noise SD 6)", () => {
  const gap = (preset: string, model: string, keep: (ls: ReturnType<typeof leastSquares>) => boolean = () => true) =>
    sessions
      .map((s) => [s, leastSquares(s)] as const)
      .filter(([, ls]) => keep(ls))
      .map(([s, ls]) => {
        const f = invertSession(s, model, preset);
        return model === "single" ? Math.abs(f.alpha_good - ls.one) : Math.max(Math.abs(f.alpha_good - ls.good), Math.abs(f.alpha_bad - ls.bad));
      });
  test("kit defaults: the posterior-mean learning rates are the least-squares ones to about 0.01", () => {
    expect(Math.max(...gap("kit", "signed-asymmetry"))).toBeLessThan(0.015);
    expect(Math.max(...gap("kit", "single"))).toBeLessThan(0.01);
    // exp-asymmetry cannot fit alpha_good <= alpha_bad (positive asymmetry by construction): where LS says > 0.1
    const pos = gap("kit", "exp-asymmetry", (ls) => ls.good - ls.bad > 0.1);
    expect(pos.length).toBeGreaterThan(40);
    expect(Math.max(...pos)).toBeLessThan(0.02);
  });
  test("Greaves' priors: pulled toward 1/128, several times further from least squares", () => {
    for (const model of ["signed-asymmetry", "single", "exp-asymmetry"]) {
      const g = gap("greaves", model);
      expect(median(g)).toBeGreaterThan(0.02);
      expect(Math.max(...g)).toBeGreaterThan(0.2);
    }
  });
});

describe("the bundled study (56 participants, 138 sessions, mean |EE| 13 points)", () => {
  const study = readFixture<VlFixture>("vl-study.json").sessions.map(sessionInput);
  test("Greaves' priors: exp-asymmetry stays at the prior (learning rate near 0.009, posterior variances ~0.249 of 0.25)", () => {
    const fits = study.map((s) => invertSession(s, "exp-asymmetry", "greaves"));
    expect(median(fits.map((f) => Math.exp(f.mean[0])))).toBeLessThan(0.02);
    expect(median(fits.map((f) => f.covariance[0][0]))).toBeGreaterThan(0.24);
    expect(median(fits.map((f) => f.covariance[1][1]))).toBeGreaterThan(0.24);
    expect(fits.filter((f) => f.warnings.some((w) => /prior dominates/.test(w))).length).toBeGreaterThan(study.length / 2);
  });
  test("kit defaults: the posterior moves to the data", () => {
    const prior = presetPrior("signed-asymmetry", "kit");
    const fits = study.map((s) => invertSession(s, "signed-asymmetry", "kit"));
    expect(median(fits.map((f) => f.covariance[0][0] / prior.covariance[0][0]))).toBeLessThan(0.05);
    const gaps = study.map((s, i) => {
      const ls = leastSquares(s);
      return Math.max(Math.abs(fits[i].alpha_good - ls.good), Math.abs(fits[i].alpha_bad - ls.bad));
    });
    expect(median(gaps)).toBeLessThan(0.02);
    expect(median(fits.map((f) => f.noise_sd))).toBeGreaterThan(4);
  });
});
