/**
 * Oracle of the fused bootstraps: a generic nonparametric bootstrap over units (participants) for any
 * statistic, and the generic delete-one jackknife. Resample b draws its n indices in order as
 * floor(n * rng.uniform()), i.e. createRng(seed).int(n) -- the draws the shipped fused loop
 * (src/lib/mediation/resample.ts) must reproduce bit for bit.
 */
import { createRng } from "../../src/lib/stats/random.js";
import { finiteSummary } from "../../src/lib/stats/bootstrap.js";

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
  const { valid, sd } = finiteSummary(replicates);
  return { replicates, resamples, seed, valid, se: sd };
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

