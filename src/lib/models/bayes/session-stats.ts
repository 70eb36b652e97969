/**
 * Sufficient statistics of a participant-session for a model of the registry. Every model has
 * LR_t = sum_k f_k(phi_k) z_tk, so with w_tk = z_tk (BR_t - E1_t) and d_t = E2_t - E1_t the residuals are
 * d - W h(phi), and W'W, W'd, d'd carry everything the variational Laplace scheme needs.
 */
import type { BayesModel, SessionInput } from "./types.js";
import { EE_SCALE } from "./models.js";

/** The sufficient statistics of one participant-session for one model. */
export interface SessionStats {
  p: number;
  /** W'W (p x p, row-major), W'd, d'd, with w_tk = z_tk (BR_t - E1_t) and d_t = E2_t - E1_t. */
  WtW: Float64Array;
  Wtd: Float64Array;
  dtd: number;
  n: number;
  n_good: number;
  n_bad: number;
  n_dropped: number;
  mean_abs_ee: number;
}

/** Sufficient statistics of a session for a model (drops trials with a non-finite value, N not +-1, or E1 = BR). */
export function sessionStats(model: BayesModel, s: SessionInput): SessionStats {
  const p = model.terms.length;
  const T = s.e1.length;
  if (s.br.length !== T || s.e2.length !== T || s.n.length !== T)
    throw new Error(`session arrays differ in length: e1 ${T}, br ${s.br.length}, e2 ${s.e2.length}, n ${s.n.length}`);
  const WtW = new Float64Array(p * p);
  const Wtd = new Float64Array(p);
  const w = new Float64Array(p);
  // 0: z = 1, 1: z = N, 2: z = |EE| / 5
  const code = Uint8Array.from(model.terms, (t) => (t.covariate === "one" ? 0 : t.covariate === "valence" ? 1 : 2));
  let dtd = 0;
  let n = 0;
  let nGood = 0;
  let nBad = 0;
  let sumAbs = 0;
  for (let t = 0; t < T; t++) {
    const e1 = s.e1[t];
    const br = s.br[t];
    const e2 = s.e2[t];
    const N = s.n[t];
    if (!Number.isFinite(e1) || !Number.isFinite(br) || !Number.isFinite(e2) || (N !== 1 && N !== -1) || e1 === br) continue;
    const x = br - e1;
    const d = e2 - e1;
    const ax = Math.abs(x);
    for (let k = 0; k < p; k++) w[k] = (code[k] === 0 ? 1 : code[k] === 1 ? N : ax / EE_SCALE) * x;
    for (let k = 0; k < p; k++) {
      Wtd[k] += w[k] * d;
      for (let l = 0; l < p; l++) WtW[k * p + l] += w[k] * w[l];
    }
    dtd += d * d;
    n++;
    sumAbs += ax;
    if (N === 1) nGood++;
    else nBad++;
  }
  return { p, WtW, Wtd, dtd, n, n_good: nGood, n_bad: nBad, n_dropped: T - n, mean_abs_ee: n > 0 ? sumAbs / n : NaN };
}
