/**
 * The E-step of the hierarchical fit (see index.ts): the MAP of one participant-session under a Gaussian
 * prior, by Newton's method with backtracking, its inverse Hessian and Laplace log evidence.
 *
 * Per-subject working state lives in typed arrays and module scratch: the E-step runs hundreds of
 * thousands of times at 10,000 participants, so it allocates nothing.
 */
import type { ModelSpec, SufficientStats } from "../types.js";
import type { GaussianPrior } from "./types.js";
import { choleskyInto, choleskySolveInto } from "../../stats/linalg.js";

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Per-subject working state of the E-step, in typed arrays (d = p + 1 <= 5): the E-step runs
 * hundreds of thousands of times at 10,000 participants, so it allocates nothing (module scratch
 * below) -- the arithmetic is the textbook one written out, in the same order as linalg.ts.
 */
export interface Subject {
  stats: SufficientStats;
  p: number;
  /** X'X (p x p row-major), X'y, y'y, n. */
  a: Float64Array;
  b: Float64Array;
  yty: number;
  n: number;
  /** Current MAP (coefficients..., log sigma); may be a view into the cell's block of subjects. */
  phi: Float64Array;
  /** Inverse Hessian of f at the MAP (the Laplace posterior covariance), d x d row-major. */
  hinv: Float64Array;
  hinvDiag: Float64Array;
  logDetH: number;
  loglik: number;
  logEvidence: number;
}

const MAXD = 8;
const G = new Float64Array(MAXD);
const H = new Float64Array(MAXD * MAXD);
const LF = new Float64Array(MAXD * MAXD);
const R = new Float64Array(MAXD);
const Z = new Float64Array(MAXD);
const STEP = new Float64Array(MAXD);
const CAND = new Float64Array(MAXD);
const NEXT = new Float64Array(MAXD);
const RHS = new Float64Array(MAXD);
const UNIT = new Float64Array(MAXD);
let gradRss = 0;

/** Residual sum of squares y'y - 2 theta'X'y + theta'X'X theta at theta = phi[0..p). */
export function rssOf(a: Float64Array, b: Float64Array, yty: number, theta: Float64Array, p: number): number {
  let r = yty;
  for (let i = 0; i < p; i++) {
    let ai = 0;
    for (let j = 0; j < p; j++) ai += a[i * p + j] * theta[j];
    r += theta[i] * (ai - 2 * b[i]);
  }
  return r > 0 ? r : 0;
}

/** Negative log joint f(phi) up to a constant (see the header). */
function objective(s: Subject, phi: Float64Array, prior: GaussianPrior): number {
  const p = s.p;
  const w = phi[p];
  let f = s.n * w + 0.5 * rssOf(s.a, s.b, s.yty, phi, p) * Math.exp(-2 * w);
  for (let j = 0; j <= p; j++) {
    const d = phi[j] - prior.mean[j];
    f += (0.5 * d * d) / prior.variance[j];
  }
  return f;
}

/** Gradient into G, Hessian into H (d x d), residual sum of squares into gradRss. */
function gradHess(s: Subject, phi: Float64Array, prior: GaussianPrior): void {
  const p = s.p;
  const d = p + 1;
  const w = phi[p];
  const e = Math.exp(-2 * w);
  const a = s.a;
  for (let i = 0; i < p; i++) {
    let ai = 0;
    for (let j = 0; j < p; j++) ai += a[i * p + j] * phi[j];
    R[i] = ai - s.b[i];
  }
  const rss = rssOf(a, s.b, s.yty, phi, p);
  for (let i = 0; i < d * d; i++) H[i] = 0;
  for (let i = 0; i < p; i++) {
    G[i] = R[i] * e + (phi[i] - prior.mean[i]) / prior.variance[i];
    for (let j = 0; j < p; j++) H[i * d + j] = a[i * p + j] * e;
    H[i * d + i] += 1 / prior.variance[i];
    H[i * d + p] = H[p * d + i] = -2 * R[i] * e;
  }
  G[p] = s.n - rss * e + (w - prior.mean[p]) / prior.variance[p];
  H[p * d + p] = 2 * rss * e + 1 / prior.variance[p];
  gradRss = rss;
}

/** One block-coordinate sweep into NEXT: theta exactly given omega, then omega by safeguarded 1-D Newton given theta. */
function coordinateStep(s: Subject, phi: Float64Array, prior: GaussianPrior): void {
  const p = s.p;
  for (let i = 0; i <= p; i++) NEXT[i] = phi[i];
  const e = Math.exp(-2 * NEXT[p]);
  const m = H; // scratch (the Hessian is recomputed before its next use)
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) m[i * p + j] = s.a[i * p + j] * e + (i === j ? 1 / prior.variance[i] : 0);
    RHS[i] = s.b[i] * e + prior.mean[i] / prior.variance[i];
  }
  if (choleskyInto(m, p, LF)) choleskySolveInto(LF, p, RHS, NEXT, Z);
  // h(w) = n w + R e^{-2w}/2 + (w - mu)^2/(2v) is strictly convex: h'' = 2 R e^{-2w} + 1/v > 0.
  const rss = rssOf(s.a, s.b, s.yty, NEXT, p);
  let w = NEXT[p];
  for (let it = 0; it < 100; it++) {
    const ew = Math.exp(-2 * w);
    const d1 = s.n - rss * ew + (w - prior.mean[p]) / prior.variance[p];
    const d2 = 2 * rss * ew + 1 / prior.variance[p];
    let step = -d1 / d2;
    if (step > 2) step = 2;
    if (step < -2) step = -2;
    w += step;
    if (Math.abs(step) < 1e-13) break;
  }
  NEXT[p] = w;
}

/** Newton's method for the MAP of one subject; updates s.phi, the Hessian summaries and the evidence. */
export function eStepSubject(s: Subject, prior: GaussianPrior): void {
  const phi = s.phi;
  const p = s.p;
  const d = p + 1;
  let f = objective(s, phi, prior);
  for (let iter = 0; iter < 200; iter++) {
    gradHess(s, phi, prior);
    let gmax = 0;
    for (let j = 0; j < d; j++) gmax = Math.max(gmax, Math.abs(G[j]));
    if (gmax < 1e-9) break;
    let fn = NaN;
    let accepted = false;
    if (choleskyInto(H, d, LF)) {
      choleskySolveInto(LF, d, G, STEP, Z);
      for (let j = 0; j < d; j++) STEP[j] = -STEP[j];
      let slope = 0;
      for (let j = 0; j < d; j++) slope += G[j] * STEP[j];
      for (let t = 1; t > 1e-12; t /= 2) {
        for (let j = 0; j < d; j++) CAND[j] = phi[j] + t * STEP[j];
        const fc = objective(s, CAND, prior);
        if (fc <= f + 1e-4 * t * slope) {
          for (let j = 0; j < d; j++) NEXT[j] = CAND[j];
          fn = fc;
          accepted = true;
          break;
        }
      }
    }
    if (!accepted) {
      coordinateStep(s, phi, prior);
      fn = objective(s, NEXT, prior);
      if (!(fn <= f)) break;
    }
    for (let j = 0; j < d; j++) phi[j] = NEXT[j];
    const df = f - fn;
    f = fn;
    if (df >= 0 && df < 1e-14 * Math.max(1, Math.abs(f)) && gmax < 1e-6) break;
  }
  gradHess(s, phi, prior);
  const rss = gradRss;
  // H is positive definite at a minimum; the fallback (diagonal) only guards against a degenerate subject.
  const hinv = s.hinv;
  if (choleskyInto(H, d, LF)) {
    // The inverse column by column: column j = solve(e_j), stored as row j (A^-1 is symmetric).
    for (let j = 0; j < d; j++) {
      UNIT.fill(0);
      UNIT[j] = 1;
      choleskySolveInto(LF, d, UNIT, CAND, Z);
      for (let i = 0; i < d; i++) hinv[j * d + i] = CAND[i];
    }
    let logDet = 0;
    for (let j = 0; j < d; j++) logDet += Math.log(LF[j * d + j]);
    s.logDetH = 2 * logDet;
  } else {
    let logDet = 0;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) hinv[i * d + j] = i === j ? 1 / Math.max(H[i * d + j], 1e-300) : 0;
    for (let j = 0; j < d; j++) logDet = logDet + Math.log(Math.max(H[j * d + j], 1e-300));
    s.logDetH = logDet;
  }
  for (let j = 0; j < d; j++) s.hinvDiag[j] = hinv[j * d + j];
  const w = phi[p];
  s.loglik = -0.5 * s.n * LOG_2PI - s.n * w - 0.5 * rss * Math.exp(-2 * w);
  let logPrior = 0;
  for (let j = 0; j < d; j++) {
    const dv = phi[j] - prior.mean[j];
    logPrior += -0.5 * Math.log(prior.variance[j]) - (0.5 * dv * dv) / prior.variance[j];
  }
  // log N(phi; mu, v) + (d/2) log 2 pi = -1/2 sum log v - quad/2; the two (d/2) log 2 pi cancel.
  s.logEvidence = s.loglik + logPrior - 0.5 * s.logDetH;
}

export function makeSubject(spec: ModelSpec, stats: SufficientStats, init: ArrayLike<number>, phi?: Float64Array): Subject {
  const p = spec.coefNames.length;
  const d = p + 1;
  if (d > MAXD) throw new Error(`hierarchical: at most ${MAXD - 1} coefficients per model`);
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const { yty, n } = spec.designInto(stats, a, b);
  const out = phi ?? new Float64Array(d);
  for (let j = 0; j < d; j++) out[j] = init[j];
  return {
    stats,
    p,
    a,
    b,
    yty,
    n,
    phi: out,
    hinv: new Float64Array(d * d),
    hinvDiag: new Float64Array(d),
    logDetH: 0,
    loglik: 0,
    logEvidence: 0,
  };
}

