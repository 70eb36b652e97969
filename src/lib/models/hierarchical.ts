/**
 * Hierarchical (empirical-Bayes) fitting of the learning-rate models, after the EM procedure of
 * Huys et al. (2011), "Disentangling the roles of approach, activation and valence in instrumental
 * and Pavlovian responding", PLoS Comput Biol 7:e1002028 (Methods, "Model fitting procedure"; the
 * `emfit` code), which is the EM of MacKay (2003) / Dempster et al. (1977) with a Laplace
 * approximation.
 *
 * Per participant-session i the transformed parameter vector is
 *   phi_i = (theta_i, omega_i),  theta = the model's regression coefficients on their natural,
 *   unbounded scale (alpha_good, alpha_bad, s, k, beta, ... -- no logit: the learning rates of this
 *   task are not confined to [0, 1], see models/scaling-asymmetry.ts), omega = log sigma.
 * Group prior, separately for every (group, session) cell:  phi_i ~ N(mu, diag(v)).
 *
 * E-step (per participant-session, with the current prior): MAP of
 *   f(phi) = -log p(y | phi) - log N(phi; mu, v)
 *          = n omega + R(theta) e^{-2 omega} / 2 + sum_j (phi_j - mu_j)^2 / (2 v_j) + const,
 *   R(theta) = y'y - 2 theta'X'y + theta'X'X theta   (residual sum of squares; sufficient statistics
 *   only, see models/stats.ts -- no trial loop), by Newton's method with backtracking:
 *     grad_theta = (X'X theta - X'y) e^{-2w} + (theta - mu_theta)/v_theta
 *     grad_w     = n - R e^{-2w} + (w - mu_w)/v_w
 *     H_tt = X'X e^{-2w} + diag(1/v_theta),  H_tw = -2 (X'X theta - X'y) e^{-2w},  H_ww = 2 R e^{-2w} + 1/v_w
 *   (block-coordinate steps -- closed-form theta given w, 1-D Newton in w, which is convex -- when H is
 *   not positive definite). Warm-started from the previous iteration, so a few steps per subject.
 * M-step (Huys et al. 2011):  mu = mean_i phi_i,   v = mean_i (phi_i^2 + diag(H_i^{-1})) - mu^2,
 *   with v floored at `minVariance` (default 1e-4, i.e. a prior SD of at least 0.01 in learning-rate
 *   units or 1% of sigma: below that a parameter is in effect a fixed group effect, and plain EM would
 *   creep toward v = 0 sublinearly). The EM iteration is accelerated (Newton steps on its fixed point,
 *   see emCell) without changing its fixed point.
 * Laplace approximation of the evidence of participant-session i (MacKay 2003, ch. 27):
 *   log p(y_i | mu, v) ~= log p(y_i | phi_i) + log N(phi_i; mu, v) + (d/2) log(2 pi) - (1/2) log det H_i
 *   (exact in theta given omega, since the model is Gaussian and linear in theta).
 * Integrated BIC (Huys et al. 2011): iBIC = -2 sum_i log p(y_i | mu, v) + k_group ln(N_trials),
 *   k_group = 2 d per (group, session) cell (a mean and a variance per parameter), the evidence by the
 *   Laplace approximation above (not by sampling).
 * Participant-sessions the model fits exactly (flat sigma = 0, e.g. a participant who never changes an
 * estimate) have a likelihood unbounded as sigma -> 0; they are left out of the M-step (they would
 * inflate the log-sigma prior without limit), get their MAP under the fitted prior, and still count in
 * the log evidence and iBIC, so that every model is scored on the same data.
 * Reported per fit: the MAP coefficients (null for a coefficient whose design column has no data, which
 * would be pure prior), sigma = exp(MAP log sigma), loglik at the MAP, AIC/BIC computed from that loglik
 * for reference only (compare hierarchical fits by iBIC), and log_evidence.
 * Cost: no trial loops, and an E-step that allocates nothing (typed arrays and module scratch), about
 * 2 us per participant-session; it runs once or twice per EM iteration. So a fit costs
 * (participant-sessions) x (EM iterations) x 2-4 us: on the bundled study (138 participant-sessions,
 * 5 cells) 3-9 ms per model, at 10,000 participants (24,643 participant-sessions) 0.4-0.9 s, and
 * 2-3 s for ee-weighted, whose EM needs more iterations with many participants (11-18 per cell on
 * the bundled study, up to 41-60 in one cell with 1,000-10,000 participants: its prior variance of
 * beta collapses to the floor). Before, every Newton step and line-search candidate of the E-step
 * allocated arrays: 15-40 us per participant-session and E-step, hence 2.4-12 s per model at 10,000
 * participants; the EM itself (iterations, acceleration, tolerance) is unchanged.
 */
import type { ScoredTrial } from "../study/types.js";
import type { ModelFit, ModelName, ModelSpec, SufficientStats } from "./types.js";
import { getModel } from "./registry.js";
import { computeStats } from "./sufficient-stats.js";
import { assembleFit, fitFromStats } from "./fit.js";
import { choleskyDrop, choleskySolve } from "../stats/linalg.js";
import { groupResolver, type GroupOf } from "./groups.js";

const LOG_2PI = Math.log(2 * Math.PI);

export interface HierarchicalOptions {
  /** participant -> group; without it everybody is in one group ("all"). Cells are group x session. */
  groupOf?: GroupOf;
  /** Maximum EM iterations per cell (default 1000). */
  maxIter?: number;
  /**
   * Convergence: largest change one EM step would make to the prior -- means on their own scale,
   * variances on the log scale (default 1e-6).
   */
  tol?: number;
  /** Floor of the prior variances on the transformed scale (default 1e-4: prior SD >= 0.01). */
  minVariance?: number;
}

/** A Gaussian prior on the transformed parameters (coefficients..., log_sigma). */
export interface GaussianPrior {
  mean: number[];
  variance: number[];
}

/** The fitted group prior of one (group, session) cell. */
export interface GroupPrior {
  model: ModelName;
  group: string;
  session: string;
  /** Number of participant-sessions in the cell. */
  n_fits: number;
  /** Of which used to estimate the prior (those the model does not fit exactly). */
  n_prior: number;
  n_trials: number;
  /** Transformed parameter names: the model's coefficients, then "log_sigma". */
  params: string[];
  mean: Record<string, number>;
  variance: Record<string, number>;
  /** Sum over the cell of the Laplace log evidence log p(y_i | mu, v); null if not finite. */
  log_evidence: number | null;
  /** -2 log_evidence + k_group ln(n_trials); null if not finite. */
  ibic: number | null;
  k_group: number;
  iterations: number;
  converged: boolean;
}

export interface HierarchicalResult {
  model: ModelName;
  /** MAP fits (method "map"), one per participant-session with trials, in input order. */
  fits: ModelFit[];
  priors: GroupPrior[];
  /** Sum of the log evidence over all cells (null when there was nothing to fit). */
  log_evidence: number | null;
  /** -2 log_evidence + (2 d x number of cells) ln(total trials); null when there was nothing to fit. */
  ibic: number | null;
  k_group: number;
  n_trials: number;
  warnings: string[];
}

/**
 * Per-subject working state of the E-step, in typed arrays (d = p + 1 <= 5): the E-step runs
 * hundreds of thousands of times at 10,000 participants, so it allocates nothing (module scratch
 * below) -- the arithmetic is the textbook one written out, in the same order as linalg.ts.
 */
interface Subject {
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
function rssOf(a: Float64Array, b: Float64Array, yty: number, theta: Float64Array, p: number): number {
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

/** Cholesky factor of m (k x k) into LF (linalg.ts cholesky); false when not positive definite. */
function choleskyInto(m: Float64Array, k: number): boolean {
  for (let i = 0; i < k * k; i++) LF[i] = 0;
  for (let j = 0; j < k; j++) {
    let d = m[j * k + j];
    for (let t = 0; t < j; t++) d -= LF[j * k + t] * LF[j * k + t];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    LF[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let sum = m[i * k + j];
      for (let t = 0; t < j; t++) sum -= LF[i * k + t] * LF[j * k + t];
      LF[i * k + j] = sum / ljj;
    }
  }
  return true;
}

/** Solve LF LF' x = rhs (k x k) into x (linalg.ts choleskySolve). */
function solveInto(rhs: Float64Array, k: number, x: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let sum = rhs[i];
    for (let t = 0; t < i; t++) sum -= LF[i * k + t] * Z[t];
    Z[i] = sum / LF[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let sum = Z[i];
    for (let t = i + 1; t < k; t++) sum -= LF[t * k + i] * x[t];
    x[i] = sum / LF[i * k + i];
  }
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
  if (choleskyInto(m, p)) solveInto(RHS, p, NEXT);
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
function eStepSubject(s: Subject, prior: GaussianPrior): void {
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
    if (choleskyInto(H, d)) {
      solveInto(G, d, STEP);
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
  if (choleskyInto(H, d)) {
    // linalg.ts choleskyInverse: column j = solve(e_j), stored as row j (A^-1 is symmetric).
    for (let j = 0; j < d; j++) {
      UNIT.fill(0);
      UNIT[j] = 1;
      solveInto(UNIT, d, CAND);
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

function makeSubject(spec: ModelSpec, stats: SufficientStats, init: ArrayLike<number>, phi?: Float64Array): Subject {
  const des = spec.design(stats);
  const p = spec.coefNames.length;
  const d = p + 1;
  if (d > MAXD) throw new Error(`hierarchical: at most ${MAXD - 1} coefficients per model`);
  const a = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) a[i * p + j] = des.xtx[i][j];
  const out = phi ?? new Float64Array(d);
  for (let j = 0; j < d; j++) out[j] = init[j];
  return {
    stats,
    p,
    a,
    b: Float64Array.from(des.xty),
    yty: des.yty,
    n: des.n,
    phi: out,
    hinv: new Float64Array(d * d),
    hinvDiag: new Float64Array(d),
    logDetH: 0,
    loglik: 0,
    logEvidence: 0,
  };
}

/** Starting prior of a cell: mean at the pooled least-squares fit of the cell, unit variances. */
function initialPrior(subjects: Subject[], p: number): GaussianPrior {
  const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  let yty = 0;
  let n = 0;
  for (const s of subjects) {
    for (let i = 0; i < p; i++) {
      b[i] += s.b[i];
      for (let j = 0; j < p; j++) a[i][j] += s.a[i * p + j];
    }
    yty += s.yty;
    n += s.n;
  }
  const { l, kept } = choleskyDrop(a);
  const theta = choleskySolve(l, b, kept);
  const rss = rssOf(Float64Array.from(a.flat()), Float64Array.from(b), yty, Float64Array.from(theta), p);
  const w = rss > 0 && n > 0 ? 0.5 * Math.log(rss / n) : 0;
  return { mean: [...theta, w], variance: new Array<number>(p + 1).fill(1) };
}

/**
 * MAP fit of one participant-session under a FIXED Gaussian prior on (coefficients..., log sigma).
 * Exposed for testing and for callers who bring their own prior.
 */
export function mapFitFromStats(
  model: ModelName | ModelSpec,
  stats: SufficientStats,
  prior: GaussianPrior,
): { fit: ModelFit; phi: number[]; hessianInverseDiag: number[]; logEvidence: number } {
  const spec = typeof model === "string" ? getModel(model) : model;
  const s = makeSubject(spec, stats, prior.mean);
  if (s.n === 0) throw new Error(`mapFitFromStats: ${stats.participant_id}/${stats.session} has no trials`);
  eStepSubject(s, prior);
  return { fit: subjectFit(spec, s, undefined), phi: Array.from(s.phi), hessianInverseDiag: Array.from(s.hinvDiag), logEvidence: s.logEvidence };
}

function subjectFit(spec: ModelSpec, s: Subject, group: string | undefined): ModelFit {
  const p = spec.coefNames.length;
  // A coefficient whose design column carries no data (e.g. a valence without trials) is pure prior: report null.
  const theta = Array.from(s.phi.subarray(0, p), (v, j) => (s.a[j * p + j] > 0 ? v : null));
  const warnings: string[] = [];
  const k = theta.filter((v) => v !== null).length + 1;
  const fit = assembleFit(spec, s.stats, theta, { sigma: Math.exp(s.phi[p]), loglik: s.loglik, k, method: "map", warnings });
  fit.log_evidence = Number.isFinite(s.logEvidence) ? s.logEvidence : null;
  if (group !== undefined) fit.group = group;
  return fit;
}

interface CellResult {
  prior: GaussianPrior;
  logEvidence: number;
  iterations: number;
  converged: boolean;
}

/** M-step (Huys et al. 2011): mu = mean(phi), v = mean(phi^2 + diag(H^-1)) - mu^2, computed as mean((phi - mu)^2 + diag(H^-1)). */
function mStep(subjects: Subject[], d: number, minVariance: number): GaussianPrior {
  const m = subjects.length;
  const mean = new Array<number>(d).fill(0);
  for (const s of subjects) for (let j = 0; j < d; j++) mean[j] += s.phi[j] / m;
  const variance = new Array<number>(d).fill(0);
  for (const s of subjects) {
    for (let j = 0; j < d; j++) {
      const dv = s.phi[j] - mean[j];
      variance[j] += (dv * dv + s.hinvDiag[j]) / m;
    }
  }
  for (let j = 0; j < d; j++) variance[j] = Math.max(variance[j], minVariance);
  return { mean, variance };
}

/**
 * EM for one (group, session) cell: iterate the EM map F (E-step at the current prior, then the
 * M-step above) to its fixed point F(x) = x, x = (mu, log v).
 *
 * Plain EM converges slowly when the prior is tight (the MAPs then hardly depend on their data, so mu
 * moves little per iteration) and sublinearly when a prior variance heads to 0 (no real
 * between-participant spread, typically of beta: v shrinks like 1/iteration). So at every iteration we
 * propose a Newton-type step on the fixed-point equation G(x) = F(x) - x = 0 and keep it only when it
 * reduces the residual |G| -- first the full proposal, then the one with plain-EM variances; otherwise
 * the plain EM step x <- F(x) is taken. The solution is therefore exactly the EM fixed point.
 *  - mean: exact Newton given v. F_mu(mu) = mean_i phi_i(mu) has Jacobian J = mean_i H_i^{-1} V^{-1}
 *    (implicit-function theorem on grad f = 0), so mu_new = mu + (I - J)^{-1} (F_mu(mu) - mu); when
 *    V -> 0 this is the pooled (fixed-effect) estimate, reached in one step;
 *  - log variances: per-component secant Newton on G_j, with G_j' estimated from the last two iterates
 *    (used only where G_j' < 0; stretch capped at 1e6); in the 1/iteration collapse of plain EM this
 *    divides v by about e per iteration, down to `minVariance`.
 * Convergence: every component of G below `tol` (the mean on its own scale, variances on the log scale).
 */
function emCell(subjects: Subject[], p: number, opts: Required<Omit<HierarchicalOptions, "groupOf">>): CellResult {
  const d = p + 1;
  const m = subjects.length;
  const logFloor = Math.log(opts.minVariance);
  const eStep = (pr: GaussianPrior): number => {
    let total = 0;
    for (const s of subjects) {
      eStepSubject(s, pr);
      total += s.logEvidence;
    }
    return total;
  };
  const pack = (pr: GaussianPrior): number[] => [...pr.mean, ...pr.variance.map((v) => Math.log(v))];
  const norm = (r: number[]): number => Math.sqrt(r.reduce((acc, v) => acc + v * v, 0));

  let prior = initialPrior(subjects, p);
  // Every subject's phi is a view into one block, so a proposal is saved and undone with one copy.
  const block = new Float64Array(m * d);
  subjects.forEach((s, i) => {
    const view = block.subarray(i * d, (i + 1) * d);
    view.set(s.phi);
    s.phi = view;
  });
  for (const s of subjects) s.phi.set(prior.mean);
  const saved = new Float64Array(m * d);
  let logEv = eStep(prior);
  let em = mStep(subjects, d, opts.minVariance);
  let x = pack(prior);
  let g = pack(em).map((v, j) => v - x[j]);
  let prevX: number[] | null = null;
  let prevG: number[] | null = null;
  let iterations = 0;
  let converged = false;
  /** E-step at a proposal; keep it (and return true) if it reduces the residual. */
  const tryProposal = (proposal: GaussianPrior): boolean => {
    saved.set(block);
    const lp = eStep(proposal);
    const emP = mStep(subjects, d, opts.minVariance);
    const xp = pack(proposal);
    const gp = pack(emP).map((v, j) => v - xp[j]);
    if (Number.isFinite(lp) && gp.every(Number.isFinite) && norm(gp) < norm(g)) {
      prevX = x;
      prevG = g;
      prior = proposal;
      logEv = lp;
      em = emP;
      x = xp;
      g = gp;
      return true;
    }
    block.set(saved);
    return false;
  };
  while (iterations < opts.maxIter) {
    if (Math.max(...g.map(Math.abs)) < opts.tol) {
      converged = true;
      break;
    }
    iterations++;
    const iMinusJ: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
    for (const s of subjects) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) iMinusJ[i][j] -= s.hinv[i * d + j] / prior.variance[j] / m;
    const delta = solveGeneral(iMinusJ, g.slice(0, d));
    let accepted = false;
    if (delta) {
      const mean = prior.mean.map((v, j) => v + delta[j]);
      let stretched = false;
      const logVar = x.slice(d).map((lv, j) => {
        let stretch = 1;
        if (prevX && prevG) {
          const dx = lv - prevX[d + j];
          const slope = dx !== 0 ? (g[d + j] - prevG[d + j]) / dx : 0;
          if (slope < 0 && slope > -1) {
            stretch = Math.min(-1 / slope, 1e6);
            stretched = true;
          }
        }
        return Math.max(logFloor, Math.min(lv + stretch * g[d + j], 50));
      });
      if (stretched) accepted = tryProposal({ mean, variance: logVar.map((lv) => Math.exp(lv)) });
      if (!accepted) accepted = tryProposal({ mean, variance: em.variance.slice() });
    }
    if (!accepted) {
      prevX = x;
      prevG = g;
      prior = em;
      logEv = eStep(prior);
      em = mStep(subjects, d, opts.minVariance);
      x = pack(prior);
      g = pack(em).map((v, j) => v - x[j]);
    }
  }
  return { prior, logEvidence: logEv, iterations, converged };
}

/** Solve a small general linear system by Gaussian elimination with partial pivoting (null if singular). */
function solveGeneral(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    if (!(Math.abs(m[piv][c]) > 1e-300)) return null;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x.every(Number.isFinite) ? x : null;
}

/** Hierarchical fit from sufficient statistics (the fast path). */
export function fitHierarchicalFromStats(
  stats: readonly SufficientStats[],
  model: ModelName | ModelSpec = "valence",
  options: HierarchicalOptions = {},
): HierarchicalResult {
  const spec = typeof model === "string" ? getModel(model) : model;
  const opts = { maxIter: options.maxIter ?? 1000, tol: options.tol ?? 1e-6, minVariance: options.minVariance ?? 1e-4 };
  const warnings: string[] = [];
  const groupOf = groupResolver(options.groupOf, warnings);
  const p = spec.coefNames.length;
  const d = p + 1;
  const names = [...spec.coefNames, "log_sigma"];

  const cells = new Map<string, { group: string; session: string; subjects: Subject[]; exact: Subject[] }>();
  const order: { cell: string; subject: Subject }[] = [];
  for (const st of stats) {
    if (st.good.n + st.bad.n === 0) {
      warnings.push(`${st.participant_id}/${st.session}: no scored trials, left out of the hierarchical fit`);
      continue;
    }
    const group = groupOf(st.participant_id);
    const key = `${group}\u0000${st.session}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { group, session: st.session, subjects: [], exact: [] }));
    const subject = makeSubject(spec, st, new Float64Array(d));
    // A participant-session the model fits exactly (flat sigma = 0: never updates, or no more trials than
    // coefficients) has a likelihood unbounded in sigma; in the EM it would drag the log-sigma prior variance
    // without limit. It is therefore left out of the M-step; its MAP is computed under the fitted prior and
    // its evidence still counts in the log evidence and iBIC (so every model is scored on the same data).
    if (fitFromStats(spec, st).sigma === null) {
      c.exact.push(subject);
      warnings.push(
        `${st.participant_id}/${st.session} ${spec.name}: the model fits these trials exactly (sigma = 0); not used to estimate the group prior, MAP under the fitted prior`,
      );
    } else c.subjects.push(subject);
    order.push({ cell: key, subject });
  }

  const priors: GroupPrior[] = [];
  let totalLogEv = 0;
  let totalTrials = 0;
  for (const c of cells.values()) {
    let res: CellResult;
    if (c.subjects.length > 0) res = emCell(c.subjects, p, opts);
    else {
      // Nothing to estimate a prior from: the pooled start (unit variances) is used as is.
      const prior = initialPrior(c.exact, p);
      res = { prior, logEvidence: 0, iterations: 0, converged: false };
      warnings.push(`${spec.name}: group ${c.group}, session ${c.session} has no participant-session with sigma > 0: the prior is not estimated (pooled fit, unit variances)`);
    }
    for (const s of c.exact) {
      s.phi.set(res.prior.mean);
      eStepSubject(s, res.prior);
      res.logEvidence += s.logEvidence;
    }
    const all = [...c.subjects, ...c.exact];
    const nTrials = all.reduce((acc, s) => acc + s.n, 0);
    const kGroup = 2 * d;
    if (c.subjects.length < 3) {
      warnings.push(`${spec.name}: group ${c.group}, session ${c.session} has ${c.subjects.length} participant-session(s) to estimate its prior from: the prior is poorly determined`);
    }
    if (!res.converged && c.subjects.length > 0) warnings.push(`${spec.name}: EM did not converge in ${opts.maxIter} iterations for group ${c.group}, session ${c.session}`);
    const finite = Number.isFinite(res.logEvidence);
    if (!finite) warnings.push(`${spec.name}: group ${c.group}, session ${c.session}: the log evidence is not finite; iBIC is null`);
    priors.push({
      model: spec.name,
      group: c.group,
      session: c.session,
      n_fits: all.length,
      n_prior: c.subjects.length,
      n_trials: nTrials,
      params: names,
      mean: Object.fromEntries(names.map((nm, j) => [nm, res.prior.mean[j]])),
      variance: Object.fromEntries(names.map((nm, j) => [nm, res.prior.variance[j]])),
      log_evidence: finite ? res.logEvidence : null,
      ibic: finite ? -2 * res.logEvidence + kGroup * Math.log(nTrials) : null,
      k_group: kGroup,
      iterations: res.iterations,
      converged: res.converged,
    });
    totalLogEv += res.logEvidence;
    totalTrials += nTrials;
  }
  const fits = order.map(({ cell, subject }) => subjectFit(spec, subject, cells.get(cell)!.group));
  for (const f of fits) for (const w of f.warnings) warnings.push(`${f.participant_id}/${f.session} ${spec.name}: ${w}`);
  const kTotal = 2 * d * cells.size;
  const ok = cells.size > 0 && Number.isFinite(totalLogEv);
  return {
    model: spec.name,
    fits,
    priors,
    log_evidence: ok ? totalLogEv : null,
    ibic: ok ? -2 * totalLogEv + kTotal * Math.log(totalTrials) : null,
    k_group: kTotal,
    n_trials: totalTrials,
    warnings,
  };
}

/** Hierarchical fit of one model to scored trials (any number of participant-sessions). */
export function fitHierarchical(
  trials: readonly ScoredTrial[],
  model: ModelName | ModelSpec = "valence",
  options: HierarchicalOptions = {},
): HierarchicalResult {
  return fitHierarchicalFromStats(computeStats(trials), model, options);
}
