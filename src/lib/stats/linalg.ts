/**
 * Small dense linear algebra on flat row-major Float64Arrays, written into caller-owned buffers: the
 * symmetric systems of the learning-rate models (at most 8 x 8), the EM acceleration of the
 * hierarchical fits and the variational Laplace inversions (models/bayes). The one implementation of these factorisations in the kit.
 *
 * Why by hand and not ml-matrix (which src/lib/stats/ols.ts uses): the flat fits and the hierarchical
 * E-step solve hundreds of thousands of these tiny systems at 10,000 participants, and a Matrix object
 * per solve would dominate their cost; here nothing is allocated. The algorithms are the textbook ones:
 * Cholesky A = L L' (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 4.2.1), forward and back
 * substitution, Gaussian elimination with partial pivoting (ibid., Alg. 3.4.1).
 */

/**
 * Least squares on the columns of A (p x p, row-major, A = X'X) that are not (numerically) linear
 * combinations of the earlier ones, as R's lm() keeps them: column j is dropped when its Cholesky pivot
 * d_j <= tol * A_jj (or A_jj = 0). Writes the factor L of the kept sub-matrix, `kept` (1 = kept) and the
 * solution x of L L' x = b on the kept columns (x_j = 0 for a dropped column; z is scratch of length p).
 * Returns the number of kept columns.
 */
export function choleskyDropSolveInto(
  A: Float64Array,
  p: number,
  b: ArrayLike<number>,
  L: Float64Array,
  z: Float64Array,
  x: Float64Array,
  kept: Uint8Array,
  tol = 1e-10,
): number {
  for (let i = 0; i < p * p; i++) L[i] = 0;
  for (let j = 0; j < p; j++) kept[j] = 0;
  let nKept = 0;
  for (let j = 0; j < p; j++) {
    const ajj = A[j * p + j];
    let d = ajj;
    for (let k = 0; k < j; k++) if (kept[k]) d -= L[j * p + k] * L[j * p + k];
    if (!(ajj > 0) || !(d > tol * ajj)) continue;
    kept[j] = 1;
    nKept++;
    const ljj = Math.sqrt(d);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) if (kept[k]) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = s / ljj;
    }
  }
  for (let i = 0; i < p; i++) {
    z[i] = 0;
    if (!kept[i]) continue;
    let s = b[i];
    for (let k = 0; k < i; k++) if (kept[k]) s -= L[i * p + k] * z[k];
    z[i] = s / L[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    x[i] = 0;
    if (!kept[i]) continue;
    let s = z[i];
    for (let k = i + 1; k < p; k++) if (kept[k]) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return nKept;
}

/**
 * Lower Cholesky factor L of the p x p SPD matrix A (row-major) into L. Returns 0 on success, else the
 * 1-based index of the first non-positive pivot (A not positive definite, or not finite). With
 * relTol > 0 a pivot must also exceed relTol times its diagonal element A_jj (> 0): the squared norm of
 * column j's residual on the columns before it, relative to its squared norm (a rank test on X'X).
 */
export function cholesky(A: ArrayLike<number>, p: number, L: Float64Array, relTol = 0): number {
  for (let i = 0; i < p * p; i++) L[i] = 0;
  for (let j = 0; j < p; j++) {
    const ajj = A[j * p + j];
    let d = ajj;
    for (let k = 0; k < j; k++) d -= L[j * p + k] * L[j * p + k];
    if (!(d > 0) || !Number.isFinite(d) || (relTol > 0 && !(ajj > 0 && d > relTol * ajj))) return j + 1;
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

/** Cholesky factor of m (k x k, row-major) into L; false when m is not (numerically) positive definite. */
export function choleskyInto(m: Float64Array, k: number, L: Float64Array): boolean {
  return cholesky(m, k, L) === 0;
}

/** Solve L L' x = rhs (k x k) into x, with z (length k) as scratch. */
export function choleskySolveInto(L: Float64Array, k: number, rhs: ArrayLike<number>, x: Float64Array, z: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let sum = rhs[i];
    for (let t = 0; t < i; t++) sum -= L[i * k + t] * z[t];
    z[i] = sum / L[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let sum = z[i];
    for (let t = i + 1; t < k; t++) sum -= L[t * k + i] * x[t];
    x[i] = sum / L[i * k + i];
  }
}

/** Solve a small general linear system by Gaussian elimination with partial pivoting (null if singular). */
export function solveGeneral(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    if (!(Math.abs(m[piv][c]) > 1e-300)) return null;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x.every(Number.isFinite) ? x : null;
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
  const e = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    // Solve L L' x = e_c (in place in col: each back step reads only what is already solved).
    e[c] = 1;
    choleskySolveInto(L, p, e, col, col);
    e[c] = 0;
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

/**
 * (L L')^-1 into C (p x p, row-major) from the lower triangular L (row stride ld, so the leading block
 * of a larger factor serves), through Li = L^-1 (into Li, p x p): C = Li' Li. The covariance of the
 * fixed effects from R_X (lme4's vcov) and the REML profile's M^-1.
 */
export function lowerInverseGramInto(L: ArrayLike<number>, ld: number, p: number, Li: Float64Array, C: Float64Array): void {
  for (let j = 0; j < p; j++) {
    Li[j * p + j] = 1 / L[j * ld + j];
    for (let i = j + 1; i < p; i++) {
      let s = 0;
      for (let t = j; t < i; t++) s -= L[i * ld + t] * Li[t * p + j];
      Li[i * p + j] = s / L[i * ld + i];
    }
  }
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = i; t < p; t++) s += Li[t * p + i] * Li[t * p + j];
      C[i * p + j] = C[j * p + i] = s;
    }
}

/** The product A B of two p x p row-major matrices into out (a new array unless given). */
export function squareProduct(A: ArrayLike<number>, B: ArrayLike<number>, p: number, out = new Float64Array(p * p)): Float64Array {
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += A[i * p + t] * B[t * p + j];
      out[i * p + j] = s;
    }
  return out;
}
