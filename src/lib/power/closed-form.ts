/**
 * Closed-form power of t tests, for the cases where simulation is not needed and to check it:
 * the noncentral t distribution and R's `power.t.test` (stats package).
 *
 * The noncentral t with df ν and noncentrality δ is T = (Z + δ) / √(V/ν), Z ~ N(0, 1), V ~ χ²_ν. Its
 * upper tail is one integral over S = √(V/ν):
 *   P(T > q) = ∫ Φ(δ − q s) f_S(s) ds,   f_S(s) = 2ν s · f_χ²ν(ν s²),
 * computed by Simpson's rule on 4,000 intervals over the range where f_S is not negligible
 * (1 ± 12/√ν, cut at 0), in log space. Agrees with R's pt(q, df, ncp) to 1e-9 on the committed grid
 * (test/fixtures/power/ttest_reference.json). @stdlib has no noncentral t, so the vendored bundle is not
 * extended: only the normal CDF, the t quantile and log Γ are needed, and the kit has them.
 */
import { normalCdf, tQuantile } from "../stats/distributions.js";
import { logGamma } from "../stats/binomial.js";

/** P(T > q) for T noncentral t with `df` degrees of freedom and noncentrality `ncp`. */
export function noncentralTUpper(q: number, df: number, ncp: number): number {
  if (!(df > 0)) throw new RangeError(`noncentralTUpper: df must be positive, got ${df}`);
  const w = 12 / Math.sqrt(df);
  const lo = Math.max(0, 1 - w);
  const hi = 1 + w * (1 + 2 / df);
  const steps = 4000;
  const h = (hi - lo) / steps;
  const logC = Math.log(2 * df) - (df / 2) * Math.LN2 - logGamma(df / 2);
  const f = (s: number): number => {
    if (s <= 0) s = 1e-12;
    const v = df * s * s;
    const logDensity = logC + Math.log(s) + (df / 2 - 1) * Math.log(v) - v / 2;
    return Math.exp(logDensity) * normalCdf(ncp - q * s);
  };
  let sum = f(lo) + f(hi);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * f(lo + i * h);
  return Math.min(1, Math.max(0, (sum * h) / 3));
}

export interface TTestPowerInput {
  /** Pairs (paired), observations (one-sample) or observations per group (two-sample). */
  n: number;
  /** True mean difference. */
  delta: number;
  /** SD of the differences (paired, one-sample) or within groups (two-sample). */
  sd: number;
  alpha?: number;
  type?: "paired" | "one.sample" | "two.sample";
  /** Count both tails (R's strict = TRUE); default false, as power.t.test. */
  strict?: boolean;
}

/** R's power.t.test(n, delta, sd, sig.level, type, alternative = "two.sided", strict). */
export function powerTTest(input: TTestPowerInput): number {
  const { n, delta, sd, alpha = 0.05, type = "paired", strict = false } = input;
  const tsample = type === "two.sample" ? 2 : 1;
  const df = (n - 1) * tsample;
  const ncp = Math.sqrt(n / tsample) * (Math.abs(delta) / sd);
  const q = tQuantile(1 - alpha / 2, df);
  let p = noncentralTUpper(q, df, ncp);
  if (strict) p += 1 - noncentralTUpper(-q, df, ncp);
  return p;
}
