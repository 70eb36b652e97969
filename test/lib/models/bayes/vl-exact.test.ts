/**
 * Checks of the variational Laplace engine that do not need VBA: closed forms (a model linear in its parameters
 * with known noise precision, where variational Laplace is exact), a lower bound, and properties.
 */
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { Matrix, determinant, inverse } from "ml-matrix";
import {
  getBayesModel,
  invertSession,
  invertStats,
  presetPrior,
  resolveVLOptions,
  sessionStats,
  type BayesModel,
  type BayesPrior,
  type SessionInput,
} from "../../../../src/lib/models/bayes/index.js";

/** LR = a + N b: linear in (a, b), so y | phi is Gaussian and, with tau known, the posterior is Gaussian. */
const linear: BayesModel = {
  ...getBayesModel("signed-asymmetry"),
  paramNames: ["a", "b"],
  terms: [
    { transform: "identity", covariate: "one" },
    { transform: "identity", covariate: "valence" },
  ],
  report: (phi) => ({ alpha_good: phi[0] + phi[1], alpha_bad: phi[0] - phi[1], asymmetry: 2 * phi[1] }),
};

/** A deterministic session: integer E1, BR in 5..95 from a small LCG, E2 from the given rates and noise. */
function session(T: number, seed: number, ag = 0.55, ab = 0.3, sd = 6): SessionInput {
  let s = seed >>> 0;
  const u = () => ((s = (1664525 * s + 1013904223) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
  const e1: number[] = [];
  const br: number[] = [];
  const e2: number[] = [];
  const n: number[] = [];
  for (let t = 0; t < T; t++) {
    const a = 5 + Math.floor(91 * u());
    let b = 5 + Math.floor(91 * u());
    if (b === a) b = a === 95 ? 94 : a + 1;
    const N = b < a ? 1 : -1;
    e1.push(a);
    br.push(b);
    n.push(N);
    e2.push(a + (N === 1 ? ag : ab) * (b - a) + sd * gauss());
  }
  return { e1, br, e2, n };
}

function design(s: SessionInput): { W: Matrix; d: Matrix } {
  const rows: number[][] = [];
  const d: number[][] = [];
  for (let t = 0; t < s.e1.length; t++) {
    const x = s.br[t] - s.e1[t];
    rows.push([x, s.n[t] * x]);
    d.push([s.e2[t] - s.e1[t]]);
  }
  return { W: new Matrix(rows), d: new Matrix(d) };
}

/** log N(d; W mu0, tau^-1 I + W Q W') computed directly (T x T). */
function logEvidence(s: SessionInput, prior: BayesPrior, tau: number): number {
  const { W, d } = design(s);
  const T = d.rows;
  const Q = new Matrix(prior.covariance);
  const C = W.mmul(Q).mmul(W.transpose()).add(Matrix.eye(T).mul(1 / tau));
  const r = d.sub(W.mmul(Matrix.columnVector(prior.mean)));
  const quad = r.transpose().mmul(inverse(C)).mmul(r).get(0, 0);
  return -0.5 * (T * Math.log(2 * Math.PI) + Math.log(determinant(C)) + quad);
}

/** The same by the determinant lemma and Woodbury (p x p only), for the integral over tau. */
function logEvidenceFast(s: SessionInput, prior: BayesPrior, tau: number): number {
  const { W, d } = design(s);
  const T = d.rows;
  const r = d.sub(W.mmul(Matrix.columnVector(prior.mean)));
  const WtW = W.transpose().mmul(W);
  const Wtr = W.transpose().mmul(r);
  const Q = new Matrix(prior.covariance);
  const logdet = -T * Math.log(tau) + Math.log(determinant(Matrix.eye(2).add(Q.mmul(WtW).mul(tau))));
  const inner = inverse(inverse(Q).add(WtW.clone().mul(tau)));
  const quad = tau * r.transpose().mmul(r).get(0, 0) - tau * tau * Wtr.transpose().mmul(inner).mmul(Wtr).get(0, 0);
  return -0.5 * (T * Math.log(2 * Math.PI) + logdet + quad);
}

const opts = resolveVLOptions(undefined);

describe("conjugate check: linear learning rate, known noise precision", () => {
  const tau = 1 / 36;
  // Gamma(1e8, 1e8 / tau): the precision is tau to 1e-7, i.e. known (much larger shapes lose digits in the
  // Gamma KL: gammaln(1e12) is 2.6e13).
  const prior: BayesPrior = { mean: [0.3, 0], covariance: [[0.5, 0.1], [0.1, 0.2]], precision_shape: 1e8, precision_rate: 1e8 / tau };
  test.each([3, 11, 40])("posterior mean, covariance and F are the exact Gaussian ones (seed %i)", (seed) => {
    const s = session(40, seed);
    const fit = invertStats(linear, sessionStats(linear, s), prior, opts);
    const { W, d } = design(s);
    const iQ = inverse(new Matrix(prior.covariance));
    // (ml-matrix add/mul work in place: iQ is cloned.)
    const Sigma = inverse(iQ.clone().add(W.transpose().mmul(W).mul(tau)));
    const mu = Sigma.mmul(iQ.mmul(Matrix.columnVector(prior.mean)).add(W.transpose().mmul(d).mul(tau)));
    mu.to1DArray().forEach((v, i) => expect(Math.abs(fit.mean[i] - v) / Math.abs(v)).toBeLessThan(1e-6));
    Sigma.to1DArray().forEach((v, i) => expect(Math.abs(fit.covariance.flat()[i] - v) / Math.abs(v)).toBeLessThan(1e-6));
    // With tau known the free energy is the log evidence itself.
    expect(Math.abs(fit.F - logEvidence(s, prior, tau))).toBeLessThan(1e-6);
  });

  test("unknown precision: F is a lower bound on the log evidence, and a close one", () => {
    const s = session(40, 5);
    const pr: BayesPrior = { ...prior, precision_shape: 2, precision_rate: 50 };
    const fit = invertStats(linear, sessionStats(linear, s), pr, { ...opts, tolFun: 1e-10, maxIter: 200 });
    // log p(y) = log int N(d; W mu0, 1/tau I + W Q W') Gamma(tau; 2, 50) dtau, on a log-tau grid (Simpson).
    const lo = Math.log(1e-5);
    const hi = Math.log(10);
    expect(Math.abs(logEvidenceFast(s, pr, 0.03) - logEvidence(s, pr, 0.03))).toBeLessThan(1e-9);
    const m = 2000;
    const h = (hi - lo) / m;
    const terms: number[] = [];
    for (let i = 0; i <= m; i++) {
      const lt = lo + i * h;
      const t = Math.exp(lt);
      const logGamma = 2 * Math.log(50) + (2 - 1) * lt - 50 * t; // Gamma(2, 50): 50^2 t e^{-50 t} / Gamma(2)
      terms.push(logEvidenceFast(s, pr, t) + logGamma + lt + Math.log(i === 0 || i === m ? 1 : i % 2 ? 4 : 2));
    }
    const max = Math.max(...terms);
    const logp = max + Math.log(terms.reduce((acc, v) => acc + Math.exp(v - max), 0) * (h / 3));
    expect(fit.F).toBeLessThanOrEqual(logp + 1e-9);
    expect(logp - fit.F).toBeLessThan(0.05); // 0.023 nats measured
    if (process.env.BAYES_REPORT) console.log("linear model, Gamma(2, 50) precision: log p(y) - F =", logp - fit.F);
  });
});

describe("properties", () => {
  const arbSession = fc
    .record({ T: fc.integer({ min: 2, max: 40 }), seed: fc.integer({ min: 1, max: 1e6 }), ag: fc.double({ min: 0, max: 1, noNaN: true }), ab: fc.double({ min: -0.2, max: 1, noNaN: true }), sd: fc.double({ min: 1, max: 15, noNaN: true }) })
    .map(({ T, seed, ag, ab, sd }) => session(T, seed, ag, ab, sd));
  const models = ["exp-asymmetry", "signed-asymmetry", "single", "ee-scaled"] as const;

  test("no usable trial: the posterior is the prior and F = log p(nothing) = 0", () => {
    for (const m of models) {
      const fit = invertSession({ e1: [10, NaN, 30], br: [10, 20, 40], e2: [12, 15, 35], n: [1, 1, 0] }, m, "kit");
      const pr = presetPrior(m, "kit");
      expect(fit.n).toBe(0);
      expect(fit.n_dropped).toBe(3);
      expect(fit.mean).toEqual(pr.mean);
      expect(fit.covariance).toEqual(pr.covariance);
      expect(Math.abs(fit.F)).toBeLessThan(1e-12);
      expect(fit.warnings[0]).toMatch(/no usable trials/);
    }
  });

  test("trial order, and a common shift of E1, BR and E2, do not change the posterior", () => {
    fc.assert(
      fc.property(arbSession, fc.constantFrom(...models), (s, m) => {
        const a = invertSession(s, m, "kit");
        const order = Array.from(s.e1, (_, i) => i).reverse();
        const pick = (v: ArrayLike<number>, shift = 0) => order.map((i) => v[i] + shift);
        const b = invertSession({ e1: pick(s.e1, 7), br: pick(s.br, 7), e2: pick(s.e2, 7), n: pick(s.n) }, m, "kit");
        a.mean.forEach((v, i) => expect(Math.abs(b.mean[i] - v)).toBeLessThan(1e-7 * (1 + Math.abs(v))));
        expect(Math.abs(b.F - a.F)).toBeLessThan(1e-7 * (1 + Math.abs(a.F)));
      }),
      { numRuns: 60 },
    );
  });

  test("precision shape is a0 + n/2; posterior variances below prior ones; covariance symmetric positive definite", () => {
    fc.assert(
      fc.property(arbSession, fc.constantFrom(...models), fc.constantFrom("kit", "greaves"), (s, m, preset) => {
        const fit = invertSession(s, m, preset);
        const pr = presetPrior(m, preset);
        expect(fit.precision_shape).toBe(pr.precision_shape + fit.n / 2);
        const C = fit.covariance;
        C.forEach((row, i) => {
          expect(row[i]).toBeGreaterThan(0);
          expect(row[i]).toBeLessThanOrEqual(pr.covariance[i][i] * (1 + 1e-12));
          row.forEach((v, j) => expect(v).toBe(C[j][i]));
        });
        if (C.length === 2) expect(C[0][0] * C[1][1] - C[0][1] ** 2).toBeGreaterThan(0);
        expect(Number.isFinite(fit.F)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  test("signed-asymmetry: swapping good and bad news flips the sign of b and keeps a (prior symmetric in b)", () => {
    fc.assert(
      fc.property(arbSession, (s) => {
        const a = invertSession(s, "signed-asymmetry", "kit");
        const b = invertSession({ ...s, n: Array.from(s.n, (v) => -v) }, "signed-asymmetry", "kit");
        expect(Math.abs(b.mean[0] - a.mean[0])).toBeLessThan(1e-9);
        expect(Math.abs(b.mean[1] + a.mean[1])).toBeLessThan(1e-9);
        expect(Math.abs(b.F - a.F)).toBeLessThan(1e-8);
      }),
      { numRuns: 40 },
    );
  });

  test("trials dropped: non-finite values, N not +-1, E1 = BR", () => {
    const fit = invertSession({ e1: [50, 50, 40, 30, 20, 60], br: [50, 40, NaN, 20, 30, 70], e2: [45, 44, 40, 25, 24, 65], n: [1, 1, 1, 0, -1, -1] }, "single", "kit");
    expect([fit.n, fit.n_good, fit.n_bad, fit.n_dropped]).toEqual([3, 1, 2, 3]);
  });

  test("errors name the problem", () => {
    expect(() => invertSession({ e1: [1, 2], br: [3], e2: [1, 2], n: [1, 1] }, "single")).toThrow("session arrays differ in length: e1 2, br 1, e2 2, n 2");
    expect(() => invertSession(session(5, 1), "valence")).toThrow('unknown Bayesian model "valence": expected one of exp-asymmetry, signed-asymmetry, single, ee-scaled');
    expect(() => invertSession(session(5, 1), "single", "flat")).toThrow('unknown prior preset "flat": expected one of kit, greaves');
    expect(() => invertSession(session(5, 1), "single", "kit", { maxIter: 0 })).toThrow("VL option maxIter must be an integer >= 1, got 0");
    expect(() => invertSession(session(5, 1), "single", "kit", { minIter: 5, maxIter: 3 })).toThrow("VL option minIter (5) must not exceed maxIter (3)");
  });
});
