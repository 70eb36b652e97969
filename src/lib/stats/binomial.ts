/**
 * Binomial probabilities in log space (log-gamma), and the exact Clopper-Pearson interval of a proportion.
 *
 *  - Clopper CJ, Pearson ES (1934). The use of confidence or fiducial limits illustrated in the
 *    case of the binomial. Biometrika 26:404-413.
 *  - R Core Team, `stats::binom.test` (R sources).
 */
import { brentZero } from "./roots.js";

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
export interface ConfOptions {
  /** Confidence level of the intervals (default 0.95). */
  confLevel?: number;
}

export function checkCount(x: number, what: string): void {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative integer, got ${x}`);
}

export function checkConfLevel(level: number): void {
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

