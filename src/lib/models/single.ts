/**
 * `single`: one learning rate for all trials (Rescorla-Wagner-style update of the self-estimate
 * toward the base rate; the unbiased model of Kuzmanovic & Rigoux 2017):
 *
 *   E2 = E1 + alpha * (BR - E1) + N(0, sigma^2)
 *
 * ML: alpha = sum((E2 - E1)(BR - E1)) / sum((BR - E1)^2) over all trials, sigma^2 = RSS / n.
 */
import type { ModelSpec } from "./types.js";

export const single: ModelSpec = {
  name: "single",
  coefNames: ["alpha"],
  formula: "E2 = E1 + alpha * (BR - E1) + N(0, sigma^2)",
  designInto(s, xtx, xty) {
    xtx[0] = s.good.sxx + s.bad.sxx;
    xty[0] = s.good.sxy + s.bad.sxy;
    return { yty: s.good.syy + s.bad.syy, n: s.good.n + s.bad.n };
  },
  report(theta) {
    const alpha = theta[0];
    return { alpha_good: alpha, alpha_bad: alpha, params: { alpha }, warnings: [] };
  },
};
