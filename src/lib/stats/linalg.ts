/**
 * Tiny dense linear algebra for the (at most 4 x 4) symmetric systems of the learning-rate
 * models. Hand-written rather than ml-matrix because the hierarchical E-step solves hundreds of
 * thousands of these and object allocation would dominate; the algorithms are the textbook
 * Cholesky factorisation A = L L' (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 4.2.1).
 */

/** Cholesky factor of a symmetric positive-definite matrix, or null when A is not (numerically) PD. */
export function cholesky(a: readonly (readonly number[])[]): number[][] | null {
  const p = a.length;
  const l: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j][j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / ljj;
    }
  }
  return l;
}

/**
 * Cholesky factorisation that *drops* columns which are (numerically) linear combinations of the
 * earlier ones: column j is dropped when its pivot d_j <= tol * A_jj (or A_jj = 0). The factor of the
 * kept columns is then the Cholesky factor of the kept sub-matrix, i.e. least squares on the kept
 * regressors -- the same rule as R's lm(), which reports NA for aliased columns.
 */
export function choleskyDrop(a: readonly (readonly number[])[], tol = 1e-10): { l: number[][]; kept: boolean[] } {
  const p = a.length;
  const l: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const kept = new Array<boolean>(p).fill(false);
  for (let j = 0; j < p; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) if (kept[k]) d -= l[j][k] * l[j][k];
    if (!(a[j][j] > 0) || !(d > tol * a[j][j])) continue;
    kept[j] = true;
    const ljj = Math.sqrt(d);
    l[j][j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) if (kept[k]) s -= l[i][k] * l[j][k];
      l[i][j] = s / ljj;
    }
  }
  return { l, kept };
}

/** Solve L L' x = b; entries of dropped columns (kept[j] false) are returned as 0. */
export function choleskySolve(l: readonly (readonly number[])[], b: readonly number[], kept?: readonly boolean[]): number[] {
  const p = b.length;
  const z = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    if (kept && !kept[i]) continue;
    let s = b[i];
    for (let k = 0; k < i; k++) if (!kept || kept[k]) s -= l[i][k] * z[k];
    z[i] = s / l[i][i];
  }
  const x = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    if (kept && !kept[i]) continue;
    let s = z[i];
    for (let k = i + 1; k < p; k++) if (!kept || kept[k]) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

/** log det A = 2 sum log L_jj. */
export function choleskyLogDet(l: readonly (readonly number[])[]): number {
  let s = 0;
  for (let j = 0; j < l.length; j++) s += Math.log(l[j][j]);
  return 2 * s;
}

/** Full inverse A^{-1} from the Cholesky factor of A. */
export function choleskyInverse(l: readonly (readonly number[])[]): number[][] {
  const p = l.length;
  const cols: number[][] = [];
  const e = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    cols.push(choleskySolve(l, e));
  }
  // A^{-1} is symmetric: column j = row j.
  return cols;
}
