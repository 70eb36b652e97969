/**
 * Prior predictive check of a Bayesian belief-update model: draw (phi, tau) from the prior, report quantiles of
 * the learning rates it implies and of the update E2 - E1 it predicts on a design's trials.
 *
 * Each draw: phi ~ N(mean, covariance), tau ~ Gamma(precision_shape, precision_rate); one trial t of the design
 * drawn uniformly; E2 - E1 = LR_t(phi) (BR_t - E1_t) + N(0, 1/tau). Seeded (d3-random randomLcg), so the numbers
 * in docs/bayesian-models.md are reproducible.
 */
import { randomGamma, randomInt, randomLcg, randomNormal } from "d3-random";
import type { BayesModelName, BayesPrior, PriorPreset } from "./types.js";
import { EE_SCALE, getBayesModel } from "./models.js";
import { resolvePrior } from "./priors.js";
import { cholesky } from "../../stats/linalg.js";

export interface PriorPredictiveDesign {
  e1: ArrayLike<number>;
  br: ArrayLike<number>;
  /** +1 good news, -1 bad news. */
  n: ArrayLike<number>;
}

export interface PriorPredictiveOptions {
  samples?: number;
  seed?: number;
  probs?: number[];
}

export interface PriorPredictiveSummary {
  model: BayesModelName;
  prior: BayesPrior;
  samples: number;
  seed: number;
  /** Probabilities of the quantiles below. */
  probs: number[];
  /** Quantiles of the learning rates at the prior draws (ee-scaled: at the design's mean |EE|). */
  alpha_good: number[];
  alpha_bad: number[];
  asymmetry: number[];
  /** Quantiles of the noise SD 1/sqrt(tau), in percentage points. */
  noise_sd: number[];
  /** Quantiles of the predicted update E2 - E1 (percentage points) on a random trial of the design. */
  update: number[];
  /** Share of draws with alpha_good > 1, alpha_bad < 0, and with a predicted E2 outside [0, 100]. */
  share_alpha_good_above_1: number;
  share_alpha_bad_below_0: number;
  share_e2_outside_0_100: number;
  /** Trials of the design used and their mean |EE|. */
  design_trials: number;
  design_mean_abs_ee: number;
}

/** Type-7 (R's default) quantiles of values (sorted in place). */
export function quantiles(values: Float64Array, probs: readonly number[]): number[] {
  values.sort();
  const n = values.length;
  return probs.map((p) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(n - 1, lo + 1);
    return values[lo] + (h - lo) * (values[hi] - values[lo]);
  });
}

/** The prior predictive summary of a model under a prior (preset name or BayesPrior) on a design. */
export function priorPredictive(
  model: BayesModelName | string,
  prior: BayesPrior | PriorPreset | string,
  design: PriorPredictiveDesign,
  options: PriorPredictiveOptions = {},
): PriorPredictiveSummary {
  const m = getBayesModel(model);
  const pr = resolvePrior(m.name, prior);
  const samples = options.samples ?? 20000;
  const seed = options.seed ?? 1;
  const probs = options.probs ?? [0.025, 0.25, 0.5, 0.75, 0.975];
  const e1: number[] = [];
  const x: number[] = [];
  const nv: number[] = [];
  for (let t = 0; t < design.e1.length; t++) {
    const a = design.e1[t];
    const b = design.br[t];
    const N = design.n[t];
    if (!Number.isFinite(a) || !Number.isFinite(b) || (N !== 1 && N !== -1) || a === b) continue;
    e1.push(a);
    x.push(b - a);
    nv.push(N);
  }
  if (e1.length === 0) throw new Error("priorPredictive: the design has no usable trial (finite E1 and BR, N = +-1, E1 != BR)");
  const meanAbs = x.reduce((s, v) => s + Math.abs(v), 0) / x.length;
  const p = m.paramNames.length;
  const C = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) C[i * p + j] = pr.covariance[i][j];
  const Lc = new Float64Array(p * p);
  cholesky(C, p, Lc);
  const source = randomLcg(seed);
  const normal = randomNormal.source(source)(0, 1);
  const gamma = randomGamma.source(source)(pr.precision_shape, 1 / pr.precision_rate);
  const pick = randomInt.source(source)(0, e1.length);
  const ag = new Float64Array(samples);
  const ab = new Float64Array(samples);
  const as = new Float64Array(samples);
  const sd = new Float64Array(samples);
  const up = new Float64Array(samples);
  const z = new Float64Array(p);
  const phi = new Float64Array(p);
  let above1 = 0;
  let below0 = 0;
  let outside = 0;
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < p; i++) z[i] = normal();
    for (let i = 0; i < p; i++) {
      let v = pr.mean[i];
      for (let j = 0; j <= i; j++) v += Lc[i * p + j] * z[j];
      phi[i] = v;
    }
    const rates = m.report(phi, meanAbs);
    ag[s] = rates.alpha_good;
    ab[s] = rates.alpha_bad;
    as[s] = rates.asymmetry;
    if (rates.alpha_good > 1) above1++;
    if (rates.alpha_bad < 0) below0++;
    const noise = 1 / Math.sqrt(gamma());
    sd[s] = noise;
    const t = pick();
    let lr = 0;
    m.terms.forEach((term, k) => {
      const f = term.transform === "exp" ? Math.exp(phi[k]) : phi[k];
      const c = term.covariate === "one" ? 1 : term.covariate === "valence" ? nv[t] : Math.abs(x[t]) / EE_SCALE;
      lr += f * c;
    });
    const u = lr * x[t] + noise * normal();
    up[s] = u;
    const e2 = e1[t] + u;
    if (e2 < 0 || e2 > 100) outside++;
  }
  return {
    model: m.name,
    prior: pr,
    samples,
    seed,
    probs,
    alpha_good: quantiles(ag, probs),
    alpha_bad: quantiles(ab, probs),
    asymmetry: quantiles(as, probs),
    noise_sd: quantiles(sd, probs),
    update: quantiles(up, probs),
    share_alpha_good_above_1: above1 / samples,
    share_alpha_bad_below_0: below0 / samples,
    share_e2_outside_0_100: outside / samples,
    design_trials: e1.length,
    design_mean_abs_ee: meanAbs,
  };
}
