/**
 * Richardson-extrapolated numerical derivatives exactly as R's numDeriv computes them (Gilbert &
 * Varadhan, numDeriv 2016.8: genD / hessian and jacobian, method "Richardson"), which lmerTest uses
 * for the Hessian of the deviance in the variance parameters and the Jacobian of Cov(beta).
 * Using the same steps and extrapolation gives the same numbers as lmerTest, including at a
 * boundary (theta = 0), where the difference quotients straddle the bound.
 */

const ZERO_TOL = Math.sqrt(2.220446049250313e-16 / 7e-7);

/** numDeriv's Richardson extrapolation of r quotients taken at steps h, h/2, h/4, ... (v = 2, so 4^m). */
function extrapolate(a: readonly number[], r: number): number {
  const b = a.slice();
  for (let m = 1; m <= r - 1; m++) for (let k = 0; k < r - m; k++) b[k] = (b[k + 1] * 4 ** m - b[k]) / (4 ** m - 1);
  return b[0];
}

/** func at x + h and at x - h, where h moves coordinate i by hi (and j by hj when given); in that order. */
export function plusMinus<T>(func: (x: number[]) => T, x: readonly number[], i: number, hi: number, j = -1, hj = 0): [T, T] {
  const xp = x.slice();
  const xm = x.slice();
  xp[i] += hi;
  xm[i] -= hi;
  if (j >= 0) {
    xp[j] += hj;
    xm[j] -= hj;
  }
  return [func(xp), func(xm)];
}

/** numDeriv::hessian(func, x) with the defaults eps = 1e-4, d = 0.1, r = 4, v = 2. */
export function hessianRichardson(func: (x: number[]) => number, x: readonly number[], d = 0.1, eps = 1e-4, r = 4): number[][] {
  const n = x.length;
  const v = 2;
  const f0 = func(x.slice());
  const h0 = x.map((xi) => Math.abs(d * xi) + eps * (Math.abs(xi) < ZERO_TOL ? 1 : 0));
  const Hdiag = new Array<number>(n).fill(0);
  const H: number[][] = x.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const h = h0.slice();
    const Ha: number[] = [];
    for (let k = 0; k < r; k++) {
      const [f1, f2] = plusMinus(func, x, i, h[i]);
      Ha.push((f1 - 2 * f0 + f2) / (h[i] * h[i]));
      for (let t = 0; t < n; t++) h[t] /= v;
    }
    Hdiag[i] = extrapolate(Ha, r);
    H[i][i] = Hdiag[i];
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const h = h0.slice();
      const Da: number[] = [];
      for (let k = 0; k < r; k++) {
        const [f1, f2] = plusMinus(func, x, i, h[i], j, h[j]);
        Da.push((f1 - 2 * f0 + f2 - Hdiag[i] * h[i] * h[i] - Hdiag[j] * h[j] * h[j]) / (2 * h[i] * h[j]));
        for (let t = 0; t < n; t++) h[t] /= v;
      }
      H[i][j] = H[j][i] = extrapolate(Da, r);
    }
  }
  return H;
}

/**
 * numDeriv::jacobian(func, x) (Richardson; eps = 1e-4, d = 1e-4, r = 4, v = 2) of a vector-valued
 * function: returns one derivative vector per coordinate of x.
 */
export function jacobianRichardson(func: (x: number[]) => Float64Array, x: readonly number[], d = 1e-4, eps = 1e-4, r = 4): Float64Array[] {
  const n = x.length;
  const v = 2;
  const h = x.map((xi) => Math.abs(d * xi) + eps * (Math.abs(xi) < ZERO_TOL ? 1 : 0));
  const a: Float64Array[][] = x.map(() => []);
  for (let k = 0; k < r; k++) {
    for (let i = 0; i < n; i++) {
      const [f1, f2] = plusMinus(func, x, i, h[i]);
      const dq = new Float64Array(f1.length);
      for (let t = 0; t < f1.length; t++) dq[t] = (f1[t] - f2[t]) / (2 * h[i]);
      a[i].push(dq);
    }
    for (let t = 0; t < n; t++) h[t] /= v;
  }
  return a.map((ai) => Float64Array.from(ai[0], (_, t) => extrapolate(ai.map((q) => q[t]), r)));
}
