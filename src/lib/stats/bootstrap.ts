/**
 * Generic nonparametric bootstrap over units (participants), with percentile and
 * BCa intervals and the delete-one jackknife used for the BCa acceleration.
 *
 * Design for speed (the dashboard re-analysis budget is 50 ms, and this also runs in a
 * Web Worker): one index buffer is allocated and reused for every resample, the statistic
 * receives that buffer and must not keep a reference to it, and replicates are written
 * into one preallocated Float64Array. No per-resample objects are allocated here.
 * (V8 note: the statistic is a new closure on each call of a typical caller, which costs a
 * deoptimisation of this loop during the first few calls; a hot statistic can instead fuse
 * drawing and evaluation in its own loop with the same draw order, as mediation.ts does.)
 *
 * All randomness goes through `createRng(seed)` (src/lib/stats/random.ts). Resample b draws its
 * n indices in order i = 0..n-1 as `floor(n * rng.uniform())`, which is exactly what
 * `rng.int(n)` returns (d3.randomInt(n) is `Math.floor(source() * n)`); `uniform()` is called
 * directly only to avoid constructing a d3.randomInt closure per draw.
 *
 * Quantile definition: all intervals use the sample quantile of Hyndman & Fan (1996) type 7
 * (R's default `quantile(x, p, type = 7)`, also d3.quantile and numpy's default "linear"):
 * with sorted x_(1..B), h = (B - 1) p, Q(p) = x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)),
 * 0-based. Note that `boot::boot.ci` instead interpolates order statistics at (B + 1) p on the
 * normal-quantile scale (`norm.inter`), so its endpoints differ slightly from these.
 */
import { createRng } from "./random.js";
import { normalCdf, normalQuantile } from "./distributions.js";

/** Index buffer handed to statistics: values are unit (participant) indices in [0, n). */
export type IndexArray = Int32Array | Uint32Array;

/** A statistic evaluated on the units listed in `indices` (with repetitions). Return NaN when undefined. */
export type Statistic = (indices: IndexArray) => number;

export interface BootstrapOptions {
  /** Number of resamples B (default 5000). */
  resamples?: number;
  /** Seed for `createRng` (default 1). */
  seed?: number;
  /** Called with (done, total) every `progressEvery` resamples and once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Progress granularity (default 500 resamples). */
  progressEvery?: number;
}

export interface BootstrapResult {
  /**
   * Statistic on each resample, in resample order. Entries are NaN where the statistic was
   * undefined on that resample (e.g. a singular regression); these are kept so that the
   * array stays aligned with the resample order, and are ignored by the summaries below.
   */
  replicates: Float64Array;
  resamples: number;
  seed: number;
  /** Number of finite replicates. */
  valid: number;
  /** Bootstrap standard error: sample SD (divisor B_valid - 1) of the finite replicates; null if < 2. */
  se: number | null;
}

export function bootstrap(n: number, statistic: Statistic, options: BootstrapOptions = {}): BootstrapResult {
  const resamples = options.resamples ?? 5000;
  const seed = options.seed ?? 1;
  const progressEvery = Math.max(1, Math.floor(options.progressEvery ?? 500));
  const onProgress = options.onProgress;
  if (!Number.isInteger(n) || n < 1) throw new Error(`bootstrap: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  }
  const rng = createRng(seed);
  const uniform = rng.uniform;
  const indices = new Int32Array(n);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(uniform() * n); // == rng.int(n)
    replicates[r] = statistic(indices);
    if (onProgress && ((r + 1) % progressEvery === 0 || r + 1 === resamples)) onProgress(r + 1, resamples);
  }
  const { valid, sd } = finiteMeanSd(replicates);
  return { replicates, resamples, seed, valid, se: sd };
}

/**
 * Count and SD of the finite values (the bootstrap SE of a replicate array). Exported for
 * statistic-specific bootstrap loops that fuse resampling and evaluation (see mediation.ts).
 */
export function finiteSummary(values: ArrayLike<number>): { valid: number; mean: number | null; sd: number | null } {
  return finiteMeanSd(values);
}

/**
 * Delete-one jackknife: value i is the statistic on all units except unit i
 * (indices 0..n-1 without i, in order, passed as an Int32Array of length n - 1).
 * Cost is n evaluations of the statistic; statistics that can be updated in O(1)
 * per deletion (sums) should compute their jackknife directly instead.
 */
export function jackknife(n: number, statistic: Statistic): Float64Array {
  if (!Number.isInteger(n) || n < 2) throw new Error(`jackknife: n must be an integer >= 2, got ${n}`);
  const indices = new Int32Array(n - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let j = 0; j < n; j++) if (j !== i) indices[k++] = j;
    out[i] = statistic(indices);
  }
  return out;
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
