import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { afterAll, describe, expect, it } from "vitest";
import { ancova, ols, type AncovaRow, type OlsResult } from "../../../src/lib/stats/ols.js";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "trials");

interface CoefRef {
  term: string;
  estimate: number;
  se: number;
  t: number;
  p: number;
  ci: [number, number];
}
interface LmRef {
  coefficients: CoefRef[];
  sigma: number;
  r2: number;
  adj_r2: number;
  f: { value: number; df1: number; df2: number; p: number };
  df_residual: number;
  n: number;
}
interface AncovaRef extends LmRef {
  name: string;
  file: string;
  reference: string;
  treatment: string;
  n_excluded: number;
  baseline_mean: number;
  adjusted_means: {
    arm: string;
    n: number;
    mean: number;
    se: number;
    ci: [number, number];
    raw_baseline_mean: number;
    raw_post_mean: number;
  }[];
}
interface Reference {
  ancova: AncovaRef[];
  ols: Record<"with_intercept" | "no_intercept" | "with_intercept_90", LmRef>;
}

const ref = JSON.parse(readFileSync(join(FIXTURES, "reference.json"), "utf8")) as Reference;

const worst: Record<string, { rel: number; where: string }> = {};
function close(actual: number | null | undefined, expected: number, tol: number, kind: string, where: string): void {
  expect(actual, where).not.toBeNull();
  expect(actual, where).not.toBeUndefined();
  const a = actual as number;
  const rel = a === expected ? 0 : Math.abs(a - expected) / Math.abs(expected);
  if (!worst[kind] || rel > worst[kind].rel) worst[kind] = { rel, where };
  expect(rel <= tol, `${where}: ${a} vs R ${expected} (rel ${rel})`).toBe(true);
}
afterAll(() => {
  const lines = Object.entries(worst).map(([k, v]) => `  ${k}: ${v.rel.toExponential(2)} (${v.where})`);
  console.log(`ols vs R, largest relative differences:\n${lines.join("\n")}`);
});

function checkLm(fit: OlsResult, r: LmRef, label: string): void {
  expect(fit.coefficients.map((c) => c.term)).toEqual(r.coefficients.map((c) => c.term));
  expect(fit.n).toBe(r.n);
  expect(fit.df_residual).toBe(r.df_residual);
  fit.coefficients.forEach((c, i) => {
    const e = r.coefficients[i];
    const w = `${label} ${c.term}`;
    close(c.estimate, e.estimate, 1e-8, "estimate", w);
    close(c.se, e.se, 1e-8, "se", w);
    close(c.t, e.t, 1e-8, "t", w);
    close(c.p, e.p, 1e-8, "p", w);
    close(c.ci?.[0], e.ci[0], 1e-8, "ci", `${w} lower`);
    close(c.ci?.[1], e.ci[1], 1e-8, "ci", `${w} upper`);
    expect(c.df).toBe(r.df_residual);
  });
  close(fit.sigma, r.sigma, 1e-8, "sigma", label);
  close(fit.r2, r.r2, 1e-8, "r2", label);
  close(fit.adj_r2, r.adj_r2, 1e-8, "adj_r2", label);
  expect(fit.f).not.toBeNull();
  close(fit.f!.value, r.f.value, 1e-8, "F", label);
  expect([fit.f!.df1, fit.f!.df2]).toEqual([r.f.df1, r.f.df2]);
  close(fit.f!.p, r.f.p, 1e-8, "F p", label);
}

function readCsv(file: string) {
  return csvParse(readFileSync(join(FIXTURES, file), "utf8"));
}
const numOrNull = (s: string | undefined) => (s === undefined || s === "" ? null : Number(s));

describe("ols vs lm()", () => {
  const rows = readCsv("ols_multi.csv").map((r) => ({ y: +r.y!, x1: +r.x1!, x2: +r.x2!, x3: +r.x3! }));
  const y = rows.map((r) => r.y);

  it("y ~ x1 + x2 + x3", () => {
    const X = rows.map((r) => [1, r.x1, r.x2, r.x3]);
    const fit = ols(y, X, ["(Intercept)", "x1", "x2", "x3"]);
    expect(fit.intercept).toBe(true);
    checkLm(fit, ref.ols.with_intercept, "with_intercept");
    // residuals sum to ~0 with an intercept; fitted + residuals = y
    expect(Math.abs(fit.residuals.reduce((s, e) => s + e, 0))).toBeLessThan(1e-10);
    fit.fitted.forEach((f, i) => expect(f + fit.residuals[i]).toBeCloseTo(y[i], 10));
  });

  it("90% intervals", () => {
    const X = rows.map((r) => [1, r.x1, r.x2, r.x3]);
    checkLm(ols(y, X, ["(Intercept)", "x1", "x2", "x3"], { confLevel: 0.9 }), ref.ols.with_intercept_90, "90%");
  });

  it("y ~ 0 + x1 + x2 (uncentred R^2)", () => {
    const X = rows.map((r) => [r.x1, r.x2]);
    const fit = ols(y, X, ["x1", "x2"]);
    expect(fit.intercept).toBe(false);
    checkLm(fit, ref.ols.no_intercept, "no_intercept");
  });

  it("by hand: simple regression through known points", () => {
    // y = 1 + 2x exactly plus symmetric noise
    const xs = [0, 1, 2, 3, 4];
    const ys = [1.1, 2.9, 5.1, 6.9, 9.0];
    const fit = ols(
      ys,
      xs.map((x) => [1, x]),
      ["(Intercept)", "x"],
    );
    // slope = Sxy / Sxx
    const xbar = 2;
    const ybar = ys.reduce((s, v) => s + v, 0) / 5;
    const sxy = xs.reduce((s, x, i) => s + (x - xbar) * (ys[i] - ybar), 0);
    expect(fit.coefficients[1].estimate).toBeCloseTo(sxy / 10, 12);
    expect(fit.coefficients[0].estimate).toBeCloseTo(ybar - (sxy / 10) * xbar, 12);
  });

  it("throws on a collinear term, naming it", () => {
    const X = rows.map((r) => [1, r.x1, r.x2, 2 * r.x1 - 0.5 * r.x2]);
    expect(() => ols(y, X, ["(Intercept)", "x1", "x2", "x4"])).toThrow(/"x4" is collinear.*\(Intercept\), x1, x2/);
    const Z = rows.map((r) => [1, r.x1, 0]);
    expect(() => ols(y, Z, ["(Intercept)", "x1", "zero"])).toThrow(/"zero" is identically zero/);
    const C = rows.map((r) => [1, r.x1, 3]);
    expect(() => ols(y, C, ["(Intercept)", "x1", "const"])).toThrow(/"const" is collinear/);
  });

  it("no residual df: se, t, p, ci, sigma null, never NaN", () => {
    const fit = ols(
      [1, 3],
      [
        [1, 0],
        [1, 1],
      ],
      ["(Intercept)", "x"],
    );
    expect(fit.df_residual).toBe(0);
    expect(fit.sigma).toBeNull();
    expect(fit.adj_r2).toBeNull();
    expect(fit.vcov).toBeNull();
    expect(fit.f).toBeNull();
    for (const c of fit.coefficients) {
      expect([c.se, c.t, c.p, c.ci]).toEqual([null, null, null, null]);
    }
    expect(fit.coefficients[1].estimate).toBeCloseTo(2, 12);
    expect(JSON.stringify(fit)).not.toMatch(/NaN/);
  });

  it("perfect fit: zero se gives null t and p", () => {
    const fit = ols(
      [1, 3, 5, 7],
      [0, 1, 2, 3].map((x) => [1, x]),
      ["(Intercept)", "x"],
    );
    expect(fit.sigma).toBeCloseTo(0, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    for (const c of fit.coefficients) {
      if (c.se === 0) expect([c.t, c.p]).toEqual([null, null]);
      else expect(Number.isNaN(c.t as number)).toBe(false);
    }
  });

  it("validates shapes and values", () => {
    expect(() => ols([1, 2], [[1]], ["a"])).toThrow();
    expect(() => ols([1, NaN], [[1], [1]], ["a"])).toThrow(/not a finite/);
    expect(() => ols([1, 2], [[1], [1]], ["a", "b"])).toThrow();
    expect(() => ols([1, 2, 3], [[1, 1], [1, 2], [1, 3]], ["a", "a"])).toThrow(/duplicate/);
    expect(() => ols([1], [[1, 2]], ["a", "b"])).toThrow(/rank deficient/);
  });
});

describe("ancova vs lm(post ~ arm + baseline)", () => {
  for (const r of ref.ancova) {
    it(`${r.name}: reference ${r.reference}, treatment ${r.treatment}`, () => {
      const rows: AncovaRow[] = readCsv(r.file).map((d) => ({
        arm: d.arm as string,
        baseline: numOrNull(d.baseline),
        post: numOrNull(d.post),
      }));
      const fit = ancova(rows, { reference: r.reference, treatment: r.treatment });
      checkLm(fit, r, r.name);
      expect(fit.coefficients.map((c) => c.term)).toEqual(["(Intercept)", `arm${r.treatment}`, "baseline"]);
      expect(fit.n_excluded).toBe(r.n_excluded);
      close(fit.baseline_mean, r.baseline_mean, 1e-12, "baseline mean", r.name);
      expect(fit.difference).toEqual(fit.coefficients[1]);
      fit.adjusted_means.forEach((m, g) => {
        const e = r.adjusted_means[g];
        const w = `${r.name} ${m.arm}`;
        expect(m.arm).toBe(e.arm);
        expect(m.n).toBe(e.n);
        close(m.mean, e.mean, 1e-8, "adjusted mean", w);
        close(m.se, e.se, 1e-8, "adjusted mean se", w);
        close(m.ci?.[0], e.ci[0], 1e-8, "adjusted mean ci", `${w} lower`);
        close(m.ci?.[1], e.ci[1], 1e-8, "adjusted mean ci", `${w} upper`);
        close(m.raw_baseline_mean, e.raw_baseline_mean, 1e-12, "raw means", w);
        close(m.raw_post_mean, e.raw_post_mean, 1e-12, "raw means", w);
      });
      // the adjusted difference is the difference of the adjusted means
      const [a0, a1] = fit.adjusted_means;
      expect(a1.mean - a0.mean).toBeCloseTo(fit.difference.estimate, 10);
      expect(JSON.stringify(fit)).not.toMatch(/NaN/);
    });
  }

  it("rank deficiency names the term", () => {
    const same: AncovaRow[] = [
      { arm: "p", baseline: 30, post: 20 },
      { arm: "p", baseline: 30, post: 22 },
      { arm: "k", baseline: 30, post: 15 },
      { arm: "k", baseline: 30, post: 14 },
    ];
    expect(() => ancova(same, { reference: "p", treatment: "k" })).toThrow(/"baseline" is collinear/);
    const oneArm: AncovaRow[] = [
      { arm: "p", baseline: 30, post: 20 },
      { arm: "p", baseline: 31, post: 22 },
      { arm: "k", baseline: 29, post: null },
    ];
    expect(() => ancova(oneArm, { reference: "p", treatment: "k" })).toThrow(/arm "k" has no complete rows.*"armk"/);
    // baseline perfectly confounded with arm
    const confounded: AncovaRow[] = [
      { arm: "p", baseline: 1, post: 20 },
      { arm: "p", baseline: 1, post: 22 },
      { arm: "k", baseline: 2, post: 15 },
      { arm: "k", baseline: 2, post: 14 },
    ];
    expect(() => ancova(confounded, { reference: "p", treatment: "k" })).toThrow(/"baseline" is collinear/);
  });

  it("rejects unknown arms and identical arm names", () => {
    expect(() => ancova([{ arm: "x", baseline: 1, post: 2 }], { reference: "p", treatment: "k" })).toThrow(/arm "x"/);
    expect(() => ancova([], { reference: "p", treatment: "p" })).toThrow();
  });
});
