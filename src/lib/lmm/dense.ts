/**
 * Small dense linear algebra for the inference layer (matrices of the size of the fixed effects or
 * the variance parameters, as number[][]): symmetric eigen-decomposition (cyclic Jacobi), the
 * pseudo-inverse lmerTest takes of the Hessian, least-squares residuals (lm.fit), R's zapsmall.
 */

export type Mat = number[][];

export function zeros(r: number, c: number): Mat {
  return Array.from({ length: r }, () => new Array<number>(c).fill(0));
}

export function matmul(A: Mat, B: Mat): Mat {
  const r = A.length;
  const m = B.length;
  const c = m ? B[0].length : 0;
  const out = zeros(r, c);
  for (let i = 0; i < r; i++)
    for (let t = 0; t < m; t++) {
      const a = A[i][t];
      if (a === 0) continue;
      const Bt = B[t];
      const o = out[i];
      for (let j = 0; j < c; j++) o[j] += a * Bt[j];
    }
  return out;
}

export function transpose(A: Mat): Mat {
  const r = A.length;
  const c = r ? A[0].length : 0;
  const out = zeros(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j][i] = A[i][j];
  return out;
}

/** x' A y */
export function qform(x: readonly number[], A: readonly (readonly number[])[], y: readonly number[] = x): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) continue;
    let t = 0;
    for (let j = 0; j < y.length; j++) t += A[i][j] * y[j];
    s += x[i] * t;
  }
  return s;
}

/** Eigen-decomposition of a symmetric matrix: values in decreasing order, vectors as columns. */
export function eigenSym(A0: Mat): { values: number[]; vectors: Mat } {
  const n = A0.length;
  const A = A0.map((r) => r.slice());
  const V = zeros(n, n);
  for (let i = 0; i < n; i++) V[i][i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += A[i][i] * A[i][i];
      for (let j = i + 1; j < n; j++) off += A[i][j] * A[i][j];
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = A[p][q];
        if (apq === 0) continue;
        const theta = (A[q][q] - A[p][p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k][p];
          const akq = A[k][q];
          A[k][p] = c * akp - s * akq;
          A[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p][k];
          const aqk = A[q][k];
          A[p][k] = c * apk - s * aqk;
          A[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k][p];
          const vkq = V[k][q];
          V[k][p] = c * vkp - s * vkq;
          V[k][q] = s * vkp + c * vkq;
        }
      }
  }
  const order = A.map((_, i) => i).sort((a, b) => A[b][b] - A[a][a]);
  return { values: order.map((i) => A[i][i]), vectors: V.map((row) => order.map((i) => row[i])) };
}

/** lmerTest's Moore-Penrose inverse of the Hessian: eigenvalues > tol kept (as_lmerModLT). */
export function pinvSym(H: Mat, tol = 1e-8): { inverse: Mat; values: number[] } {
  const { values, vectors } = eigenSym(H);
  const n = H.length;
  const out = zeros(n, n);
  values.forEach((lam, k) => {
    if (!(lam > tol)) return;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i][j] += (vectors[i][k] * vectors[j][k]) / lam;
  });
  return { inverse: out, values };
}

/** R's round(x, digits) for the purposes of zapsmall. */
function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  const v = Math.round(Math.abs(x) * f) / f;
  return x < 0 ? -v : v;
}

/** R's zapsmall(x, digits = 7) over all entries of a matrix. */
export function zapsmall(A: Mat, digits = 7): Mat {
  let mx = 0;
  for (const r of A) for (const v of r) if (Math.abs(v) > mx) mx = Math.abs(v);
  const d = mx > 0 ? Math.max(0, digits - Math.ceil(Math.log10(mx))) : digits;
  return A.map((r) => r.map((v) => roundTo(v, d)));
}

/**
 * Residuals of the least-squares regression of each column of Y on the columns of Xm (no
 * intercept added), as resid(lm.fit(x, y)): the projection is unique whatever the rank; columns of
 * Xm that are (numerically, tolerance 1e-7) dependent on earlier ones are skipped as lm.fit's QR does.
 */
export function lsResiduals(Xm: Mat, Y: Mat): Mat {
  const n = Xm.length;
  const k = n ? Xm[0].length : 0;
  const basis: number[][] = [];
  for (let j = 0; j < k; j++) {
    const v = Xm.map((r) => r[j]);
    const norm0 = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    for (let pass = 0; pass < 2; pass++)
      for (const b of basis) {
        let d = 0;
        for (let i = 0; i < n; i++) d += b[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= d * b[i];
      }
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    if (norm0 > 0 && norm > 1e-7 * norm0) basis.push(v.map((x) => x / norm));
  }
  const m = n ? Y[0].length : 0;
  const out = Y.map((r) => r.slice());
  for (let j = 0; j < m; j++) {
    for (let pass = 0; pass < 2; pass++)
      for (const b of basis) {
        let d = 0;
        for (let i = 0; i < n; i++) d += b[i] * out[i][j];
        for (let i = 0; i < n; i++) out[i][j] -= d * b[i];
      }
  }
  return out;
}

/** Inverse of a symmetric positive-definite matrix (Cholesky). */
export function invSPD(A: Mat): Mat {
  const n = A.length;
  const L = zeros(n, n);
  for (let j = 0; j < n; j++) {
    let d = A[j][j];
    for (let t = 0; t < j; t++) d -= L[j][t] * L[j][t];
    if (!(d > 0)) throw new Error("invSPD: matrix is not positive definite");
    L[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = A[i][j];
      for (let t = 0; t < j; t++) s -= L[i][t] * L[j][t];
      L[i][j] = s / L[j][j];
    }
  }
  const Li = zeros(n, n);
  for (let j = 0; j < n; j++) {
    Li[j][j] = 1 / L[j][j];
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let t = j; t < i; t++) s -= L[i][t] * Li[t][j];
      Li[i][j] = s / L[i][i];
    }
  }
  const out = zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = i; t < n; t++) s += Li[t][i] * Li[t][j];
      out[i][j] = out[j][i] = s;
    }
  return out;
}
