/**
 * The variational Laplace engine against VBA_NLStateSpaceModel itself (fixtures written by
 * test/octave/make_vl_fixtures.m): simulated participant-sessions and every session of the bundled study,
 * four models, the kit and the Greaves priors.
 */
import { describe, expect, test } from "vitest";
import { invertSession, presetPrior, type VLResult } from "../../../../src/lib/models/bayes/index.js";
import { flat, readFixture, sessionInput, type VlFixture, type VlFixtureFit } from "./fixtures.js";

const simulated = readFixture<VlFixture>("vl-simulated.json");
const study = readFixture<VlFixture>("vl-study.json");

const relErr = (x: number, ref: number) => Math.abs(x - ref) / Math.max(Math.abs(ref), 1e-300);

function compare(fx: VlFixture, f: VlFixtureFit): { mean: number; cov: number; shape: number; rate: number; F: number; fit: VLResult } {
  const fit = invertSession(sessionInput(fx.sessions[f.session_index]), f.model, f.preset);
  const mu = flat(f.mu);
  const sig = flat(f.Sigma);
  const cov = fit.covariance.flat();
  return {
    mean: Math.max(...mu.map((v, i) => relErr(fit.mean[i], v))),
    cov: Math.max(...sig.map((v, i) => relErr(cov[i], v))),
    shape: relErr(fit.precision_shape, f.a_sigma),
    rate: relErr(fit.precision_rate, f.b_sigma),
    F: Math.abs(fit.F - f.F),
    fit,
  };
}

describe.each([
  ["simulated", simulated],
  ["study", study],
])("VL vs VBA_NLStateSpaceModel (%s sessions)", (_name, fx) => {
  test("the fixture's priors are the kit's presets", () => {
    for (const preset of ["kit", "greaves"] as const)
      for (const [key, p] of Object.entries(fx.priors[preset])) {
        const mine = presetPrior(key.replace(/_/g, "-"), preset);
        expect(mine.mean).toEqual(flat(p.mean));
        expect(mine.covariance.flat()).toEqual(flat(p.covariance));
        expect([mine.precision_shape, mine.precision_rate]).toEqual([p.shape, p.rate]);
      }
  });

  test("posterior means and covariances to 1e-4 relative, precision posterior to 1e-4, F to 1e-3, same iterations", () => {
    const fits = fx.fits.filter((f) => f.layout === "static");
    expect(fits.length).toBeGreaterThan(70);
    const worst = { mean: 0, cov: 0, shape: 0, rate: 0, F: 0 };
    for (const f of fits) {
      const d = compare(fx, f);
      for (const k of Object.keys(worst) as (keyof typeof worst)[]) worst[k] = Math.max(worst[k], d[k]);
      expect(d.fit.iterations, `${fx.sessions[f.session_index].id} ${f.model} ${f.preset}`).toBe(f.it);
      expect(d.fit.converged).toBe(f.CV);
    }
    expect(worst.mean).toBeLessThan(1e-4);
    expect(worst.cov).toBeLessThan(1e-4);
    expect(worst.shape).toBeLessThan(1e-4);
    expect(worst.rate).toBeLessThan(1e-4);
    expect(worst.F).toBeLessThan(1e-3);
  });

  test("VBA's time-series layout (Greaves' upd_invert: y 1 x T) gives the same posterior as the static layout", () => {
    const ts = fx.checks.filter((f) => f.layout === "timeseries");
    expect(ts.length).toBeGreaterThan(0);
    for (const f of ts) {
      const d = compare(fx, f);
      expect(d.mean).toBeLessThan(1e-10);
      expect(d.cov).toBeLessThan(1e-10);
      expect(d.F).toBeLessThan(1e-9);
    }
  });

  test("Greaves' own upd_model.m (numerical gradients in VBA) agrees to 1e-3 relative (its finite differences)", () => {
    const num = fx.checks.filter((f) => f.layout === "greaves-upd_model-numeric-gradients");
    expect(num.length).toBeGreaterThan(0);
    for (const f of num) {
      const d = compare(fx, f);
      expect(d.mean).toBeLessThan(1e-3);
      expect(d.cov).toBeLessThan(1e-3);
      expect(d.F).toBeLessThan(1e-3);
    }
  });
});
