/**
 * `ee-weighted`: valence-dependent learning rates that also change linearly with the size of the
 * estimation error. The form is the kit's own, stated here in full:
 *
 *   z_t     = (|EE_t| - m) / sd,   m, sd = mean and population SD (divisor n) of |EE| over the
 *             participant-session's scored trials (both valences)
 *   alpha_t = alpha_v + beta * z_t
 *   E2 = E1 + alpha_t * (BR - E1) + N(0, sigma^2)
 *
 * Parameters: alpha_good, alpha_bad, beta, sigma (4). alpha_v is the learning rate at the mean |EE|
 * (z = 0), which is what the fit reports as alpha_good/alpha_bad; beta is the change in learning rate
 * per SD of |EE| (beta < 0: proportionally smaller updates after large errors). Motivation: the size of
 * |EE| is the main cognitive covariate of update size in this task (Sharot et al. 2011, Nat Neurosci
 * 14:1475; Garrett & Sharot 2014, PLoS One 9:e98848) and Kuzmanovic & Rigoux (2017) model the size of
 * estimation errors explicitly when testing for a valence bias.
 *
 * The model is linear in (alpha_good, alpha_bad, beta) -- the regressors are x*1[good], x*1[bad] and
 * x*z with x = BR - E1 -- so its ML estimate is ordinary least squares on those columns; test/r checks
 * it against both R's lm() and an optim() maximisation of the same Gaussian likelihood.
 * With sd = 0 (all |EE| equal) beta is not estimable: it is null and the model reduces to `valence`.
 */
import type { ModelSpec } from "./types.js";
import { absEeMoments } from "../task/sufficient-stats.js";

export const eeWeighted: ModelSpec = {
  name: "ee-weighted",
  coefNames: ["alpha_good", "alpha_bad", "beta"],
  formula: "E2 = E1 + (alpha_v + beta * (|EE| - mean|EE|)/sd|EE|) * (BR - E1) + N(0, sigma^2)",
  designInto(s, xtx, xty) {
    const { mean: m, sd } = absEeMoments(s);
    // sum z x^2 = (sum a x^2 - m sum x^2)/sd;  sum z^2 x^2 = (sum a^2 x^2 - 2 m sum a x^2 + m^2 sum x^2)/sd^2;
    // sum z x y = (sum a x y - m sum x y)/sd.  z := 0 when sd = 0.
    const g = s.good;
    const b = s.bad;
    const cg = sd > 0 ? (g.saxx - m * g.sxx) / sd : 0;
    const cb = sd > 0 ? (b.saxx - m * b.sxx) / sd : 0;
    const zzg = sd > 0 ? (g.saaxx - 2 * m * g.saxx + m * m * g.sxx) / (sd * sd) : 0;
    const zzb = sd > 0 ? (b.saaxx - 2 * m * b.saxx + m * m * b.sxx) / (sd * sd) : 0;
    const zyg = sd > 0 ? (g.saxy - m * g.sxy) / sd : 0;
    const zyb = sd > 0 ? (b.saxy - m * b.sxy) / sd : 0;
    xtx[0] = g.sxx;
    xtx[1] = 0;
    xtx[2] = cg;
    xtx[3] = 0;
    xtx[4] = b.sxx;
    xtx[5] = cb;
    xtx[6] = cg;
    xtx[7] = cb;
    xtx[8] = Math.max(0, zzg + zzb);
    xty[0] = g.sxy;
    xty[1] = b.sxy;
    xty[2] = zyg + zyb;
    return { yty: g.syy + b.syy, n: g.n + b.n };
  },
  report(theta, stats) {
    const { mean, sd, n } = absEeMoments(stats);
    const warnings: string[] = [];
    if (n > 0 && theta[2] === null && (theta[0] !== null || theta[1] !== null)) {
      warnings.push(sd === 0 ? "all |EE| are equal: beta is not estimable (null), the fit reduces to the valence model" : "beta is not estimable (null)");
    }
    return {
      alpha_good: theta[0],
      alpha_bad: theta[1],
      params: { alpha_good: theta[0], alpha_bad: theta[1], beta: theta[2], abs_ee_mean: n > 0 ? mean : null, abs_ee_sd: n > 0 ? sd : null },
      warnings,
    };
  },
};
