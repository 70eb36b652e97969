/**
 * The profiled REML criterion of a model with one random intercept and its derivatives in closed form
 * (Bates et al. 2015, eq. 42; see index.ts for the per-group closed forms), and its optimisation over theta.
 */
import { brentZero } from "../stats/roots.js";
import { lowerInverseGramInto, squareProduct } from "../stats/linalg.js";

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
    lowerInverseGramInto(L, q, p, Li, Minv);
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
    const P = squareProduct(Minv, MU, p);
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
      const theta = brentZero(deriv, lo, hi, flo, fhi, 0).root;
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

