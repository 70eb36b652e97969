/**
 * `scaling-asymmetry`: the learning rate written as a scaling term plus a signed valence asymmetry,
 * after the scaling/asymmetry parametrisation of Kuzmanovic & Rigoux (2017, Front. Psychol. 8:1087):
 *
 *   alpha_t = s + N_t * k,   N_t = +1 for good news, -1 for bad news
 *   E2 = E1 + alpha_t * (BR - E1) + N(0, sigma^2)
 *
 * so alpha_good = s + k, alpha_bad = s - k, s = mean learning rate, k = half the asymmetry
 * (k > 0: optimistic updating). Parameters: s, k, sigma (3).
 *
 * Decision (documented in the README of the models): the kit keeps the *linear, unbounded* form.
 * K&R bound learning rates to (0, 1) with a sigmoid; we do not, because participants do overshoot
 * (alpha > 1) or move away from the base rate (alpha < 0), and a bound would bias the closed-form
 * estimates the rest of the kit reports. Consequently, for flat ML fits this model is an exact
 * reparametrisation of `valence` (same fitted values, same likelihood, same BIC; s and k are
 * (alpha_good + alpha_bad)/2 and (alpha_good - alpha_bad)/2). It is still useful because:
 *   - it reports s and k directly;
 *   - in hierarchical fitting the Gaussian group prior is placed on (s, k) with a diagonal
 *     covariance, i.e. individual asymmetries k are shrunk toward the *group asymmetry* and
 *     independently of the overall rate s -- a different prior, hence different MAP estimates and a
 *     different iBIC, than `valence` (prior on alpha_good and alpha_bad independently).
 * Model comparison flags valence/scaling-asymmetry BIC ties as ties (see comparison.ts).
 *
 * With trials of one valence only, s and k are not separately identifiable (the two columns of the
 * design are collinear): the flat fit then reports the rate of the valence present (= s + N k), s and
 * k are null, and the parameter count is 1 + sigma.
 */
import type { ModelSpec } from "./types.js";

export const scalingAsymmetry: ModelSpec = {
  name: "scaling-asymmetry",
  coefNames: ["s", "k"],
  formula: "E2 = E1 + (s + N*k) * (BR - E1) + N(0, sigma^2), N = +1 good / -1 bad",
  designInto(s, xtx, xty) {
    const sxx = s.good.sxx + s.bad.sxx;
    const dxx = s.good.sxx - s.bad.sxx;
    xtx[0] = sxx;
    xtx[1] = dxx;
    xtx[2] = dxx;
    xtx[3] = sxx;
    xty[0] = s.good.sxy + s.bad.sxy;
    xty[1] = s.good.sxy - s.bad.sxy;
    return { yty: s.good.syy + s.bad.syy, n: s.good.n + s.bad.n };
  },
  report(theta, stats) {
    const [s, k] = theta;
    if (s !== null && k !== null) return { alpha_good: s + k, alpha_bad: s - k, params: { s, k }, warnings: [] };
    if (s !== null) {
      // One valence only: the first column absorbs the rate of the valence that is present.
      return {
        alpha_good: stats.good.n > 0 ? s : null,
        alpha_bad: stats.bad.n > 0 ? s : null,
        params: { s: null, k: null },
        warnings: ["trials of one valence only: s and k are not separately identifiable (null); the rate of the valence present is reported"],
      };
    }
    return { alpha_good: null, alpha_bad: null, params: { s: null, k: null }, warnings: [] };
  },
};
