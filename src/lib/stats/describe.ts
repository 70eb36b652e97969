/**
 * Descriptive statistics of a sample: mean, sample standard deviation (divisor n - 1) and standard error
 * of the mean. The one definition the summaries of the kit use (learning rates, updates, trial outcomes,
 * the paired t-test). Sums run left to right from 0, so results are reproducible to the bit.
 */

/** Arithmetic mean; NaN for an empty sample. */
export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample standard deviation (divisor n - 1) about a given mean; null below two values. */
export function sampleSd(xs: readonly number[], m = mean(xs)): number | null {
  if (xs.length < 2) return null;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Mean and standard error of the mean (sd / sqrt(n); null below two values). */
export function meanSem(xs: readonly number[]): { mean: number; sem: number | null } {
  const m = mean(xs);
  const sd = sampleSd(xs, m);
  return { mean: m, sem: sd === null ? null : sd / Math.sqrt(xs.length) };
}

/** Pearson correlation (null without spread or with fewer than 3 pairs). */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 3) return null;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (!(sxx > 1e-24 * n) || !(syy > 1e-24 * n)) return null;
  return sxy / Math.sqrt(sxx * syy);
}
