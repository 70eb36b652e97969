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
