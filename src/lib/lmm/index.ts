/**
 * Linear mixed model with one random intercept, fitted by REML, with
 * Satterthwaite degrees of freedom — in pure TypeScript, agreeing with
 * `lme4::lmer()` and `lmerTest` (see test/r/lmm_reference.R and
 * test/lib/lmm.test.ts).
 *
 * Model:  y = X beta + Z b + e,   b ~ N(0, sigma_b^2 I_G),   e ~ N(0, sigma^2 I_n),
 * where Z is the n x G indicator matrix of the grouping factor in `(1 | g)`.
 *
 * References
 * - Bates, Maechler, Bolker & Walker (2015). Fitting linear mixed-effects
 *   models using lme4. J. Stat. Softw. 67(1). Section 3: the relative
 *   covariance factor Lambda_theta = theta I (theta = sigma_b / sigma), the
 *   penalised least squares problem and the profiled REML criterion (eq. 42)
 *       d_R(theta) = log|L_theta|^2 + log|R_X|^2 + (n - p) [1 + log(2 pi r^2_theta / (n - p))],
 *   with |L_theta|^2 = |Lambda' Z'Z Lambda + I|, R_X'R_X = X' V0^-1 X and
 *   r^2_theta the penalised residual sum of squares.
 * - Kuznetsova, Brockhoff & Christensen (2017). lmerTest package: tests in
 *   linear mixed effects models. J. Stat. Softw. 82(13). Satterthwaite df for a
 *   contrast L:  df = 2 (L'C L)^2 / (g' A g), C = Cov(beta_hat)(varpar),
 *   g = gradient of L'C L w.r.t. varpar, A = 2 H^-1 with H the Hessian of the
 *   (non-profiled) REML deviance w.r.t. varpar.  lmerTest 3.x uses
 *   varpar = (theta, sigma) (see lmerTest:::as_lmerModLT, devfun_vp and
 *   get_covbeta), computes H and the Jacobian of C with numDeriv and inverts H
 *   through its eigen-decomposition keeping eigenvalues > 1e-8.  Here H and
 *   the Jacobian are computed analytically (closed forms below).  (At the
 *   optimum the df do not depend on the parameterisation: H and g transform
 *   with the same Jacobian because the gradient of the deviance is zero.)
 * - Satterthwaite (1946). An approximate distribution of estimates of variance
 *   components. Biometrics Bulletin 2(6), 110-114.
 *
 * Per-group closed forms (single random intercept).  With u = theta^2,
 *   V0 = I + u Z Z' is block diagonal with blocks I + u 1 1' (size n_i), and by
 *   Sherman–Morrison  (I + u 11')^-1 = I - w_i 11',  w_i = u / (1 + n_i u).
 * Writing w_i = 1/n_i - c_i with c_i = 1 / (n_i (1 + n_i u)), for any columns
 * a, b:   a' V0^-1 b = W_ab + sum_i c_i (1'a_i)(1'b_i),
 * where W is the pooled within-group cross-product (deviations from group
 * means).  Both parts are positive semi-definite, so there is no cancellation
 * for any theta.  Everything below is therefore computed from
 *   - W: within cross-products of [X y]             ((p+1) x (p+1))
 *   - B_m = sum_{i: n_i = m} s_i s_i', s_i = [X_i'1; y_i'1] for each distinct
 *     group size m                                   ((p+1) x (p+1) each)
 * so one evaluation of the criterion costs O(#sizes p^2 + p^3), independent
 * of n; n only enters the single pass that builds W and B_m.
 * Also |V0| = prod_i (1 + n_i u) = |L_theta|^2.
 *
 * Rank deficiency: lme4 drops the columns its QR (tolerance 1e-7) finds
 * aliased. fitLmm first checks the rank on X'X = W + sum_m B_m / m (a p x p
 * Cholesky, no pass over the rows): when every column is clearly independent
 * of the ones before it, nothing is dropped, as the QR would find; otherwise
 * (aliased or borderline columns) it runs the QR of the n x p matrix
 * (rankKeptColumns), so the columns kept are always lme4's.
 *
 * Optimisation: d_R is minimised over theta >= 0 by scanning the sign of its
 * analytic derivative on a log grid (plus theta = 0) and refining every
 * bracketed minimum with Brent's root finder to machine precision (lme4's
 * default BOBYQA stops at ~1e-8 change of d_R, i.e. theta to ~1e-6..1e-8).
 *
 * API
 *   fitLmm(rows, formula, { factors, level })  -> LmmResult (JSON-serialisable)
 *   fitLmmColumns(columns, formula, options)    -> the same from typed columns (no row objects), or
 *                                                  null when fitLmm on rows is needed (analysis pipeline)
 *   lmmContrast(result, L, level?, term?)       -> LmmFixedEffect (t test of L'beta)
 *   lmmDesign(rows, formula, options)           -> LmmDesign (model frame / matrix)
 *   RemlProfile                                 -> REML criterion and derivatives
 * Differences from R, by design: a factor value outside the levels given in
 * `options.factors` throws (R would silently make it NA); removing the
 * intercept and random slopes are not supported (see formula.ts).
 */
import { designColumns, parseFormula, type DesignColumn, type ParsedFormula, type VariableKind } from "../stats/formula.js";
import { tQuantile, tTwoSidedP } from "../stats/distributions.js";

// ---------------------------------------------------------------------------
// Public types

/** A data row; null / undefined / NaN / "" are missing values. */
export type LmmRow = Record<string, number | string | null | undefined>;

export interface LmmOptions {
  /**
   * Factor levels by variable, reference level first (treatment contrasts).
   * Variables not listed are numeric if every non-missing value is a number,
   * otherwise factors with levels sorted (code-unit order). Values are matched
   * to levels as strings. As in R (`drop.unused.levels`), levels without any
   * complete row are dropped.
   */
  factors?: Record<string, readonly string[]>;
  /** Confidence level of `ci` (default 0.95). */
  level?: number;
}

/** One fixed effect, or a contrast of fixed effects (t test, Satterthwaite df). */
export interface LmmFixedEffect {
  term: string;
  estimate: number;
  se: number;
  /** Satterthwaite degrees of freedom (null if undefined). */
  df: number | null;
  t: number;
  /** Two-sided p-value of t on df degrees of freedom (null if df is null). */
  p: number | null;
  /** Confidence interval estimate ± t_{(1+level)/2, df} se (null if df is null). */
  ci: [number, number] | null;
}

export interface LmmResult {
  /** Canonical formula (R term order). */
  formula: string;
  response: string;
  /** Grouping variable of the random intercept. */
  group: string;
  /** Fixed effects in model-matrix order (columns dropped for rank deficiency omitted). */
  fixed: LmmFixedEffect[];
  random: {
    /** SD of the random intercept, sigma_b = theta * sigma. */
    participant_sd: number;
    /** Residual SD, sigma. */
    residual_sd: number;
  };
  /** Relative covariance factor theta = sigma_b / sigma (lme4's getME(fit, "theta")). */
  theta: number;
  /** REML criterion at the optimum (lme4's REMLcrit(fit)). */
  reml_criterion: number;
  n_obs: number;
  n_groups: number;
  /** Boundary fit: theta < 1e-4, lme4::isSingular()'s default tolerance. */
  singular: boolean;
  /** Model-matrix columns dropped because X is rank deficient (as lme4 drops them). */
  rank_deficient: string[];
  /** Rows dropped because of a missing value in a variable of the model. */
  dropped_rows: number;
  /** Factor levels used (after dropping levels absent from the complete rows). */
  levels: Record<string, string[]>;
  /** lme4-style notes (rank deficiency, singular fit). */
  messages: string[];
  /** Covariance matrix of the fixed effects, C = sigma^2 (X'V0^-1 X)^-1, in `fixed` order. */
  vcov: number[][];
  /** What lmmContrast() needs for Satterthwaite df of any contrast. */
  varpar: {
    /** Variance parameters as lmerTest parameterises them: (theta, sigma). */
    names: ["theta", "sigma"];
    values: [number, number];
    /** A = 2 H^+, asymptotic covariance of varpar (H: Hessian of the REML deviance). */
    vcov: number[][];
    /** dC/d theta and dC/d sigma (each p x p). */
    jacobian: [number[][], number[][]];
  };
}

// ---------------------------------------------------------------------------
// Small dense helpers (matrices are row-major Float64Array; p is small)

function toRows(a: Float64Array, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < k; i++) out.push(Array.from(a.subarray(i * k, (i + 1) * k)));
  return out;
}

/**
 * Columns kept by R's `qr(X, tol = 1e-7, LAPACK = FALSE)` (LINPACK dqrdc2 with
 * limited pivoting), as lme4's chkRank.drop.cols uses: Householder QR from
 * left to right; a column whose norm, after removing its projection on the
 * columns kept so far, is below tol times its original norm is moved to the
 * end (dropped). Returns kept column indices in their original order.
 * X is column-major, n x p.
 */
function rankKeptColumns(X: Float64Array, n: number, p: number, tol = 1e-7): number[] {
  const A = X.slice();
  const col = (j: number): Float64Array => A.subarray(j * n, (j + 1) * n);
  const sumSq = (x: Float64Array, from: number): number => {
    let s = 0;
    for (let i = from; i < x.length; i++) s += x[i] * x[i];
    return s;
  };
  const orig = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const s = sumSq(col(j), 0);
    orig[j] = s > 0 ? Math.sqrt(s) : 1; // dqrdc2: a zero column has "original norm" 1
  }
  const order = Array.from({ length: p }, (_, j) => j);
  let k = p; // positions >= k hold dropped columns
  const lup = Math.min(n, p);
  const v = new Float64Array(n);
  for (let l = 0; l < lup; l++) {
    while (l < k && Math.sqrt(sumSq(col(order[l]), l)) < orig[order[l]] * tol) {
      order.push(order.splice(l, 1)[0]);
      k--;
    }
    if (l >= k) break;
    // Householder reflection H = I - 2 v v'/(v'v) zeroing column order[l] below row l,
    // applied to the columns still undecided (positions l+1 .. k-1).
    const x = col(order[l]).subarray(l);
    const len = x.length;
    const norm = Math.sqrt(sumSq(x, 0));
    const alpha = x[0] >= 0 ? -norm : norm;
    v.set(x);
    v[0] -= alpha;
    const vv = sumSq(v.subarray(0, len), 0);
    if (vv === 0) continue;
    for (let t = l + 1; t < k; t++) {
      const c = col(order[t]).subarray(l);
      let dot = 0;
      for (let i = 0; i < len; i++) dot += v[i] * c[i];
      const f = (2 * dot) / vv;
      for (let i = 0; i < len; i++) c[i] -= f * v[i];
    }
  }
  return order.slice(0, Math.min(k, n)).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------
// REML profile for one random intercept

/** Criterion and derivatives at one theta (u = theta^2). */
export interface RemlEvaluation {
  theta: number;
  /** Profiled REML criterion d_R(theta) (Bates et al. 2015, eq. 42). */
  deviance: number;
  /** d d_R / d u, u = theta^2 (its sign is that of d d_R / d theta for theta > 0). */
  dDevdU: number;
  /** Penalised weighted RSS r^2(theta) = min_beta (y - X beta)' V0^-1 (y - X beta). */
  pwrss: number;
  /** beta_hat(theta) = (X'V0^-1X)^-1 X'V0^-1 y. */
  beta: Float64Array;
  /** (X' V0^-1 X)^-1, p x p row-major. */
  Minv: Float64Array;
  /** Pieces for second derivatives (filled when requested). */
  second?: {
    /** d/du and d^2/du^2 of f(u) = log|V0| + log|X'V0^-1X|. */
    fU: number;
    fUU: number;
    /** d/du and d^2/du^2 of pwrss(u). */
    rU: number;
    rUU: number;
    /** dM/du, M = X'V0^-1 X (p x p). */
    MU: Float64Array;
  };
}

/**
 * Sufficient statistics and the REML criterion of y = X beta + Z b + e with a
 * single random intercept. Exported for tests and advanced use; most callers
 * want fitLmm().
 */
export class RemlProfile {
  readonly n: number;
  readonly p: number;
  readonly nGroups: number;
  /** Internally the response is centred by this constant (only the intercept changes). */
  readonly yShift: number;
  private readonly q: number;
  private readonly W: Float64Array;
  private readonly sizes: number[];
  private readonly counts: number[];
  private readonly B: Float64Array[];
  // Work buffers reused by every evaluation (the optimiser makes ~100 of them).
  private readonly bufA: Float64Array;
  private readonly bufL: Float64Array;
  private readonly bufLi: Float64Array;
  private readonly bufMinv: Float64Array;
  private readonly bufBeta: Float64Array;
  private readonly bufV: Float64Array;
  private readonly bufBv: Float64Array;
  private readonly bufTr: Float64Array;
  private readonly bufE2: Float64Array;

  /**
   * @param X column-major n x p model matrix (column 0 must be the intercept)
   * @param y response (length n)
   * @param group group index 0..G-1 of each row
   * @param G number of groups
   */
  constructor(X: Float64Array, y: Float64Array, group: Int32Array, G: number) {
    const n = y.length;
    const p = X.length / n;
    const q = p + 1;
    if (!Number.isInteger(p) || p < 1) throw new Error("RemlProfile: X must be column-major with n rows");
    for (let i = 0; i < n; i++) {
      if (X[i] !== 1) throw new Error("RemlProfile: column 0 of X must be the intercept (all ones)");
    }
    this.n = n;
    this.p = p;
    this.q = q;
    this.nGroups = G;
    let ym = 0;
    for (let i = 0; i < n; i++) ym += y[i];
    ym /= n;
    this.yShift = ym;

    // Group sizes and sums s_i of the augmented columns [X, y - shift].
    const nG = new Float64Array(G);
    const S = new Float64Array(G * q);
    for (let i = 0; i < n; i++) {
      const g = group[i];
      nG[g]++;
      const o = g * q;
      for (let j = 0; j < p; j++) S[o + j] += X[j * n + i];
      S[o + p] += y[i] - ym;
    }
    // Within cross-products W = sum (z - zbar_g)(z - zbar_g)' (upper triangle, then mirrored).
    const W = new Float64Array(q * q);
    const dev = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      const g = group[i];
      const o = g * q;
      const ng = nG[g];
      for (let j = 0; j < p; j++) dev[j] = X[j * n + i] - S[o + j] / ng;
      dev[p] = y[i] - ym - S[o + p] / ng;
      for (let a = 0; a < q; a++) {
        const da = dev[a];
        if (da === 0) continue;
        const row = a * q;
        for (let b = a; b < q; b++) W[row + b] += da * dev[b];
      }
    }
    for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) W[a * q + b] = W[b * q + a];
    this.W = W;

    // Between parts B_m per distinct group size m.
    const bySize = new Map<number, number>();
    this.sizes = [];
    this.counts = [];
    this.B = [];
    for (let g = 0; g < G; g++) {
      const m = nG[g];
      let idx = bySize.get(m);
      if (idx === undefined) {
        idx = this.sizes.length;
        bySize.set(m, idx);
        this.sizes.push(m);
        this.counts.push(0);
        this.B.push(new Float64Array(q * q));
      }
      this.counts[idx]++;
      const Bm = this.B[idx];
      const o = g * q;
      for (let a = 0; a < q; a++) {
        const sa = S[o + a];
        if (sa === 0) continue;
        for (let b = a; b < q; b++) Bm[a * q + b] += sa * S[o + b];
      }
    }
    for (const Bm of this.B) for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) Bm[a * q + b] = Bm[b * q + a];

    this.bufA = new Float64Array(q * q);
    this.bufL = new Float64Array(q * q);
    this.bufLi = new Float64Array(p * p);
    this.bufMinv = new Float64Array(p * p);
    this.bufBeta = new Float64Array(p);
    this.bufV = new Float64Array(q);
    this.bufBv = new Float64Array(q * this.sizes.length);
    this.bufTr = new Float64Array(this.sizes.length);
    this.bufE2 = new Float64Array(this.sizes.length);
  }

  /**
   * Core evaluation at theta (u = theta^2), into the work buffers:
   *   A = W + sum_m c_m(u) B_m = [[M, b], [b', y'V0^-1 y]],  c_m(u) = 1/(m(1+mu)),
   * its Cholesky factor (the last pivot is r^2(theta) = y'V0^-1y - b'M^-1b,
   * the penalised weighted RSS of Bates et al. 2015), beta_hat = M^-1 b,
   * M^-1, B_m v with v = (-beta_hat, 1) and the criterion and its u-derivative:
   *   d_R = log|V0| + log|M| + (n - p)(1 + log(2 pi r^2 / (n - p)))
   *   d log|V0| / du = sum_m cnt_m m / (1 + m u)
   *   d log|M| / du  = tr(M^-1 M_u),  M_u = sum_m c'_m SS_m,  c'_m = -1/(1+mu)^2
   *   d r^2 / du     = sum_m c'_m E2_m,  E2_m = v'B_m v   (envelope theorem)
   * where SS_m is the X block of B_m and E2_m the sum over groups of size m of
   * the squared group totals of the residuals y - X beta_hat.
   */
  private core(theta: number): { deviance: number; dDevdU: number; pwrss: number; fU: number; rU: number } {
    const { n, p, q, W, sizes, counts, B, bufA: A, bufL: L, bufLi: Li, bufMinv: Minv, bufBeta: beta, bufV: v, bufBv } =
      this;
    const u = theta * theta;
    const qq = q * q;
    A.set(W);
    for (let k = 0; k < sizes.length; k++) {
      const Bm = B[k];
      const ck = 1 / (sizes[k] * (1 + sizes[k] * u));
      for (let i = 0; i < qq; i++) A[i] += ck * Bm[i];
    }
    // Cholesky of the augmented matrix (row-major lower factor).
    let logdetM = 0;
    let pwrss = 0;
    for (let j = 0; j < q; j++) {
      let d = A[j * q + j];
      for (let t = 0; t < j; t++) d -= L[j * q + t] * L[j * q + t];
      if (j === p) {
        pwrss = d;
        break;
      }
      if (!(d > 0)) throw new Error("X'V^-1X is not positive definite (the fixed-effect design is degenerate)");
      const ljj = Math.sqrt(d);
      logdetM += 2 * Math.log(ljj);
      L[j * q + j] = ljj;
      for (let i = j + 1; i < q; i++) {
        let s = A[i * q + j];
        for (let t = 0; t < j; t++) s -= L[i * q + t] * L[j * q + t];
        L[i * q + j] = s / ljj;
      }
    }
    if (!(pwrss > 0)) {
      throw new Error("The residual sum of squares is zero: the model fits the data exactly, REML is undefined");
    }
    // beta_hat: L11' beta = z with z = L[p, 0:p].
    for (let i = p - 1; i >= 0; i--) {
      let s = L[p * q + i];
      for (let t = i + 1; t < p; t++) s -= L[t * q + i] * beta[t];
      beta[i] = s / L[i * q + i];
    }
    // Li = L11^-1 (lower), Minv = Li' Li.
    for (let j = 0; j < p; j++) {
      Li[j * p + j] = 1 / L[j * q + j];
      for (let i = j + 1; i < p; i++) {
        let s = 0;
        for (let t = j; t < i; t++) s -= L[i * q + t] * Li[t * p + j];
        Li[i * p + j] = s / L[i * q + i];
      }
    }
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let t = i; t < p; t++) s += Li[t * p + i] * Li[t * p + j];
        Minv[i * p + j] = s;
        Minv[j * p + i] = s;
      }
    }
    let logdetV = 0;
    for (let k = 0; k < sizes.length; k++) logdetV += counts[k] * Math.log1p(sizes[k] * u);
    const nmp = n - p;
    const deviance = logdetV + logdetM + nmp * (1 + Math.log((2 * Math.PI * pwrss) / nmp));

    for (let j = 0; j < p; j++) v[j] = -beta[j];
    v[p] = 1;
    let fU = 0;
    let rU = 0;
    for (let k = 0; k < sizes.length; k++) {
      const m = sizes[k];
      const e = 1 + m * u;
      const c1 = -1 / (e * e);
      const Bm = B[k];
      let tr = 0;
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) tr += Minv[i * p + j] * Bm[i * q + j];
      let E2 = 0;
      const o = k * q;
      for (let i = 0; i < q; i++) {
        let s = 0;
        for (let j = 0; j < q; j++) s += Bm[i * q + j] * v[j];
        bufBv[o + i] = s;
        E2 += v[i] * s;
      }
      fU += (counts[k] * m) / e + c1 * tr;
      rU += c1 * E2;
      this.bufTr[k] = tr;
      this.bufE2[k] = E2;
    }
    return { deviance, dDevdU: fU + (nmp * rU) / pwrss, pwrss, fU, rU };
  }

  /** Evaluate the profiled REML criterion (and derivatives in u = theta^2) at theta >= 0. */
  evaluate(theta: number, second = false): RemlEvaluation {
    const { p, q, sizes, counts, B } = this;
    const c = this.core(theta);
    const beta = this.bufBeta.slice();
    beta[0] += this.yShift; // undo the centring of y (column 0 is the intercept)
    const Minv = this.bufMinv.slice();
    const out: RemlEvaluation = { theta, deviance: c.deviance, dDevdU: c.dDevdU, pwrss: c.pwrss, beta, Minv };
    if (!second) return out;
    // Second derivatives in u:  c''_m = 2m/(1+mu)^3,
    //   d2 log|V0| = -sum cnt_m m^2/(1+mu)^2
    //   d2 log|M|  = tr(M^-1 M_uu) - tr(M^-1 M_u M^-1 M_u),  M_uu = sum c''_m SS_m
    //   d2 r^2     = sum c''_m E2_m - 2 q'M^-1 q,  q = sum c'_m (B_m v)[0:p]
    // (the last from r^2(u) = min_beta Q(beta, u): r'' = Q_uu - Q_ub' Q_bb^-1 Q_bu).
    const u = theta * theta;
    let fUU = 0;
    let rUU = 0;
    const MU = new Float64Array(p * p);
    const qv = new Float64Array(p);
    for (let k = 0; k < sizes.length; k++) {
      const m = sizes[k];
      const e = 1 + m * u;
      const c1 = -1 / (e * e);
      const c2 = (2 * m) / (e * e * e);
      const Bm = B[k];
      fUU += (-counts[k] * m * m) / (e * e) + c2 * this.bufTr[k];
      rUU += c2 * this.bufE2[k];
      for (let i = 0; i < p; i++) {
        qv[i] += c1 * this.bufBv[k * q + i];
        for (let j = 0; j < p; j++) MU[i * p + j] += c1 * Bm[i * q + j];
      }
    }
    const P = new Float64Array(p * p);
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let t = 0; t < p; t++) s += Minv[i * p + t] * MU[t * p + j];
        P[i * p + j] = s;
      }
    let trPP = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) trPP += P[i * p + j] * P[j * p + i];
    fUU -= trPP;
    let qMq = 0;
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) qMq += qv[i] * Minv[i * p + j] * qv[j];
    rUU -= 2 * qMq;
    out.second = { fU: c.fU, fUU, rU: c.rU, rUU, MU };
    return out;
  }

  /**
   * X'X (p x p, row-major) from the sufficient statistics: W + sum_m B_m / m over the X block
   * (within plus between cross-products; no pass over the rows).
   */
  crossProduct(): Float64Array {
    const { p, q, W, sizes, B } = this;
    const out = new Float64Array(p * p);
    for (let a = 0; a < p; a++)
      for (let b = 0; b < p; b++) {
        let s = W[a * q + b];
        for (let k = 0; k < sizes.length; k++) s += B[k][a * q + b] / sizes[k];
        out[a * p + b] = s;
      }
    return out;
  }

  /** Profiled criterion and its u-derivative only (no allocation): what the optimiser needs. */
  criterion(theta: number): { deviance: number; dDevdU: number } {
    const c = this.core(theta);
    return { deviance: c.deviance, dDevdU: c.dDevdU };
  }

  /**
   * Non-profiled REML deviance as a function of lmerTest's variance parameters
   * (theta, sigma) — lmerTest:::devfun_vp:
   *   log|V0| + log|X'V0^-1X| + r^2(theta)/sigma^2 + (n - p) log(2 pi sigma^2).
   */
  devianceVarpar(theta: number, sigma: number): number {
    const e = this.evaluate(theta);
    const s2 = sigma * sigma;
    const nmp = this.n - this.p;
    const f = e.deviance - nmp * (1 + Math.log((2 * Math.PI * e.pwrss) / nmp));
    return f + e.pwrss / s2 + nmp * Math.log(2 * Math.PI * s2);
  }

  /** Covariance of beta_hat at (theta, sigma): sigma^2 (X'V0^-1X)^-1 (lmerTest:::get_covbeta). */
  covBeta(theta: number, sigma: number): Float64Array {
    const e = this.evaluate(theta);
    return e.Minv.map((x) => sigma * sigma * x);
  }

  /**
   * REML estimate of theta on [0, Inf): a grid of theta = 0 and 10^(-4..4) in
   * steps of 10^0.1 locates every sign change of d d_R/du; each bracketed
   * local minimum is refined by Brent's root finder on the analytic
   * derivative (to machine precision); theta = 0 is a candidate when
   * d d_R/du >= 0 there (boundary minimum). The lowest criterion wins.
   */
  optimizeTheta(): RemlEvaluation {
    const grid = [0];
    for (let k = 0; k <= 80; k++) grid.push(Math.pow(10, -4 + k / 10));
    const deriv = (t: number): number => this.criterion(t).dDevdU;
    const evals = grid.map((t) => this.criterion(t));
    const candidates: { theta: number; deviance: number }[] = [];
    if (evals[0].dDevdU >= 0) candidates.push({ theta: 0, deviance: evals[0].deviance });
    const refine = (lo: number, hi: number, flo: number, fhi: number): void => {
      const theta = brentZero(deriv, lo, hi, flo, fhi);
      candidates.push({ theta, deviance: this.criterion(theta).deviance });
    };
    for (let k = 0; k + 1 < grid.length; k++) {
      if (evals[k].dDevdU < 0 && evals[k + 1].dDevdU >= 0) {
        refine(grid[k], grid[k + 1], evals[k].dDevdU, evals[k + 1].dDevdU);
      }
    }
    if (evals[evals.length - 1].dDevdU < 0) {
      // Criterion still decreasing at theta = 1e4: extend the search upward.
      let lo = grid[grid.length - 1];
      let flo = evals[evals.length - 1].dDevdU;
      for (let k = 0; k < 40; k++) {
        const hi = lo * 10;
        const fhi = deriv(hi);
        if (fhi >= 0) {
          refine(lo, hi, flo, fhi);
          break;
        }
        lo = hi;
        flo = fhi;
      }
    }
    if (candidates.length === 0) {
      throw new Error(
        "REML optimisation failed: the criterion keeps decreasing as sigma_b / sigma grows (residual variance near 0)",
      );
    }
    const best = candidates.reduce((b, e) => (e.deviance < b.deviance ? e : b));
    return this.evaluate(best.theta, true);
  }
}

/**
 * Brent's (1973) root finder (the zeroin algorithm, as R's uniroot) on [a, b]
 * with f(a) < 0 <= f(b); iterates to machine precision.
 */
function brentZero(f: (x: number) => number, a: number, b: number, fa: number, fb: number): number {
  if (fb === 0) return b;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < 300; iter++) {
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 1e-300;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // inverse quadratic interpolation / secant
      let pp: number;
      let qq: number;
      const s = fb / fa;
      if (a === c) {
        pp = 2 * m * s;
        qq = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        pp = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        qq = (qa - 1) * (r - 1) * (s - 1);
      }
      if (pp > 0) qq = -qq;
      else pp = -pp;
      if (2 * pp < Math.min(3 * m * qq - Math.abs(tol * qq), Math.abs(e * qq))) {
        e = d;
        d = pp / qq;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
  }
  return b;
}

// ---------------------------------------------------------------------------
// Satterthwaite

/** Symmetric 2 x 2 pseudo-inverse keeping eigenvalues > tol (as lmerTest:::as_lmerModLT). */
function pinv2(h00: number, h01: number, h11: number, tol = 1e-8): number[][] {
  const phi = 0.5 * Math.atan2(2 * h01, h00 - h11);
  const cs = Math.cos(phi);
  const sn = Math.sin(phi);
  const vecs: [number, number][] = [
    [cs, sn],
    [-sn, cs],
  ];
  const out = [
    [0, 0],
    [0, 0],
  ];
  for (const [x, y] of vecs) {
    const lambda = h00 * x * x + 2 * h01 * x * y + h11 * y * y;
    if (lambda > tol) {
      out[0][0] += (x * x) / lambda;
      out[0][1] += (x * y) / lambda;
      out[1][0] += (x * y) / lambda;
      out[1][1] += (y * y) / lambda;
    }
  }
  return out;
}

function qform(L: readonly number[], A: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i < L.length; i++) {
    if (L[i] === 0) continue;
    for (let j = 0; j < L.length; j++) s += L[i] * A[i][j] * L[j];
  }
  return s;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** t test of L'beta from estimates, their covariance and the varpar pieces. */
function contrastCore(
  estimates: readonly number[],
  vcov: readonly (readonly number[])[],
  varpar: LmmResult["varpar"],
  vec: readonly number[],
  level: number,
  term: string,
): LmmFixedEffect {
  const estimate = vec.reduce((s, w, i) => s + w * estimates[i], 0);
  const variance = qform(vec, vcov);
  const se = Math.sqrt(Math.max(variance, 0));
  const grad = varpar.jacobian.map((J) => qform(vec, J));
  const denom = qform(grad, varpar.vcov);
  const df = denom > 0 ? finiteOrNull((2 * variance * variance) / denom) : null;
  const t = estimate / se;
  if (!Number.isFinite(t)) throw new Error(`Contrast '${term}' has zero standard error`);
  let p: number | null = null;
  let ci: [number, number] | null = null;
  if (df !== null) {
    p = finiteOrNull(tTwoSidedP(t, df));
    const qt = tQuantile(0.5 + level / 2, df);
    if (Number.isFinite(qt)) ci = [estimate - qt * se, estimate + qt * se];
  }
  return { term, estimate, se, df, t, p, ci };
}

/**
 * t test of the contrast L'beta with Satterthwaite df (lmerTest's contest1D):
 *   df = 2 (L'CL)^2 / (g' A g),  g_k = L' (dC/d varpar_k) L.
 * `L` is a vector in `result.fixed` order, or a map from term name to weight
 * (unlisted terms get 0). Works from the JSON result alone.
 */
export function lmmContrast(
  result: LmmResult,
  L: readonly number[] | Readonly<Record<string, number>>,
  level = 0.95,
  term = "contrast",
): LmmFixedEffect {
  const terms = result.fixed.map((f) => f.term);
  let vec: number[];
  if (Array.isArray(L)) {
    vec = (L as readonly number[]).slice();
    if (vec.length !== terms.length) {
      throw new Error(`Contrast has ${vec.length} weights but the model has ${terms.length} fixed effects`);
    }
  } else {
    const map = L as Readonly<Record<string, number>>;
    for (const k of Object.keys(map)) {
      if (!terms.includes(k)) {
        const dropped = result.rank_deficient.includes(k) ? " (it was dropped: rank-deficient design)" : "";
        throw new Error(`Contrast term '${k}' is not a fixed effect of the model${dropped}; terms: ${terms.join(", ")}`);
      }
    }
    vec = terms.map((t) => map[t] ?? 0);
  }
  if (!vec.every(Number.isFinite)) throw new Error("Contrast weights must be finite numbers");
  if (vec.every((x) => x === 0)) throw new Error("Contrast weights are all zero");
  if (!(level > 0 && level < 1)) throw new Error(`Confidence level must be in (0, 1); got ${level}`);
  return contrastCore(
    result.fixed.map((f) => f.estimate),
    result.vcov,
    result.varpar,
    vec,
    level,
    term,
  );
}

// ---------------------------------------------------------------------------
// Data handling

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/** Code-unit order (deterministic; R's sort() is locale-dependent — pass levels explicitly to be sure). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Fitting

/** The model frame and fixed-effect model matrix of a formula on data (see lmmDesign()). */
export interface LmmDesign {
  formula: ParsedFormula;
  /** Names of the model-matrix columns kept (rank-deficient columns removed). */
  columns: string[];
  /** Dropped (rank-deficient) column names, as lme4 drops them. */
  rankDeficient: string[];
  /** Column-major n x p model matrix of the complete rows (kept columns). */
  X: Float64Array;
  y: Float64Array;
  /** Group index (0-based, order of first appearance) of each complete row. */
  group: Int32Array;
  nGroups: number;
  droppedRows: number;
  /** Factor levels used (unused levels dropped). */
  levels: Record<string, string[]>;
}

/**
 * The model frame of the complete rows before the model matrix: variable kinds, complete cases,
 * response, grouping codes and per-variable encodings (numbers, or level codes). Built from data
 * rows (frameFromRows) or, on the analysis pipeline's hot path, straight from typed columns
 * (fitLmmColumns).
 */
interface LmmFrame {
  f: ParsedFormula;
  N: number;
  kinds: Record<string, VariableKind>;
  complete: Uint8Array;
  yAll: Float64Array;
  /** Grouping variable: a code per row (any numbering; -1 where missing), and their count. */
  groupCode: Int32Array;
  nGroupCodes: number;
  numAll: Record<string, Float64Array>;
  levAll: Record<string, Int32Array>;
  used: string[];
}

function frameFromRows(rows: readonly LmmRow[], formula: string | ParsedFormula, options: LmmOptions): LmmFrame {
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  if (!Array.isArray(rows) || rows.length === 0) throw new Error("fitLmm: no data rows");

  const { response, group } = f;
  const fixedVars = f.fixedVariables;
  const used = [response, ...fixedVars.filter((v) => v !== group), group];

  // Unknown variables.
  for (const v of used) {
    if (!rows.some((r) => r != null && Object.prototype.hasOwnProperty.call(r, v))) {
      const cols = Object.keys(rows[0] ?? {});
      throw new Error(
        `Unknown variable '${v}' in formula "${f.source}": not a column of the data` +
          (cols.length ? ` (columns: ${cols.slice(0, 30).join(", ")}${cols.length > 30 ? ", ..." : ""})` : ""),
      );
    }
  }
  const factors = options.factors ?? {};
  if (Object.prototype.hasOwnProperty.call(factors, response)) {
    throw new Error(`The response '${response}' must be numeric; it cannot be listed in options.factors`);
  }
  for (const [v, lv] of Object.entries(factors)) {
    if (!Array.isArray(lv) || lv.length === 0) throw new Error(`options.factors.${v} must be a non-empty array of levels`);
    if (new Set(lv.map(String)).size !== lv.length) throw new Error(`options.factors.${v} has duplicated levels`);
  }

  // Variable kinds: listed factors; otherwise numeric if every non-missing
  // value is a number, else a factor with sorted levels.
  const N = rows.length;
  const kinds: Record<string, VariableKind> = {};
  for (const v of fixedVars) {
    if (Object.prototype.hasOwnProperty.call(factors, v)) {
      kinds[v] = { kind: "factor", levels: factors[v].map(String) };
      continue;
    }
    let numeric = true;
    for (let i = 0; i < N && numeric; i++) {
      const x = rows[i]?.[v];
      if (!isMissing(x) && typeof x !== "number") numeric = false;
    }
    if (numeric) {
      kinds[v] = { kind: "numeric" };
    } else {
      const seen = new Set<string>();
      for (let i = 0; i < N; i++) {
        const x = rows[i]?.[v];
        if (!isMissing(x)) seen.add(typeof x === "string" ? x : String(x));
      }
      kinds[v] = { kind: "factor", levels: [...seen].sort(compareStrings) };
    }
  }

  // Complete cases and encodings, one variable at a time.
  const complete = new Uint8Array(N).fill(1);
  const yAll = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const yv = rows[i]?.[response];
    if (isMissing(yv)) complete[i] = 0;
    else if (typeof yv !== "number") {
      throw new Error(`The response '${response}' must be numeric; row ${i + 1} has the value ${JSON.stringify(yv)}`);
    } else if (!Number.isFinite(yv)) {
      throw new Error(`The response '${response}' has a non-finite value (${yv}) in row ${i + 1}`);
    } else yAll[i] = yv;
  }
  const groupCode = new Int32Array(N).fill(-1);
  const groupIndex = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const gv = rows[i]?.[group];
    if (isMissing(gv)) complete[i] = 0;
    else {
      const key = typeof gv === "string" ? gv : String(gv);
      let code = groupIndex.get(key);
      if (code === undefined) groupIndex.set(key, (code = groupIndex.size));
      groupCode[i] = code;
    }
  }
  const numAll: Record<string, Float64Array> = {};
  const levAll: Record<string, Int32Array> = {};
  for (const v of fixedVars) {
    const k = kinds[v];
    if (k.kind === "numeric") {
      const out = (numAll[v] = new Float64Array(N));
      for (let i = 0; i < N; i++) {
        const x = rows[i]?.[v];
        if (isMissing(x)) complete[i] = 0;
        else if (!Number.isFinite(x as number)) {
          throw new Error(`Variable '${v}' has a non-finite value (${x}) in row ${i + 1}`);
        } else out[i] = x as number;
      }
    } else {
      const index = new Map(k.levels.map((l, j) => [l, j]));
      const out = (levAll[v] = new Int32Array(N));
      for (let i = 0; i < N; i++) {
        const x = rows[i]?.[v];
        if (isMissing(x)) {
          complete[i] = 0;
          continue;
        }
        const idx = index.get(typeof x === "string" ? x : String(x));
        if (idx === undefined) {
          throw new Error(
            `Value ${JSON.stringify(x)} of factor '${v}' (row ${i + 1}) is not one of its levels: ${k.levels.join(", ")}`,
          );
        }
        out[i] = idx;
      }
    }
  }
  return { f, N, kinds, complete, yAll, groupCode, nGroupCodes: groupIndex.size, numAll, levAll, used };
}

/** The model matrix of a frame with every column (rank deficiency not yet checked), or the error lmmDesign throws. */
interface FullDesign {
  f: ParsedFormula;
  columns: DesignColumn[];
  /** Column-major nObs x P. */
  Xfull: Float64Array;
  y: Float64Array;
  group: Int32Array;
  nGroups: number;
  droppedRows: number;
  levels: Record<string, string[]>;
}

function fullDesign(frame: LmmFrame): FullDesign {
  const { f, N, kinds, complete, yAll, groupCode, numAll, levAll, used } = frame;
  const fixedVars = f.fixedVariables;
  const group = f.group;
  let nObs = 0;
  for (let i = 0; i < N; i++) nObs += complete[i];
  const droppedRows = N - nObs;
  if (nObs === 0) throw new Error(`No complete rows: every row has a missing value in one of ${used.join(", ")}`);

  // Drop unused factor levels (R's model.frame(drop.unused.levels = TRUE)).
  const usedLevels: Record<string, string[]> = {};
  const finalKinds: Record<string, VariableKind> = {};
  const remap: Record<string, Int32Array> = {};
  for (const v of fixedVars) {
    const k = kinds[v];
    if (k.kind === "numeric") {
      finalKinds[v] = k;
      continue;
    }
    const present = new Uint8Array(k.levels.length);
    const codes = levAll[v];
    for (let i = 0; i < N; i++) if (complete[i]) present[codes[i]] = 1;
    const map = new Int32Array(k.levels.length).fill(-1);
    const lv: string[] = [];
    k.levels.forEach((l, j) => {
      if (present[j]) {
        map[j] = lv.length;
        lv.push(l);
      }
    });
    if (lv.length < 2) {
      throw new Error(
        `Factor '${v}' has ${lv.length === 1 ? `only one level ('${lv[0]}')` : "no levels"} in the complete rows; a factor needs at least 2 levels`,
      );
    }
    usedLevels[v] = lv;
    finalKinds[v] = { kind: "factor", levels: lv };
    remap[v] = map;
  }

  // Groups in order of first appearance.
  const gIndex = new Int32Array(frame.nGroupCodes).fill(-1);
  let G = 0;
  const groupOf = new Int32Array(nObs);
  const y = new Float64Array(nObs);
  const rowsUsed = new Int32Array(nObs);
  for (let i = 0, k = 0; i < N; i++) {
    if (!complete[i]) continue;
    const code = groupCode[i];
    let g = gIndex[code];
    if (g < 0) gIndex[code] = g = G++;
    groupOf[k] = g;
    y[k] = yAll[i];
    rowsUsed[k] = i;
    k++;
  }
  if (G < 2) {
    throw new Error(`The grouping factor '${group}' must have at least 2 levels in the complete rows; found ${G}`);
  }
  if (nObs <= G) {
    throw new Error(
      `The number of observations (${nObs}) must exceed the number of levels of '${group}' (${G}); ` +
        "the random intercept and residual variances are not identifiable",
    );
  }

  // Model matrix (column-major): each column is a product of numeric columns
  // and level indicators, evaluated on the complete rows.
  const columns: DesignColumn[] = designColumns(f.terms, finalKinds);
  const P = columns.length;
  const Xfull = new Float64Array(nObs * P);
  const colNum: Record<string, Float64Array> = {};
  const colCode: Record<string, Int32Array> = {};
  const all = nObs === N;
  for (const v of fixedVars) {
    if (finalKinds[v].kind === "numeric") {
      const src = numAll[v];
      if (all) colNum[v] = src;
      else {
        const out = (colNum[v] = new Float64Array(nObs));
        for (let k = 0; k < nObs; k++) out[k] = src[rowsUsed[k]];
      }
    } else {
      const src = levAll[v];
      const map = remap[v];
      const out = (colCode[v] = new Int32Array(nObs));
      for (let k = 0; k < nObs; k++) out[k] = map[src[rowsUsed[k]]];
    }
  }
  for (let j = 0; j < P; j++) {
    const col = Xfull.subarray(j * nObs, (j + 1) * nObs);
    col.fill(1);
    for (const part of columns[j].parts) {
      if (part.level === null) {
        const x = colNum[part.variable];
        for (let k = 0; k < nObs; k++) col[k] *= x[k];
      } else {
        const codes = colCode[part.variable];
        const lv = part.level;
        for (let k = 0; k < nObs; k++) if (codes[k] !== lv) col[k] = 0;
      }
    }
  }
  return { f, columns, Xfull, y, group: groupOf, nGroups: G, droppedRows, levels: usedLevels };
}

/** The kept columns of a full design (X restricted to them); throws when n <= p. */
function keepColumns(d: FullDesign, keep: number[]): LmmDesign {
  const nObs = d.y.length;
  const P = d.columns.length;
  const rankDeficient = d.columns.filter((_, j) => !keep.includes(j)).map((c) => c.name);
  const p = keep.length;
  const X = keep.length === P ? d.Xfull : new Float64Array(nObs * p);
  if (keep.length !== P) keep.forEach((j, jj) => X.set(d.Xfull.subarray(j * nObs, (j + 1) * nObs), jj * nObs));
  if (nObs - p < 1) {
    throw new Error(`Too few observations (${nObs}) for ${p} fixed effects: REML needs n > p`);
  }
  return {
    formula: d.f,
    columns: keep.map((j) => d.columns[j].name),
    rankDeficient,
    X,
    y: d.y,
    group: d.group,
    nGroups: d.nGroups,
    droppedRows: d.droppedRows,
    levels: d.levels,
  };
}

/**
 * Build the model frame and model matrix as lme4::lFormula does: complete
 * cases of the variables in the formula, unused factor levels dropped,
 * treatment contrasts, rank-deficient columns dropped (qr tolerance 1e-7).
 *
 * Throws an Error naming the problem for: a formula without (or with more
 * than one) random intercept, a variable not in the data, a non-numeric
 * response, a factor value outside the given levels, a factor with fewer than
 * 2 levels, fewer than 2 groups, no more observations than groups or than
 * fixed effects.
 */
export function lmmDesign(rows: readonly LmmRow[], formula: string | ParsedFormula, options: LmmOptions = {}): LmmDesign {
  const d = fullDesign(frameFromRows(rows, formula, options));
  // Rank deficiency: drop columns as lme4 (chkRank.drop.cols, qr tol 1e-7).
  return keepColumns(d, rankKeptColumns(d.Xfull, d.y.length, d.columns.length));
}

/**
 * Clear-cut rank decision from X'X (a p x p Cholesky instead of a QR of the n x p matrix): every
 * pivot of the Cholesky factorisation of X'X, relative to its diagonal element, is the squared
 * norm of the column's residual on the columns before it relative to its squared norm -- the
 * quantity lme4's QR compares with (1e-7)^2. When every ratio is above 1e-6 (eight orders of
 * magnitude from that tolerance, far beyond the rounding of the cross-product) all columns are kept,
 * as the QR would keep them; otherwise null (the caller runs the QR).
 */
function allColumnsClearlyKept(xtx: Float64Array, p: number): boolean {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const ajj = xtx[j * p + j];
    let d = ajj;
    for (let t = 0; t < j; t++) d -= l[j * p + t] * l[j * p + t];
    if (!(ajj > 0) || !(d > 1e-6 * ajj)) return false;
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = xtx[i * p + j];
      for (let t = 0; t < j; t++) s -= l[i * p + t] * l[j * p + t];
      l[i * p + j] = s / ljj;
    }
  }
  return true;
}

/** Profile of the kept columns: the fast rank check on X'X, else lme4's QR rule. */
function profiledDesign(d: FullDesign): { design: LmmDesign; prof: RemlProfile } {
  const P = d.columns.length;
  const nObs = d.y.length;
  if (nObs - P >= 1) {
    const prof = new RemlProfile(d.Xfull, d.y, d.group, d.nGroups);
    if (allColumnsClearlyKept(prof.crossProduct(), P)) {
      return { design: keepColumns(d, Array.from({ length: P }, (_, j) => j)), prof };
    }
  }
  const design = keepColumns(d, rankKeptColumns(d.Xfull, nObs, P));
  return { design, prof: new RemlProfile(design.X, design.y, design.group, design.nGroups) };
}

/**
 * Fit `response ~ fixed terms + (1 | group)` by REML, as lme4::lmer(REML = TRUE),
 * with Satterthwaite t tests as lmerTest's summary(). Errors: see lmmDesign().
 */
export function fitLmm(rows: readonly LmmRow[], formula: string | ParsedFormula, options: LmmOptions = {}): LmmResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`Confidence level must be in (0, 1); got ${level}`);
  return fitDesign(profiledDesign(fullDesign(frameFromRows(rows, formula, options))), level);
}

/** Data as typed columns (the analysis pipeline's hot path: no row objects). */
export interface LmmColumns {
  /** Number of rows. */
  n: number;
  /** Numeric variables (the response among them); NaN is a missing value. */
  numeric: Record<string, Float64Array>;
  /**
   * Factors as level codes: codes[i] indexes `levels` (the levels of options.factors, reference
   * first); -1 is a value outside the levels, -2 a missing value.
   */
  factors: Record<string, { codes: Int32Array; levels: readonly string[] }>;
  /** The grouping variable of the random intercept: a code per row (any numbering, -1 missing) and the number of codes. */
  group: { name: string; codes: Int32Array; count: number };
}

/**
 * fitLmm on typed columns: the same model frame, model matrix and fit as fitLmm on the equivalent
 * rows, without building them. Returns null when the columns cannot represent what fitLmm would do
 * with rows (a variable of the formula that is not a column, a value outside a factor's levels, a
 * non-finite number): the caller then uses fitLmm, which reports the problem.
 */
export function fitLmmColumns(cols: LmmColumns, formula: string | ParsedFormula, options: LmmOptions = {}): LmmResult | null {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) return null;
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  const N = cols.n;
  if (N === 0 || f.group !== cols.group.name || !Object.prototype.hasOwnProperty.call(cols.numeric, f.response)) return null;
  const factors = options.factors ?? {};
  if (Object.prototype.hasOwnProperty.call(factors, f.response)) return null;
  for (const lv of Object.values(factors)) if (!Array.isArray(lv) || lv.length === 0 || new Set(lv.map(String)).size !== lv.length) return null;
  const kinds: Record<string, VariableKind> = {};
  for (const v of f.fixedVariables) {
    const fac = Object.prototype.hasOwnProperty.call(cols.factors, v) ? cols.factors[v] : undefined;
    const given = Object.prototype.hasOwnProperty.call(factors, v) ? factors[v] : undefined;
    if (fac) {
      if (!given || given.length !== fac.levels.length || given.some((l, j) => String(l) !== fac.levels[j])) return null;
      kinds[v] = { kind: "factor", levels: fac.levels.slice() };
    } else if (Object.prototype.hasOwnProperty.call(cols.numeric, v) && !given && v !== f.group) kinds[v] = { kind: "numeric" };
    else return null;
  }
  const complete = new Uint8Array(N).fill(1);
  const y = cols.numeric[f.response];
  for (let i = 0; i < N; i++) {
    const v = y[i];
    if (Number.isNaN(v)) complete[i] = 0;
    else if (!Number.isFinite(v)) return null;
  }
  const gc = cols.group.codes;
  for (let i = 0; i < N; i++) if (gc[i] < 0) complete[i] = 0;
  const numAll: Record<string, Float64Array> = {};
  const levAll: Record<string, Int32Array> = {};
  for (const v of f.fixedVariables) {
    if (kinds[v].kind === "numeric") {
      const x = (numAll[v] = cols.numeric[v]);
      for (let i = 0; i < N; i++) {
        if (Number.isNaN(x[i])) complete[i] = 0;
        else if (!Number.isFinite(x[i])) return null;
      }
    } else {
      const codes = (levAll[v] = cols.factors[v].codes);
      for (let i = 0; i < N; i++) {
        if (codes[i] === -2) complete[i] = 0;
        else if (codes[i] < 0) return null;
      }
    }
  }
  const used = [f.response, ...f.fixedVariables.filter((v) => v !== f.group), f.group];
  const frame: LmmFrame = { f, N, kinds, complete, yAll: y, groupCode: gc, nGroupCodes: cols.group.count, numAll, levAll, used };
  return fitDesign(profiledDesign(fullDesign(frame)), level);
}

/** REML fit and Satterthwaite tests of a model matrix and its profile. */
function fitDesign({ design, prof }: { design: LmmDesign; prof: RemlProfile }, level: number): LmmResult {
  const { formula: f, y, rankDeficient } = design;
  const nObs = y.length;
  const p = design.columns.length;
  const G = design.nGroups;
  const fin = prof.optimizeTheta();
  const theta = fin.theta;
  const nmp = nObs - p;
  const sigma2 = fin.pwrss / nmp;
  const sigma = Math.sqrt(sigma2);
  const beta = Array.from(fin.beta);
  const Minv = fin.Minv;

  // Hessian of the REML deviance in (theta, sigma) — analytic version of
  // numDeriv::hessian(lmerTest:::devfun_vp).  With u = theta^2 and
  // d(theta, sigma) = f(u) + r(u)/sigma^2 + (n - p) log(2 pi sigma^2):
  //   d_tt = 2 f_u + 4u f_uu + (2 r_u + 4u r_uu)/sigma^2
  //   d_ts = -2 (2 theta r_u) / sigma^3
  //   d_ss = 6 r / sigma^4 - 2 (n - p) / sigma^2
  const s2 = fin.second!;
  const u = theta * theta;
  const h00 = 2 * s2.fU + 4 * u * s2.fUU + (2 * s2.rU + 4 * u * s2.rUU) / sigma2;
  const h01 = (-2 * (2 * theta * s2.rU)) / (sigma2 * sigma);
  const h11 = (6 * fin.pwrss) / (sigma2 * sigma2) - (2 * nmp) / sigma2;
  const Ainv = pinv2(h00, h01, h11);
  const Avar = Ainv.map((row) => row.map((x) => 2 * x));

  // Jacobian of C = sigma^2 M^-1:  dC/dtheta = -sigma^2 M^-1 (2 theta M_u) M^-1,  dC/dsigma = 2 sigma M^-1.
  const MU = s2.MU;
  const T = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += Minv[i * p + t] * MU[t * p + j];
      T[i * p + j] = s;
    }
  const dCdTheta = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += T[i * p + t] * Minv[t * p + j];
      dCdTheta[i * p + j] = -sigma2 * 2 * theta * s;
    }
  const dCdSigma = Minv.map((x) => 2 * sigma * x);
  const vcov = Minv.map((x) => sigma2 * x);

  const singular = theta < 1e-4;
  const messages: string[] = [];
  if (rankDeficient.length > 0) {
    const k = rankDeficient.length;
    messages.push(
      `fixed-effect model matrix is rank deficient so dropping ${k} column${k > 1 ? "s" : ""} / coefficient${k > 1 ? "s" : ""}: ${rankDeficient.join(", ")}`,
    );
  }
  if (singular) messages.push("boundary (singular) fit: the random-intercept variance is estimated at (or near) 0");

  const keptNames = design.columns;
  const result: LmmResult = {
    formula: f.formula,
    response: f.response,
    group: f.group,
    fixed: [],
    random: { participant_sd: theta * sigma, residual_sd: sigma },
    theta,
    reml_criterion: fin.deviance,
    n_obs: nObs,
    n_groups: G,
    singular,
    rank_deficient: rankDeficient,
    dropped_rows: design.droppedRows,
    levels: design.levels,
    messages,
    vcov: toRows(vcov, p),
    varpar: {
      names: ["theta", "sigma"],
      values: [theta, sigma],
      vcov: Avar,
      jacobian: [toRows(dCdTheta, p), toRows(dCdSigma, p)],
    },
  };
  result.fixed = keptNames.map((name, j) => {
    const L = new Array<number>(p).fill(0);
    L[j] = 1;
    return contrastCore(beta, result.vcov, result.varpar, L, level, name);
  });
  assertFinite(result, "result");
  return result;
}

/**
 * Guard for the JSON output: every number must be finite (undefined
 * quantities are null); -0 becomes 0 so that a JSON round trip is exact.
 */
function assertFinite(x: unknown, path: string): void {
  if (Array.isArray(x)) {
    x.forEach((v, i) => {
      if (typeof v === "number") x[i] = checkNumber(v, `${path}[${i}]`);
      else assertFinite(v, `${path}[${i}]`);
    });
  } else if (x !== null && typeof x === "object") {
    const o = x as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === "number") o[k] = checkNumber(v, `${path}.${k}`);
      else assertFinite(v, `${path}.${k}`);
    }
  }
}

function checkNumber(v: number, path: string): number {
  if (!Number.isFinite(v)) throw new Error(`fitLmm: internal error, non-finite value at ${path}`);
  return v === 0 ? 0 : v;
}
