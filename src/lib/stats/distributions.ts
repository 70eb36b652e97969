/**
 * Thin wrappers over the @stdlib distribution packages, so the rest of the kit
 * imports one module for p-values and quantiles. The functions come from one pre-bundled
 * module (src/vendor/stdlib-dists.js, made by `npm run vendor` from the installed @stdlib
 * packages) because the browser otherwise fetches ~150 tiny @stdlib modules one by one.
 */
import { fcdf, ncdf, nquantile, tcdf, tquantile } from "../../vendor/stdlib-dists.js";

/** Two-sided p-value of a t statistic with df degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  return 2 * tcdf(-Math.abs(t), df);
}

export function tQuantile(p: number, df: number): number {
  return tquantile(p, df);
}

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return ncdf(x, 0, 1);
}

/** Standard normal quantile. */
export function normalQuantile(p: number): number {
  return nquantile(p, 0, 1);
}

/** Two-sided p-value of a z statistic. */
export function zTwoSidedP(z: number): number {
  return 2 * ncdf(-Math.abs(z), 0, 1);
}

/**
 * Upper-tail p-value of an F statistic, without the cancellation of 1 - cdf:
 * P(F(d1, d2) > f) = P(F(d2, d1) < 1/f).
 */
export function fUpperP(f: number, df1: number, df2: number): number {
  if (!(f > 0)) return 1;
  return fcdf(1 / f, df2, df1);
}

/**
 * Probabilities from log weights into out (out may be the input): out_k = exp(x_k - max) / sum_j exp(x_j - max),
 * the softmax with the maximum subtracted so that nothing overflows. By hand: three lines, in place, where
 * @stdlib has no softmax.
 */
export function softmaxInto(x: ArrayLike<number>, out: { [k: number]: number; length: number }): void {
  let max = -Infinity;
  for (let k = 0; k < x.length; k++) if (x[k] > max) max = x[k];
  let s = 0;
  for (let k = 0; k < x.length; k++) {
    out[k] = Math.exp(x[k] - max);
    s += out[k];
  }
  for (let k = 0; k < x.length; k++) out[k] /= s;
}
