/**
 * Exact tests for binary outcomes in clinical-trial designs:
 *
 *  - crossover (paired) designs: the exact McNemar test on the discordant pairs, with the
 *    conditional odds ratio b/c and its exact (Clopper-Pearson based) confidence interval;
 *  - parallel-group designs: Fisher's exact test on the 2x2 arm-by-response table, with the
 *    conditional maximum-likelihood odds ratio and its exact interval exactly as R's
 *    `stats::fisher.test` computes them, plus the sample (cross-product) odds ratio with a Woolf
 *    interval;
 *  - `responseTable`: responders / n / rate per arm.
 *
 * Everything is computed in log space (log-gamma), so tables with a few thousand participants
 * are fine. Values R reports as `Inf` are returned as `Infinity` (note that `JSON.stringify`
 * writes `Infinity` as `null`); values that are undefined (R's `NaN`/`NA`) are returned as `null`.
 *
 * References
 *  - McNemar Q (1947). Note on the sampling error of the difference between correlated proportions
 *    or percentages. Psychometrika 12:153-157.
 *  - Agresti A (2013). Categorical Data Analysis, 3rd ed. Wiley. Sec. 3.5 (Fisher's exact test),
 *    sec. 3.5.7 / 16.6 (conditional ML odds ratio and exact interval), sec. 11.1 (McNemar,
 *    conditional odds ratio b/c for matched pairs), sec. 3.1 (Woolf interval).
 *  - Clopper CJ, Pearson ES (1934). The use of confidence or fiducial limits illustrated in the
 *    case of the binomial. Biometrika 26:404-413.
 *  - R Core Team, `stats::fisher.test` and `stats::binom.test` (R sources; print the functions in R
 *    to read them) and `src/library/stats/src/zeroin.c` (Brent's root finder behind `uniroot`).
 *  - Brent RP (1973). Algorithms for Minimization without Derivatives, ch. 4.
 */

import { normalQuantile } from "./distributions.js";

// ---------------------------------------------------------------------------------------------
// Log-gamma and friends
// ---------------------------------------------------------------------------------------------

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log Gamma(x) for x > 0. For x >= 15 the Stirling (de Moivre) asymptotic series with terms up to
 * z^-13 (Abramowitz & Stegun 6.1.41; truncation error < 1e-19 at z = 15); smaller x are shifted up
 * with Gamma(x) = Gamma(x + k) / (x (x+1) ... (x+k-1)). Absolute error is a few ulps of the result,
 * which is what the hypergeometric and binomial log-probabilities below need.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) {
    if (x === 0) return Infinity;
    throw new RangeError(`logGamma: argument must be positive, got ${x}`);
  }
  if (x === Infinity) return Infinity;
  let z = x;
  let prod = 1;
  while (z < 15) {
    prod *= z;
    z += 1;
  }
  const z2 = 1 / (z * z);
  // Bernoulli-number series B_{2k} / (2k (2k-1) z^{2k-1}), k = 1..7
  const series =
    (1 / z) *
    (1 / 12 +
      z2 *
        (-1 / 360 +
          z2 * (1 / 1260 + z2 * (-1 / 1680 + z2 * (1 / 1188 + z2 * (-691 / 360360 + z2 * (1 / 156)))))));
  const stirling = (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + series;
  return prod === 1 ? stirling : stirling - Math.log(prod);
}

/** log C(n, k) for integers 0 <= k <= n (-Infinity outside that range). */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** log of sum(exp(v)) without overflow; -Infinity for an empty input. */
function logSumExp(v: readonly number[]): number {
  let m = -Infinity;
  for (const x of v) if (x > m) m = x;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** Binomial log-probabilities log P(X = i), i = 0..n, X ~ Bin(n, p). */
function binomialLogPmf(n: number, p: number): number[] {
  const out = new Array<number>(n + 1);
  if (p <= 0 || p >= 1) {
    const at = p <= 0 ? 0 : n;
    for (let i = 0; i <= n; i++) out[i] = i === at ? 0 : -Infinity;
    return out;
  }
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  for (let i = 0; i <= n; i++) out[i] = logChoose(n, i) + i * lp + (n - i) * lq;
  return out;
}

/** P(X <= x) for X ~ Bin(n, p), summed in log space. */
export function binomialCdf(x: number, n: number, p: number): number {
  if (x < 0) return 0;
  if (x >= n) return 1;
  const lp = binomialLogPmf(n, p);
  return Math.min(1, Math.exp(logSumExp(lp.slice(0, Math.floor(x) + 1))));
}

/** P(X >= x) for X ~ Bin(n, p), summed in log space (no 1 - cdf cancellation). */
export function binomialUpper(x: number, n: number, p: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  const lp = binomialLogPmf(n, p);
  return Math.min(1, Math.exp(logSumExp(lp.slice(Math.ceil(x)))));
}

// ---------------------------------------------------------------------------------------------
// Root finding: Brent's method, iteration for iteration as R's uniroot()
// ---------------------------------------------------------------------------------------------

const DBL_EPSILON = 2.220446049250313e-16;
/** R's default `uniroot` tolerance, `.Machine$double.eps^0.25`. */
export const R_UNIROOT_TOL = Math.pow(DBL_EPSILON, 0.25);

export interface RootResult {
  root: number;
  iterations: number;
  /** |c - b| at termination: the width of the final bracket. */
  estim_prec: number;
}

/**
 * Brent's (1973) zero finder, following the same steps as R's `R_zeroin2`
 * (src/library/stats/src/zeroin.c), which `uniroot()` calls with f(lower), f(upper) precomputed.
 * Because the iteration is deterministic, using the same tolerance as R (`R_UNIROOT_TOL`) reproduces
 * R's (approximate) roots to rounding, not just to within `tol`. With `tol = 0` the root is found to
 * a relative precision of about 4 ulps (tol_act = 2 eps |b| + tol / 2).
 */
export function brentZero(
  f: (x: number) => number,
  ax: number,
  bx: number,
  fa: number,
  fb: number,
  tol: number,
  maxit = 1000,
): RootResult {
  let a = ax;
  let b = bx;
  let c = a;
  let fc = fa;
  if (fa === 0) return { root: a, iterations: 0, estim_prec: 0 };
  if (fb === 0) return { root: b, iterations: 0, estim_prec: 0 };
  for (let it = 1; it <= maxit + 1; it++) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // make b the best approximation so far
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * DBL_EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) {
      return { root: b, iterations: it - 1, estim_prec: Math.abs(c - b) };
    }
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      // interpolation: secant when only two distinct points, else inverse quadratic
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qq = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1));
        q = (qq - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) {
        newStep = p / q;
      }
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  throw new Error(`brentZero: no convergence in ${maxit} iterations (bracket width ${Math.abs(c - b)})`);
}

/** R's `uniroot(f, c(lower, upper), tol = tol)$root` (no interval extension). */
export function uniroot(f: (x: number) => number, lower: number, upper: number, tol = R_UNIROOT_TOL): number {
  const fl = f(lower);
  const fu = f(upper);
  if (Number.isNaN(fl) || Number.isNaN(fu)) throw new Error("uniroot: f is NaN at an end point");
  if (Math.sign(fl) * Math.sign(fu) > 0) {
    throw new Error(`uniroot: f() values at end points not of opposite sign (f(${lower}) = ${fl}, f(${upper}) = ${fu})`);
  }
  return brentZero(f, lower, upper, fl, fu, tol).root;
}

// ---------------------------------------------------------------------------------------------
// Exact McNemar test (paired binary outcomes)
// ---------------------------------------------------------------------------------------------

/**
 * Paired 2x2 table of a crossover / within-person comparison:
 *   both    = responder under A and under B
 *   onlyA   = responder under A only   (discordant, "b")
 *   onlyB   = responder under B only   (discordant, "c")
 *   neither = responder under neither
 */
export interface PairedTable {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

export interface McNemarResult {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  /** Complete pairs used. */
  n_pairs: number;
  /** Pairs dropped because one of the two outcomes was missing (array input only). */
  n_incomplete: number;
  /** b = onlyA, c = onlyB. */
  b: number;
  c: number;
  n_discordant: number;
  /** Response rates under A and B (null when there are no pairs). */
  rate_a: number | null;
  rate_b: number | null;
  /** Exact two-sided p: min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2); 1 when b + c = 0. */
  p: number;
  /** Conditional (matched-pairs) odds ratio b / c: Infinity when c = 0 < b, null when b + c = 0. */
  odds_ratio: number | null;
  /** Exact CI for b / c, from the Clopper-Pearson interval for b / (b + c); null when b + c = 0. */
  ci: [number, number] | null;
  conf_level: number;
}

export interface ConfOptions {
  /** Confidence level of the intervals (default 0.95). */
  confLevel?: number;
}

function checkCount(x: number, what: string): void {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative integer, got ${x}`);
}

function checkConfLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`confLevel must be in (0, 1), got ${level}`);
}

/**
 * Clopper-Pearson interval for a binomial proportion x / n, as `binom.test(x, n)$conf.int`:
 * lower = qbeta(alpha/2, x, n-x+1), upper = qbeta(1-alpha/2, x+1, n-x) (0 / 1 at the boundaries).
 * Computed through the equivalent binomial tails (Clopper & Pearson 1934):
 * lower solves P(X >= x | p) = alpha/2, upper solves P(X <= x | p) = alpha/2, each by Brent's
 * method to machine precision.
 */
export function clopperPearson(x: number, n: number, confLevel = 0.95): [number, number] {
  checkCount(x, "x");
  checkCount(n, "n");
  if (n < 1 || x > n) throw new RangeError(`clopperPearson: need 0 <= x <= n, n >= 1 (x = ${x}, n = ${n})`);
  checkConfLevel(confLevel);
  const alpha = (1 - confLevel) / 2;
  let lower = 0;
  let upper = 1;
  if (x > 0) {
    const f = (p: number) => binomialUpper(x, n, p) - alpha;
    lower = brentZero(f, 0, 1, -alpha, 1 - alpha, 0).root;
  }
  if (x < n) {
    const f = (p: number) => binomialCdf(x, n, p) - alpha;
    upper = brentZero(f, 0, 1, 1 - alpha, -alpha, 0).root;
  }
  return [lower, upper];
}

/**
 * Exact McNemar test (McNemar 1947; Agresti 2013, sec. 11.1.4). Under H0 (marginal homogeneity)
 * the b discordant pairs "A only" out of the b + c discordant pairs are Bin(b + c, 1/2), so the
 * two-sided p-value is p = min(1, 2 P(X <= min(b, c))), identical to `binom.test(b, b + c)$p.value`
 * and `exact2x2::mcnemar.exact`. The conditional odds ratio of the matched-pairs logit model is
 * b / c (Agresti 2013, sec. 11.2.3); its exact interval maps the Clopper-Pearson interval
 * [pL, pU] for pi = b / (b + c) through pi / (1 - pi).
 */
export function mcnemarExact(table: PairedTable, options?: ConfOptions): McNemarResult;
export function mcnemarExact(
  a: readonly (boolean | null | undefined)[],
  b: readonly (boolean | null | undefined)[],
  options?: ConfOptions,
): McNemarResult;
export function mcnemarExact(
  first: PairedTable | readonly (boolean | null | undefined)[],
  second?: readonly (boolean | null | undefined)[] | ConfOptions,
  third?: ConfOptions,
): McNemarResult {
  let table: PairedTable;
  let incomplete = 0;
  let options: ConfOptions | undefined;
  if (Array.isArray(first)) {
    if (!Array.isArray(second)) throw new TypeError("mcnemarExact: give two boolean arrays or one paired table");
    const a = first as readonly (boolean | null | undefined)[];
    const bArr = second as readonly (boolean | null | undefined)[];
    table = pairedTable(a, bArr);
    incomplete = a.length - (table.both + table.onlyA + table.onlyB + table.neither);
    options = third;
  } else {
    table = first as PairedTable;
    options = second as ConfOptions | undefined;
  }
  const confLevel = options?.confLevel ?? 0.95;
  checkConfLevel(confLevel);
  const { both, onlyA, onlyB, neither } = table;
  checkCount(both, "both");
  checkCount(onlyA, "onlyA");
  checkCount(onlyB, "onlyB");
  checkCount(neither, "neither");
  const nPairs = both + onlyA + onlyB + neither;
  const b = onlyA;
  const c = onlyB;
  const nd = b + c;
  let p = 1;
  let oddsRatio: number | null = null;
  let ci: [number, number] | null = null;
  if (nd > 0) {
    p = Math.min(1, 2 * binomialCdf(Math.min(b, c), nd, 0.5));
    oddsRatio = c === 0 ? Infinity : b / c;
    const [pl, pu] = clopperPearson(b, nd, confLevel);
    ci = [pl / (1 - pl), pu === 1 ? Infinity : pu / (1 - pu)];
  }
  return {
    both,
    onlyA,
    onlyB,
    neither,
    n_pairs: nPairs,
    n_incomplete: incomplete,
    b,
    c,
    n_discordant: nd,
    rate_a: nPairs > 0 ? (both + onlyA) / nPairs : null,
    rate_b: nPairs > 0 ? (both + onlyB) / nPairs : null,
    p,
    odds_ratio: oddsRatio,
    ci,
    conf_level: confLevel,
  };
}

/** Cross-tabulate two paired boolean outcome arrays; pairs with a missing outcome are skipped. */
export function pairedTable(
  a: readonly (boolean | null | undefined)[],
  b: readonly (boolean | null | undefined)[],
): PairedTable {
  if (a.length !== b.length) throw new RangeError(`pairedTable: arrays differ in length (${a.length} vs ${b.length})`);
  const t: PairedTable = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x !== "boolean" || typeof y !== "boolean") continue;
    if (x && y) t.both++;
    else if (x) t.onlyA++;
    else if (y) t.onlyB++;
    else t.neither++;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Fisher's exact test (2 x 2)
// ---------------------------------------------------------------------------------------------

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
    let max = -Infinity;
    for (const v of d) if (v > max) max = v;
    let s = 0;
    for (let i = 0; i < d.length; i++) {
      d[i] = Math.exp(d[i] - max);
      s += d[i];
    }
    for (let i = 0; i < d.length; i++) d[i] /= s;
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

// ---------------------------------------------------------------------------------------------
// Response rates per arm
// ---------------------------------------------------------------------------------------------

export interface ResponseRow {
  arm: string;
  /** null / undefined = outcome missing (not counted). */
  responder: boolean | null | undefined;
}

export interface ResponseRate {
  arm: string;
  responders: number;
  /** Participants of the arm with a known outcome. */
  n: number;
  /** responders / n, null when n = 0. */
  rate: number | null;
  /** Participants of the arm with a missing outcome (not in n). */
  missing: number;
}

/**
 * Responders, n and response rate of two arms, in the order given. Rows of other arms are ignored;
 * rows with a missing outcome are counted in `missing` only.
 */
export function responseTable(rows: readonly ResponseRow[], arms: readonly [string, string]): ResponseRate[] {
  if (arms[0] === arms[1]) throw new RangeError(`responseTable: the two arms must differ (got "${arms[0]}" twice)`);
  return arms.map((arm) => {
    let responders = 0;
    let n = 0;
    let missing = 0;
    for (const r of rows) {
      if (r.arm !== arm) continue;
      if (typeof r.responder !== "boolean") missing++;
      else {
        n++;
        if (r.responder) responders++;
      }
    }
    return { arm, responders, n, rate: n > 0 ? responders / n : null, missing };
  });
}

/**
 * The 2x2 table [[responders_1, non-responders_1], [responders_2, non-responders_2]] of a
 * `responseTable` result, ready for `fisherExact` (odds ratio = odds of response, arm 1 vs arm 2).
 */
export function responseMatrix(rates: readonly ResponseRate[]): [[number, number], [number, number]] {
  if (rates.length !== 2) throw new RangeError(`responseMatrix: need exactly two arms, got ${rates.length}`);
  const [r1, r2] = rates;
  return [
    [r1.responders, r1.n - r1.responders],
    [r2.responders, r2.n - r2.responders],
  ];
}
