/**
 * Small dense symmetric-positive-definite helpers on row-major Float64Arrays (p x p, p of a few):
 * Cholesky factor, inverse and log-determinant. No allocation in the hot path: callers pass scratch.
 */

/**
 * Lower Cholesky factor L of the p x p SPD matrix A (row-major) into L. Returns 0 on success, else the
 * 1-based index of the first non-positive pivot (A not positive definite, or not finite).
 */
export function cholesky(A: ArrayLike<number>, p: number, L: Float64Array): number {
  for (let i = 0; i < p * p; i++) L[i] = 0;
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j];
    for (let k = 0; k < j; k++) d -= L[j * p + k] * L[j * p + k];
    if (!(d > 0) || !Number.isFinite(d)) return j + 1;
    const ljj = Math.sqrt(d);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = s / ljj;
    }
  }
  return 0;
}

/** The pivot Cholesky stopped at (for error messages): the value d_j that was not positive. */
export function choleskyPivot(A: ArrayLike<number>, p: number, failedAt: number, L: Float64Array): number {
  const j = failedAt - 1;
  let d = A[j * p + j];
  for (let k = 0; k < j; k++) d -= L[j * p + k] * L[j * p + k];
  return d;
}

/** log det A from its Cholesky factor L. */
export function logDetFromCholesky(L: Float64Array, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) s += Math.log(L[i * p + i]);
  return 2 * s;
}

/**
 * Inverse of the SPD matrix A into out, through its Cholesky factor (scratch L, p*p; scratch col, p).
 * Returns log det A, or NaN when A is not positive definite (out is then left unspecified).
 */
export function invertSPD(A: ArrayLike<number>, p: number, out: Float64Array, L: Float64Array, col: Float64Array): number {
  if (cholesky(A, p, L) !== 0) return NaN;
  for (let c = 0; c < p; c++) {
    // Solve L L' x = e_c.
    for (let i = 0; i < p; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * p + k] * col[k];
      col[i] = s / L[i * p + i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = col[i];
      for (let k = i + 1; k < p; k++) s -= L[k * p + i] * col[k];
      col[i] = s / L[i * p + i];
    }
    for (let i = 0; i < p; i++) out[i * p + c] = col[i];
  }
  // Symmetrise (the two triangles agree to rounding).
  for (let i = 0; i < p; i++)
    for (let j = i + 1; j < p; j++) {
      const v = 0.5 * (out[i * p + j] + out[j * p + i]);
      out[i * p + j] = v;
      out[j * p + i] = v;
    }
  return logDetFromCholesky(L, p);
}

/** x' A y for p-vectors and a p x p row-major matrix. */
export function quadForm(x: ArrayLike<number>, A: ArrayLike<number>, y: ArrayLike<number>, p: number): number {
  let s = 0;
  for (let i = 0; i < p; i++) {
    let r = 0;
    for (let j = 0; j < p; j++) r += A[i * p + j] * y[j];
    s += x[i] * r;
  }
  return s;
}

/** Row-major p x p Float64Array to nested arrays. */
export function toNested(A: ArrayLike<number>, p: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < p; i++) {
    const row: number[] = [];
    for (let j = 0; j < p; j++) row.push(A[i * p + j]);
    out.push(row);
  }
  return out;
}
