/**
 * Fisher's exact test on a 2x2 table, with the conditional maximum-likelihood odds ratio and its exact
 * interval exactly as R's `stats::fisher.test` computes them, and the sample odds ratio with a Woolf interval.
 *
 *  - Agresti A (2013). Categorical Data Analysis, 3rd ed. Wiley. Sec. 3.5, 3.5.7 / 16.6, 3.1.
 *  - R Core Team, `stats::fisher.test` (R sources).
 */
import { normalQuantile, softmaxInto } from "./distributions.js";
import { checkConfLevel, checkCount, logChoose, type ConfOptions } from "./binomial.js";
import { DBL_EPSILON, R_UNIROOT_TOL, uniroot } from "./roots.js";


/**
 * A 2x2 table [[a, b], [c, d]] in R's `matrix(c(a, c, b, d), 2)` layout: rows are groups
 * (e.g. treatment, control), columns outcomes (e.g. responder, non-responder). The odds ratio is
 * (a d) / (b c): odds of the first outcome in the first row over the second row.
 */
export type Table2x2 = readonly [readonly [number, number], readonly [number, number]];

export interface FisherOptions extends ConfOptions {
  /**
   * Absolute tolerance for the root finding of the conditional MLE and its interval. Default: R's
   * `uniroot` tolerance (.Machine$double.eps^0.25 = 1.22e-4), with R's exact bracketing and
   * iteration, so the numbers are those `fisher.test` prints. R's roots are therefore only
   * accurate to roughly 1e-4 on the root scale (t or 1/t); pass 0 for machine-precision roots.
   */
  rootTolerance?: number;
}

export interface FisherResult {
  table: [[number, number], [number, number]];
  n: number;
  /** Two-sided p-value (R's definition, see `fisherExact`). */
  p: number;
  /** Conditional maximum-likelihood odds ratio and exact interval, as `fisher.test`. */
  conditional_or: {
    /** 0 / Infinity when the observed a is at the bottom / top of its support; null when the support is a single table. */
    estimate: number | null;
    ci: [number, number];
  };
  /** Sample (cross-product) odds ratio a d / (b c) with the Woolf (log) interval. */
  sample_or: {
    estimate: number;
    ci: [number, number];
    /** Log-OR standard error sqrt(1/a + 1/b + 1/c + 1/d) (of the corrected table if corrected). */
    se_log: number;
    /** True when a cell was 0 and 0.5 was added to every cell (Haldane-Anscombe). */
    corrected: boolean;
  };
  conf_level: number;
}

/** The noncentral hypergeometric distribution of the (1,1) cell given all margins. */
class NoncentralHypergeometric {
  readonly lo: number;
  readonly hi: number;
  readonly support: number[];
  private readonly logdc: number[];

  /** m = first-column total, n = second-column total, k = first-row total (R's notation). */
  constructor(m: number, n: number, k: number) {
    this.lo = Math.max(0, k - n);
    this.hi = Math.min(k, m);
    this.support = [];
    this.logdc = [];
    // log dhyper(x; m, n, k) = log C(m, x) + log C(n, k - x) - log C(m + n, k)
    const lTotal = logChoose(m + n, k);
    for (let x = this.lo; x <= this.hi; x++) {
      this.support.push(x);
      this.logdc.push(logChoose(m, x) + logChoose(n, k - x) - lTotal);
    }
  }

  /** Probabilities at odds ratio ncp (0 < ncp < Inf), normalised: R's dnhyper(). */
  density(ncp: number): number[] {
    const lncp = Math.log(ncp);
    const d = this.logdc.map((l, i) => l + lncp * this.support[i]);
    softmaxInto(d, d);
    return d;
  }

  /** E[X] at odds ratio ncp: R's mnhyper(). */
  mean(ncp: number): number {
    if (ncp === 0) return this.lo;
    if (ncp === Infinity) return this.hi;
    const d = this.density(ncp);
    let s = 0;
    for (let i = 0; i < d.length; i++) s += this.support[i] * d[i];
    return s;
  }

  /** P(X <= q) (or P(X >= q) when upper) at odds ratio ncp: R's pnhyper(). */
  cdf(q: number, ncp: number, upper = false): number {
    if (ncp === 0) return upper ? Number(q <= this.lo) : Number(q >= this.lo);
    if (ncp === Infinity) return upper ? Number(q <= this.hi) : Number(q >= this.hi);
    const d = this.density(ncp);
    let s = 0;
    for (let i = 0; i < d.length; i++) {
      const x = this.support[i];
      if (upper ? x >= q : x <= q) s += d[i];
    }
    return s;
  }
}

/**
 * Fisher's exact test for a 2x2 table (Agresti 2013, sec. 3.5), reproducing `stats::fisher.test`:
 *
 *  - Given all margins the (1,1) cell X is hypergeometric under H0 (and noncentral hypergeometric
 *    with parameter psi = the odds ratio in general: P(X = x) proportional to
 *    C(m, x) C(n, k - x) psi^x, x in [max(0, k - n), min(k, m)]).
 *  - Two-sided p-value: sum of P(X = x) over the tables with P(X = x) <= P(X = x_obs) (1 + 1e-7)
 *    (R's relative tolerance for ties).
 *  - Conditional MLE: the psi solving E_psi[X] = x_obs (0 if x_obs is the minimum of the support,
 *    Inf if the maximum); exact interval (Cornfield 1956): lower psi_L solves P_psi(X >= x_obs) =
 *    alpha/2, upper psi_U solves P_psi(X <= x_obs) = alpha/2. As in R the roots are found in (0, 1)
 *    on psi when the target is below psi = 1, otherwise on 1/psi in (eps, 1).
 *  - Sample odds ratio a d / (b c) with Woolf's interval exp(log OR +- z sqrt(1/a + 1/b + 1/c + 1/d))
 *    (Agresti 2013, eq. 3.2). Only when a cell is 0, 0.5 is added to all four cells for both the
 *    estimate and the interval (Haldane 1956 / Anscombe 1956); `sample_or.corrected` says so.
 *
 * Log-space probabilities (log-gamma) keep tables with thousands of participants exact.
 * Deviation from R: when the margins allow only one table (a whole row or column is empty) R
 * reports a conditional odds ratio of 0; here the estimate is null (the interval is [0, Inf] in both).
 */
export function fisherExact(table: Table2x2, options: FisherOptions = {}): FisherResult {
  const confLevel = options.confLevel ?? 0.95;
  checkConfLevel(confLevel);
  const tol = options.rootTolerance ?? R_UNIROOT_TOL;
  if (!(tol >= 0)) throw new RangeError(`rootTolerance must be >= 0, got ${tol}`);
  const [[a, b], [c, d]] = table;
  checkCount(a, "table[0][0]");
  checkCount(b, "table[0][1]");
  checkCount(c, "table[1][0]");
  checkCount(d, "table[1][1]");
  const m = a + c;
  const n = b + d;
  const k = a + b;
  const x = a;
  const h = new NoncentralHypergeometric(m, n, k);
  const { lo, hi } = h;

  // --- p-value (or = 1)
  const d1 = h.density(1);
  const dObs = d1[x - lo];
  const relErr = 1 + 1e-7;
  let p = 0;
  for (const v of d1) if (v <= dObs * relErr) p += v;
  p = Math.min(1, p);

  // --- conditional MLE
  let estimate: number | null;
  if (lo === hi) estimate = null;
  else if (x === lo) estimate = 0;
  else if (x === hi) estimate = Infinity;
  else {
    const mu = h.mean(1);
    if (mu > x) estimate = uniroot((t) => h.mean(t) - x, 0, 1, tol);
    else if (mu < x) estimate = 1 / uniroot((t) => h.mean(1 / t) - x, DBL_EPSILON, 1, tol);
    else estimate = 1;
  }

  // --- exact interval
  const alpha = (1 - confLevel) / 2;
  const ncpU = (): number => {
    if (x === hi) return Infinity;
    const p1 = h.cdf(x, 1);
    if (p1 < alpha) return uniroot((t) => h.cdf(x, t) - alpha, 0, 1, tol);
    if (p1 > alpha) return 1 / uniroot((t) => h.cdf(x, 1 / t) - alpha, DBL_EPSILON, 1, tol);
    return 1;
  };
  const ncpL = (): number => {
    if (x === lo) return 0;
    const p1 = h.cdf(x, 1, true);
    if (p1 > alpha) return uniroot((t) => h.cdf(x, t, true) - alpha, 0, 1, tol);
    if (p1 < alpha) return 1 / uniroot((t) => h.cdf(x, 1 / t, true) - alpha, DBL_EPSILON, 1, tol);
    return 1;
  };
  const ci: [number, number] = [ncpL(), ncpU()];

  // --- sample odds ratio, Woolf interval
  const corrected = a === 0 || b === 0 || c === 0 || d === 0;
  const [aa, bb, cc, dd] = corrected ? [a + 0.5, b + 0.5, c + 0.5, d + 0.5] : [a, b, c, d];
  const logOr = Math.log(aa) + Math.log(dd) - Math.log(bb) - Math.log(cc);
  const seLog = Math.sqrt(1 / aa + 1 / bb + 1 / cc + 1 / dd);
  const z = normalQuantile(1 - alpha);

  return {
    table: [
      [a, b],
      [c, d],
    ],
    n: a + b + c + d,
    p,
    conditional_or: { estimate, ci },
    sample_or: {
      estimate: Math.exp(logOr),
      ci: [Math.exp(logOr - z * seLog), Math.exp(logOr + z * seLog)],
      se_log: seLog,
      corrected,
    },
    conf_level: confLevel,
  };
}

