/**
 * Exceedance probabilities of a Dirichlet posterior on model frequencies: ep_k = P(r_k > r_j for all j != k),
 * r ~ Dir(alpha) (Stephan et al. 2009, NeuroImage 46:1004).
 *
 * Two models: exact, ep_1 = P(r_1 > 1/2) with r_1 ~ Beta(alpha_1, alpha_2), i.e. the regularised incomplete beta
 * I_{1/2}(alpha_2, alpha_1) (@stdlib beta CDF). More models: seeded Monte Carlo as VBA_ExceedanceProb does it
 * (VBA draws 1e5 Dirichlet samples with an unseeded gamma sampler): r_k = g_k / sum g with g_k ~ Gamma(alpha_k, 1)
 * independent, so the argmax of r is the argmax of g. The generator is d3-random's randomLcg(seed) feeding
 * randomGamma; the sample count, seed and the Monte Carlo standard error max_k sqrt(ep_k (1 - ep_k) / samples)
 * are returned with the result.
 */
import { randomGamma, randomLcg } from "d3-random";
import { betacdf } from "../../../vendor/stdlib-dists.js";

export interface ExceedanceResult {
  ep: number[];
  method: "exact-beta" | "monte-carlo" | "single-model";
  /** Monte Carlo only (else null): samples drawn, seed of the generator, and max_k sqrt(ep_k (1 - ep_k) / samples). */
  samples: number | null;
  seed: number | null;
  mc_standard_error: number | null;
}

export interface ExceedanceOptions {
  /** Monte Carlo samples for three models or more (default 1e5, as VBA). */
  samples?: number;
  /** Seed of randomLcg (default 1). */
  seed?: number;
  /** Use Monte Carlo even for two models (to check it against the exact value). */
  monteCarlo?: boolean;
}

/** Exceedance probabilities of Dir(alpha): exact for one or two models, seeded Monte Carlo for more. */
export function dirichletExceedance(alpha: readonly number[], options: ExceedanceOptions = {}): ExceedanceResult {
  const K = alpha.length;
  if (K === 0) throw new Error("exceedance probabilities: alpha is empty");
  alpha.forEach((a, i) => {
    if (!(a > 0) || !Number.isFinite(a)) throw new Error(`exceedance probabilities: alpha[${i}] must be a finite number > 0, got ${a}`);
  });
  if (K === 1) return { ep: [1], method: "single-model", samples: null, seed: null, mc_standard_error: null };
  if (K === 2 && !options.monteCarlo) {
    // P(r1 > 1/2) = P(r2 < 1/2) = I_{1/2}(alpha2, alpha1); the two add to 1 exactly by the symmetry of I.
    return {
      ep: [betacdf(0.5, alpha[1], alpha[0]), betacdf(0.5, alpha[0], alpha[1])],
      method: "exact-beta",
      samples: null,
      seed: null,
      mc_standard_error: null,
    };
  }
  const samples = options.samples ?? 1e5;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`exceedance probabilities: samples must be a positive integer, got ${samples}`);
  const source = randomLcg(seed);
  const gamma = randomGamma.source(source);
  const draws = alpha.map((a) => gamma(a));
  const wins = new Float64Array(K);
  for (let s = 0; s < samples; s++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < K; k++) {
      const g = draws[k]();
      if (g > bestValue) {
        bestValue = g;
        best = k;
      }
    }
    wins[best]++;
  }
  const ep = Array.from(wins, (w) => w / samples);
  const se = Math.max(...ep.map((p) => Math.sqrt((p * (1 - p)) / samples)));
  return { ep, method: "monte-carlo", samples, seed, mc_standard_error: se };
}
