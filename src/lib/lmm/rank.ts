/** Rank deficiency of the fixed-effect model matrix, decided as lme4 decides it (chkRank.drop.cols). */
import { cholesky } from "../stats/linalg.js";

/**
 * Columns kept by R's `qr(X, tol = 1e-7, LAPACK = FALSE)` (LINPACK dqrdc2 with
 * limited pivoting), as lme4's chkRank.drop.cols uses: Householder QR from
 * left to right; a column whose norm, after removing its projection on the
 * columns kept so far, is below tol times its original norm is moved to the
 * end (dropped). Returns kept column indices in their original order.
 * X is column-major, n x p.
 */
export function rankKeptColumns(X: Float64Array, n: number, p: number, tol = 1e-7): number[] {
  const A = X.slice();
  const col = (j: number): Float64Array => A.subarray(j * n, (j + 1) * n);
  const sumSq = (x: Float64Array, from: number): number => {
    let s = 0;
    for (let i = from; i < x.length; i++) s += x[i] * x[i];
    return s;
  };
  const orig = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const s = sumSq(col(j), 0);
    orig[j] = s > 0 ? Math.sqrt(s) : 1; // dqrdc2: a zero column has "original norm" 1
  }
  const order = Array.from({ length: p }, (_, j) => j);
  let k = p; // positions >= k hold dropped columns
  const lup = Math.min(n, p);
  const v = new Float64Array(n);
  for (let l = 0; l < lup; l++) {
    while (l < k && Math.sqrt(sumSq(col(order[l]), l)) < orig[order[l]] * tol) {
      order.push(order.splice(l, 1)[0]);
      k--;
    }
    if (l >= k) break;
    // Householder reflection H = I - 2 v v'/(v'v) zeroing column order[l] below row l,
    // applied to the columns still undecided (positions l+1 .. k-1).
    const x = col(order[l]).subarray(l);
    const len = x.length;
    const norm = Math.sqrt(sumSq(x, 0));
    const alpha = x[0] >= 0 ? -norm : norm;
    v.set(x);
    v[0] -= alpha;
    const vv = sumSq(v.subarray(0, len), 0);
    if (vv === 0) continue;
    for (let t = l + 1; t < k; t++) {
      const c = col(order[t]).subarray(l);
      let dot = 0;
      for (let i = 0; i < len; i++) dot += v[i] * c[i];
      const f = (2 * dot) / vv;
      for (let i = 0; i < len; i++) c[i] -= f * v[i];
    }
  }
  return order.slice(0, Math.min(k, n)).sort((a, b) => a - b);
}


/**
 * Clear-cut rank decision from X'X (a p x p Cholesky instead of a QR of the n x p matrix): every
 * pivot of the Cholesky factorisation of X'X, relative to its diagonal element, is the squared
 * norm of the column's residual on the columns before it relative to its squared norm -- the
 * quantity lme4's QR compares with (1e-7)^2. When every ratio is above 1e-6 (eight orders of
 * magnitude from that tolerance, far beyond the rounding of the cross-product) all columns are kept,
 * as the QR would keep them; otherwise null (the caller runs the QR).
 */
export function allColumnsClearlyKept(xtx: Float64Array, p: number): boolean {
  return cholesky(xtx, p, new Float64Array(p * p), 1e-6) === 0;
}

