/**
 * `valence` (the default): one learning rate per news valence (Sharot et al. 2011; Garrett &
 * Sharot 2014; the learning-rate form of Kuzmanovic & Rigoux 2017):
 *
 *   E2 = E1 + alpha_v * (BR - E1) + N(0, sigma^2),   v = good if BR < E1, bad if BR > E1
 *
 * The design is block-diagonal, so the ML estimate is closed form per valence (no optimiser):
 *
 *   alpha_v = sum_v((E2 - E1)(BR - E1)) / sum_v((BR - E1)^2),   sigma^2 = RSS / n  (ML, divisor n).
 */
import type { ModelSpec } from "./types.js";

export const valence: ModelSpec = {
  name: "valence",
  coefNames: ["alpha_good", "alpha_bad"],
  formula: "E2 = E1 + alpha_v * (BR - E1) + N(0, sigma^2), v in {good, bad}",
  designInto(s, xtx, xty) {
    xtx[0] = s.good.sxx;
    xtx[1] = 0;
    xtx[2] = 0;
    xtx[3] = s.bad.sxx;
    xty[0] = s.good.sxy;
    xty[1] = s.bad.sxy;
    return { yty: s.good.syy + s.bad.syy, n: s.good.n + s.bad.n };
  },
  report(theta) {
    return { alpha_good: theta[0], alpha_bad: theta[1], params: { alpha_good: theta[0], alpha_bad: theta[1] }, warnings: [] };
  },
};
