/**
 * Summaries of bootstrap replicates: the bootstrap SE, percentile and BCa intervals (Efron 1987) with
 * the jackknife acceleration. The resampling itself is fused into each statistic's own loop (see
 * src/lib/mediation/resample.ts, whose draws are those of createRng(seed).int(n)); a generic
 * bootstrap over any statistic is its test oracle (test/oracles/bootstrap.ts).
 *
 * Quantile definition: all intervals use the sample quantile of Hyndman & Fan (1996) type 7
 * (R's default `quantile(x, p, type = 7)`, also d3.quantile and numpy's default "linear"):
 * with sorted x_(1..B), h = (B - 1) p, Q(p) = x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)),
 * 0-based. Note that `boot::boot.ci` instead interpolates order statistics at (B + 1) p on the
 * normal-quantile scale (`norm.inter`), so its endpoints differ slightly from these.
 */
import { normalCdf, normalQuantile } from "./distributions.js";

/** Count, mean and SD (divisor valid - 1) of the finite values: the bootstrap SE of a replicate array. */
export function finiteSummary(values: ArrayLike<number>): { valid: number; mean: number | null; sd: number | null } {
  return finiteMeanSd(values);
}

/** Ascending sorted copy of the finite values (NaN/±Infinity dropped). */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) count++;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[k++] = values[i];
  out.sort();
  return out;
}

function finiteMeanSd(values: ArrayLike<number>): { valid: number; mean: number | null; sd: number | null } {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  // Welford's algorithm (numerically stable one pass).
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
  }
  return { valid: count, mean: count > 0 ? mean : null, sd: count > 1 ? Math.sqrt(m2 / (count - 1)) : null };
}

/** Type-7 quantile (see module comment) of an ascending-sorted array without NaN. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const len = sorted.length;
  if (len === 0) return NaN;
  if (p <= 0) return sorted[0];
  if (p >= 1) return sorted[len - 1];
  const h = (len - 1) * p;
  const lo = Math.floor(h);
  const frac = h - lo;
  const x0 = sorted[lo];
  return lo + 1 < len && frac > 0 ? x0 + frac * (sorted[lo + 1] - x0) : x0;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new Error(`interval level must be in (0, 1), got ${level}`);
}

/**
 * Percentile interval [Q(α/2), Q(1 − α/2)] with α = 1 − level (Efron & Tibshirani 1993, §13.3),
 * type-7 quantiles of the finite replicates. Null if there are no finite replicates.
 */
export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): [number, number] | null {
  return percentileIntervalSorted(sortedFinite(replicates), level);
}

/** `percentileInterval` for replicates already passed through `sortedFinite` (avoids re-sorting). */
export function percentileIntervalSorted(sorted: ArrayLike<number>, level = 0.95): [number, number] | null {
  checkLevel(level);
  if (sorted.length === 0) return null;
  const alpha = (1 - level) / 2;
  return [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)];
}

export interface BcaParameters {
  /** Bias correction ẑ0 (null when undefined: all replicates on one side of the estimate). */
  z0: number | null;
  /** Acceleration â from the jackknife (null when a jackknife value is not finite). */
  acceleration: number | null;
  /** Adjusted percentile levels (α1, α2) at which the replicates are read off. */
  probabilities: [number, number] | null;
  interval: [number, number] | null;
}

/**
 * BCa interval, "BCa (Efron, jackknife acceleration)": Efron (1987, JASA 82:171–185);
 * Efron & Tibshirani (1993) An Introduction to the Bootstrap, §14.3, eqs. 14.9–14.15:
 *
 *   ẑ0 = Φ⁻¹( #{θ*_b < θ̂} / B )                                      (14.14)
 *   â  = Σ_i (θ̄(·) − θ(i))³ / ( 6 [ Σ_i (θ̄(·) − θ(i))² ]^{3/2} ),    (14.15)
 *        θ(i) the delete-i jackknife values, θ̄(·) their mean
 *   α1 = Φ( ẑ0 + (ẑ0 + z(α/2)) / (1 − â (ẑ0 + z(α/2))) )
 *   α2 = Φ( ẑ0 + (ẑ0 + z(1−α/2)) / (1 − â (ẑ0 + z(1−α/2))) )           (14.10)
 *   interval = [ Q(α1), Q(α2) ] of the replicates (type-7 quantiles, as the percentile interval).
 *
 * Ties: replicates equal to θ̂ count one half (mid-rank), i.e.
 * ẑ0 = Φ⁻¹( (#{θ* < θ̂} + ½ #{θ* = θ̂}) / B ), so that ties do not push ẑ0 one way;
 * without ties this is Efron's formula. (boot::boot.ci counts ties as "not less".)
 * "Equal" means |θ* − θ̂| ≤ 1e-10 · max(|θ̂|, |min θ*|, |max θ*|): e.g. a resample that is a
 * permutation of the sample gives θ̂ up to rounding, which would otherwise count as a random side.
 * B counts finite replicates only. If the proportion is 0 or 1, ẑ0 is infinite and the
 * interval is null; if Σ(θ̄ − θ(i))² = 0 the acceleration is taken as 0; if a denominator
 * 1 − â(ẑ0 + z) is ≤ 0 the interval is null.
 *
 * With ẑ0 = 0 and â = 0, α1 = α/2 and α2 = 1 − α/2, and BCa equals the percentile interval.
 *
 * Differences from `boot::boot.ci(type = "bca", L = empinf(type = "jack"))` (R package boot):
 * its influence values are L_i = (n − 1)(θ̂ − θ(i)), centred at θ̂ rather than at θ̄(·), so its
 * â differs slightly from Efron's; it counts ties as "not below"; and it reads the endpoints off
 * with `norm.inter` rather than type-7 quantiles.
 */
export function bcaParameters(
  replicates: ArrayLike<number>,
  estimate: number,
  jackknifeValues: ArrayLike<number>,
  level = 0.95,
): BcaParameters {
  return bcaParametersSorted(sortedFinite(replicates), estimate, jackknifeValues, level);
}

/** `bcaParameters` for replicates already passed through `sortedFinite` (avoids re-sorting). */
export function bcaParametersSorted(
  sorted: ArrayLike<number>,
  estimate: number,
  jackknifeValues: ArrayLike<number>,
  level = 0.95,
): BcaParameters {
  checkLevel(level);
  const B = sorted.length;
  const acceleration = jackknifeAcceleration(jackknifeValues);
  if (B === 0 || !Number.isFinite(estimate)) return { z0: null, acceleration, probabilities: null, interval: null };
  // Ties within a relative tolerance: a resample that is a permutation of the original sample
  // reproduces θ̂ only up to rounding (sums accumulate in a different order).
  const tol = TIE_TOL * Math.max(Math.abs(estimate), Math.abs(sorted[0]), Math.abs(sorted[B - 1]));
  let below = 0;
  let ties = 0;
  for (let i = 0; i < B; i++) {
    if (sorted[i] < estimate - tol) below++;
    else if (sorted[i] <= estimate + tol) ties++;
    else break;
  }
  const prop = (below + 0.5 * ties) / B;
  if (!(prop > 0 && prop < 1)) return { z0: null, acceleration, probabilities: null, interval: null };
  const z0 = normalQuantile(prop);
  if (acceleration === null) return { z0, acceleration, probabilities: null, interval: null };
  const alpha = (1 - level) / 2;
  const adjust = (z: number): number | null => {
    const s = z0 + z;
    const denom = 1 - acceleration * s;
    if (!(denom > 0)) return null;
    return normalCdf(z0 + s / denom);
  };
  const p1 = adjust(normalQuantile(alpha));
  const p2 = adjust(normalQuantile(1 - alpha));
  if (p1 === null || p2 === null) return { z0, acceleration, probabilities: null, interval: null };
  return {
    z0,
    acceleration,
    probabilities: [p1, p2],
    interval: [quantileSorted(sorted, p1), quantileSorted(sorted, p2)],
  };
}

/** Relative tolerance for ties with the estimate in ẑ0 (see `bcaParameters`). */
const TIE_TOL = 1e-10;

/** Jackknife acceleration â (Efron & Tibshirani 1993, eq. 14.15); null if any value is not finite. */
export function jackknifeAcceleration(jackknifeValues: ArrayLike<number>): number | null {
  const n = jackknifeValues.length;
  if (n === 0) return null;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const v = jackknifeValues[i];
    if (!Number.isFinite(v)) return null;
    mean += v;
  }
  mean /= n;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < n; i++) {
    const d = mean - jackknifeValues[i];
    s2 += d * d;
    s3 += d * d * d;
  }
  if (s2 === 0) return 0;
  return s3 / (6 * Math.pow(s2, 1.5));
}

/** BCa interval (see `bcaParameters`); null when undefined. */
export function bcaInterval(
  replicates: ArrayLike<number>,
  estimate: number,
  jackknifeValues: ArrayLike<number>,
  level = 0.95,
): [number, number] | null {
  return bcaParameters(replicates, estimate, jackknifeValues, level).interval;
}
