import { describe, expect, it } from "vitest";
import { bcaInterval, bcaParameters, jackknifeAcceleration, percentileInterval, quantileSorted } from "../../../src/lib/stats/bootstrap.js";
import { bootstrap, jackknife, type IndexArray } from "../../oracles/bootstrap.js";
import { createRng } from "../../../src/lib/stats/random.js";
import { normalCdf, normalQuantile } from "../../../src/lib/stats/distributions.js";

function meanStatistic(data: Float64Array) {
  return (idx: IndexArray): number => {
    let s = 0;
    for (let k = 0; k < idx.length; k++) s += data[idx[k]];
    return s / idx.length;
  };
}

function normalSample(n: number, seed: number, mean = 0, sd = 1): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal(mean, sd);
  return out;
}

describe("bootstrap", () => {
  const data = normalSample(30, 5, 10, 2);

  it("is deterministic for a seed and differs between seeds", () => {
    const r1 = bootstrap(data.length, meanStatistic(data), { resamples: 300, seed: 42 });
    const r2 = bootstrap(data.length, meanStatistic(data), { resamples: 300, seed: 42 });
    const r3 = bootstrap(data.length, meanStatistic(data), { resamples: 300, seed: 43 });
    expect(Array.from(r1.replicates)).toEqual(Array.from(r2.replicates));
    expect(Array.from(r1.replicates)).not.toEqual(Array.from(r3.replicates));
    expect(r1.replicates).toBeInstanceOf(Float64Array);
    expect(r1.resamples).toBe(300);
    expect(r1.seed).toBe(42);
    expect(r1.valid).toBe(300);
  });

  it("draws indices exactly as rng.int(n), resample by resample, into one reused buffer", () => {
    const n = 7;
    const seen: number[][] = [];
    const buffers = new Set<IndexArray>();
    bootstrap(
      n,
      (idx) => {
        buffers.add(idx);
        seen.push(Array.from(idx));
        return 0;
      },
      { resamples: 20, seed: 9 },
    );
    expect(buffers.size).toBe(1);
    const rng = createRng(9);
    for (const row of seen) {
      expect(row).toHaveLength(n);
      for (const i of row) expect(i).toBe(rng.int(n));
    }
  });

  it("defaults to 5000 resamples and seed 1", () => {
    const r = bootstrap(5, () => 1);
    expect(r.resamples).toBe(5000);
    expect(r.seed).toBe(1);
    expect(r.se).toBe(0);
  });

  it("bootstrap SE and percentile interval of a mean match the normal theory on a large sample", () => {
    const n = 2000;
    const x = normalSample(n, 11, 0, 1);
    let m = 0;
    for (const v of x) m += v;
    m /= n;
    let ss = 0;
    for (const v of x) ss += (v - m) ** 2;
    const seTheory = Math.sqrt(ss / n) / Math.sqrt(n); // plug-in SE of the mean
    const r = bootstrap(n, meanStatistic(x), { resamples: 4000, seed: 3 });
    expect(r.se!).toBeGreaterThan(seTheory * 0.95);
    expect(r.se!).toBeLessThan(seTheory * 1.05);
    const [lo, hi] = percentileInterval(r.replicates, 0.95)!;
    const z = normalQuantile(0.975);
    expect(lo).toBeCloseTo(m - z * seTheory, 2);
    expect(hi).toBeCloseTo(m + z * seTheory, 2);
  });

  it("reports progress every 500 resamples and at the end", () => {
    const calls: [number, number][] = [];
    bootstrap(5, () => 0, { resamples: 1234, seed: 1, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([
      [500, 1234],
      [1000, 1234],
      [1234, 1234],
    ]);
    const calls2: number[] = [];
    bootstrap(5, () => 0, { resamples: 5000, onProgress: (d) => calls2.push(d) });
    expect(calls2).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
  });

  it("keeps NaN replicates aligned and ignores them in summaries", () => {
    let k = 0;
    const r = bootstrap(3, () => (k++ % 2 === 0 ? NaN : k), { resamples: 10 });
    expect(r.valid).toBe(5);
    expect(Number.isNaN(r.replicates[0])).toBe(true);
    expect(percentileInterval(r.replicates, 0.5)).toEqual(percentileInterval([2, 4, 6, 8, 10], 0.5));
  });

  it("rejects invalid arguments", () => {
    expect(() => bootstrap(0, () => 0)).toThrow(/n must be a positive integer/);
    expect(() => bootstrap(3, () => 0, { resamples: 0 })).toThrow(/resamples/);
    expect(() => percentileInterval([1, 2], 1)).toThrow(/level/);
  });
});

describe("quantiles and percentile interval", () => {
  it("uses R's type-7 quantile", () => {
    // R: quantile(c(1, 2, 3, 4), c(0.1, 0.5, 0.9), type = 7) = 1.3, 2.5, 3.7
    const s = Float64Array.from([1, 2, 3, 4]);
    expect(quantileSorted(s, 0.1)).toBeCloseTo(1.3, 14);
    expect(quantileSorted(s, 0.5)).toBeCloseTo(2.5, 14);
    expect(quantileSorted(s, 0.9)).toBeCloseTo(3.7, 14);
    expect(quantileSorted(s, 0)).toBe(1);
    expect(quantileSorted(s, 1)).toBe(4);
  });

  it("percentile interval of a known (uniform grid) distribution", () => {
    // 0, 1, ..., 1000 in scrambled order: Q(p) = 1000 p exactly under type 7.
    const rng = createRng(2);
    const values = Array.from({ length: 1001 }, (_, i) => i);
    for (let i = values.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [values[i], values[j]] = [values[j], values[i]];
    }
    const [lo, hi] = percentileInterval(values, 0.95)!;
    expect(lo).toBeCloseTo(25, 10);
    expect(hi).toBeCloseTo(975, 10);
    const [lo9, hi9] = percentileInterval(values, 0.9)!;
    expect(lo9).toBeCloseTo(50, 10);
    expect(hi9).toBeCloseTo(950, 10);
    expect(percentileInterval([], 0.95)).toBeNull();
  });
});

describe("BCa", () => {
  const grid = Float64Array.from({ length: 1001 }, (_, i) => i / 1000); // Q(p) = p

  it("equals the percentile interval when z0 = 0 and a = 0", () => {
    // Estimate 0.5: 500 below, 1 tie (counted ½), 500 above -> proportion 0.5, z0 = 0.
    // Symmetric jackknife values -> a = 0.
    const jack = [-1, 0, 1, -2, 2];
    expect(jackknifeAcceleration(jack)).toBe(0);
    const p = bcaParameters(grid, 0.5, jack, 0.95);
    expect(p.z0).toBe(0);
    expect(p.acceleration).toBe(0);
    expect(p.probabilities![0]).toBeCloseTo(0.025, 14);
    expect(p.probabilities![1]).toBeCloseTo(0.975, 14);
    const bca = bcaInterval(grid, 0.5, jack, 0.95)!;
    const perc = percentileInterval(grid, 0.95)!;
    expect(bca[0]).toBeCloseTo(perc[0], 12);
    expect(bca[1]).toBeCloseTo(perc[1], 12);
    // Constant jackknife values: a = 0 as well.
    expect(bcaInterval(grid, 0.5, [3, 3, 3], 0.9)![0]).toBeCloseTo(percentileInterval(grid, 0.9)![0], 12);
  });

  it("matches the closed form of Efron & Tibshirani (14.10) with non-zero z0 and a", () => {
    // Estimate 0.6 -> #{θ* < 0.6} = 600 (0.000..0.599), one tie at 0.600 -> (600 + 0.5)/1001.
    const jack = [0.1, 0.2, 0.25, 0.9, 0.3];
    const mean = jack.reduce((s, v) => s + v, 0) / jack.length;
    const d = jack.map((v) => mean - v);
    const aHand = d.reduce((s, v) => s + v ** 3, 0) / (6 * d.reduce((s, v) => s + v * v, 0) ** 1.5);
    const z0Hand = normalQuantile(600.5 / 1001);
    const adj = (z: number) => normalCdf(z0Hand + (z0Hand + z) / (1 - aHand * (z0Hand + z)));
    const p = bcaParameters(grid, 0.6, jack, 0.9);
    expect(p.acceleration!).toBeCloseTo(aHand, 14);
    expect(p.z0!).toBeCloseTo(z0Hand, 14);
    const lo = adj(normalQuantile(0.05));
    const hi = adj(normalQuantile(0.95));
    expect(p.probabilities![0]).toBeCloseTo(lo, 14);
    expect(p.probabilities![1]).toBeCloseTo(hi, 14);
    // Q(p) = p on this grid
    expect(p.interval![0]).toBeCloseTo(lo, 12);
    expect(p.interval![1]).toBeCloseTo(hi, 12);
    expect(p.interval![0]).toBeGreaterThan(0.05);
  });

  it("is null when all replicates lie on one side of the estimate or the jackknife is not finite", () => {
    expect(bcaInterval(grid, 2, [1, 2, 3])).toBeNull();
    expect(bcaInterval(grid, -1, [1, 2, 3])).toBeNull();
    expect(bcaInterval(grid, 0.5, [1, NaN, 3])).toBeNull();
    expect(bcaParameters(grid, 0.5, [1, NaN, 3]).acceleration).toBeNull();
  });
});

describe("jackknife", () => {
  it("evaluates the statistic without each unit in turn", () => {
    const x = Float64Array.from([1, 2, 3, 10]);
    const j = jackknife(4, meanStatistic(x));
    expect(Array.from(j)).toEqual([15 / 3, 14 / 3, 13 / 3, 6 / 3]);
    expect(() => jackknife(1, () => 0)).toThrow(/n must be an integer >= 2/);
  });
});
