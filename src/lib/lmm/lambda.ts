/**
 * The relative covariance factor Lambda(theta) of lme4 (Bates et al. 2015, section 2.2): one
 * lower-triangular template T_k per random-effect term, repeated for each level of its grouping
 * factor; theta is the lower triangle of every T_k, column by column, terms in lme4's order. Also
 * the covariance of beta_hat from R_X.
 */
import { lowerInverseGramInto } from "../stats/linalg.js";

/** Layout of the variance parameters: for each term (lme4's order), its q and theta offset. */
export interface ThetaLayout {
  q: number[];
  offset: number[];
  length: number;
  /** lme4's lower bounds: 0 for the diagonal of each T_k, -Infinity off the diagonal. */
  lower: number[];
  /** lme4's starting values: 1 on the diagonal, 0 off it. */
  start: number[];
}

export function thetaLayout(q: readonly number[]): ThetaLayout {
  const offset: number[] = [];
  const lower: number[] = [];
  const start: number[] = [];
  let o = 0;
  for (const qk of q) {
    offset.push(o);
    // column-major lower triangle: (0,0), (1,0), ..., (q-1,0), (1,1), ...
    for (let j = 0; j < qk; j++)
      for (let i = j; i < qk; i++) {
        lower.push(i === j ? 0 : -Infinity);
        start.push(i === j ? 1 : 0);
      }
    o += (qk * (qk + 1)) / 2;
  }
  return { q: q.slice(), offset, length: o, lower, start };
}

/** T_k (row-major q x q lower triangular) of term k from theta. */
export function templateOf(theta: ArrayLike<number>, layout: ThetaLayout, k: number, out?: Float64Array): Float64Array {
  const q = layout.q[k];
  const T = out ?? new Float64Array(q * q);
  T.fill(0);
  let t = layout.offset[k];
  for (let j = 0; j < q; j++) for (let i = j; i < q; i++) T[i * q + j] = theta[t++];
  return T;
}

/** lme4's form of theta: every column of T_k whose diagonal is negative negated (T_k T_k' unchanged). */
export function canonicalTheta(theta: readonly number[], layout: ThetaLayout): number[] {
  const out = theta.slice();
  layout.q.forEach((q, k) => {
    let t = layout.offset[k];
    for (let j = 0; j < q; j++) {
      const neg = out[t] < 0;
      for (let i = j; i < q; i++, t++) if (neg) out[t] = -out[t];
    }
  });
  return out.map((v) => (v === 0 ? 0 : v));
}

/** (R_X R_X')^-1 (row-major p x p) from the lower factor R_X. */
export function covFromRX(RX: Float64Array, p: number): Float64Array {
  const C = new Float64Array(p * p);
  lowerInverseGramInto(RX, p, p, new Float64Array(p * p), C);
  return C;
}
