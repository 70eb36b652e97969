/**
 * Derivative-free bounded minimisation of the profiled deviance over theta, as lme4 does it
 * (lme4 uses BOBYQA from the minqa/nloptr packages by default, its own Nelder-Mead for some fits).
 *
 * Why hand-written: npm has no maintained BOBYQA, and the Nelder-Mead packages there (fmin,
 * optimization-js) neither take bounds nor are kept up; the whole optimiser is ~150 lines.
 *
 * Two stages:
 *  1. Nelder-Mead (Lagarias et al. 1998 coefficients) from lme4's start (1 on the diagonals, 0 off
 *     them) until the simplex values agree to 1e-8 and its size is below 1e-3;
 *  2. projected Newton polish: central-difference gradient and Hessian of the (smooth) criterion on
 *     the free coordinates -- those not held at a bound by a positive gradient -- a damped Newton
 *     step, projected back onto the box, with step halving. It stops when the step is below 1e-11
 *     (relative). The deviance is smooth in theta through the bounds (it depends on T_k T_k' only),
 *     so differences across a bound are well defined; the bound only constrains the solution.
 * This takes theta to ~1e-9 (relative), beyond lme4's default stopping rule (~1e-6 .. 1e-7).
 */
import { plusMinus } from "./numderiv.js";

export interface OptimResult {
  par: number[];
  value: number;
  evaluations: number;
  /** Coordinates held at their lower bound at the optimum. */
  atBound: boolean[];
}

function project(x: readonly number[], lower: readonly number[]): number[] {
  return x.map((v, i) => (v < lower[i] ? lower[i] : v));
}

export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  lower: readonly number[],
  options: { ftol?: number; maxEval?: number; step?: number; sizeTol?: number } = {},
): { par: number[]; value: number; evaluations: number } {
  const d = x0.length;
  const ftol = options.ftol ?? 1e-10;
  const sizeTol = options.sizeTol ?? 1e-6;
  const maxEval = options.maxEval ?? 200 * (d + 1) * (d + 1);
  let evals = 0;
  const fp = (x: number[]): number => {
    evals++;
    const v = f(project(x, lower));
    return Number.isFinite(v) ? v : Infinity;
  };
  const simplex: number[][] = [x0.slice()];
  for (let i = 0; i < d; i++) {
    const x = x0.slice();
    const s = options.step ?? (Math.abs(x[i]) > 0.05 ? 0.25 * Math.abs(x[i]) : 0.25);
    x[i] += s;
    simplex.push(x);
  }
  let vals = simplex.map(fp);
  while (evals < maxEval) {
    const ord = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
    const sx = ord.map((i) => simplex[i]);
    const sv = ord.map((i) => vals[i]);
    simplex.splice(0, simplex.length, ...sx);
    vals = sv;
    const spread = Math.abs(vals[d] - vals[0]);
    let size = 0;
    for (let i = 1; i <= d; i++) for (let j = 0; j < d; j++) size = Math.max(size, Math.abs(simplex[i][j] - simplex[0][j]));
    if (spread <= ftol * (Math.abs(vals[0]) + 1e-12) && size < sizeTol) break;
    if (size < 1e-13) break;
    const c = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) c[j] += simplex[i][j] / d;
    const worst = simplex[d];
    const at = (t: number): number[] => c.map((cj, j) => cj + t * (worst[j] - cj));
    const xr = project(at(-1), lower);
    const fr = fp(xr);
    if (fr < vals[0]) {
      const xe = project(at(-2), lower);
      const fe = fp(xe);
      if (fe < fr) {
        simplex[d] = xe;
        vals[d] = fe;
      } else {
        simplex[d] = xr;
        vals[d] = fr;
      }
      continue;
    }
    if (fr < vals[d - 1]) {
      simplex[d] = xr;
      vals[d] = fr;
      continue;
    }
    const outside = fr < vals[d];
    const xc = project(at(outside ? -0.5 : 0.5), lower);
    const fc = fp(xc);
    if (fc < (outside ? fr : vals[d])) {
      simplex[d] = xc;
      vals[d] = fc;
      continue;
    }
    for (let i = 1; i <= d; i++) {
      simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j]));
      vals[i] = fp(simplex[i]);
    }
  }
  const best = vals.indexOf(Math.min(...vals));
  return { par: project(simplex[best], lower), value: vals[best], evaluations: evals };
}

/** Solve the symmetric system A x = b (Cholesky with Levenberg damping when A is not PD). */
function solveDamped(A: number[][], b: number[]): number[] {
  const m = b.length;
  let lambda = 0;
  const scale = Math.max(1e-300, ...A.map((r, i) => Math.abs(r[i])));
  for (let attempt = 0; attempt < 60; attempt++) {
    const L: number[][] = A.map((r) => r.slice());
    let ok = true;
    for (let j = 0; j < m && ok; j++) {
      let dd = L[j][j] + lambda;
      for (let t = 0; t < j; t++) dd -= L[j][t] * L[j][t];
      if (!(dd > 1e-14 * scale)) {
        ok = false;
        break;
      }
      const l = Math.sqrt(dd);
      L[j][j] = l;
      for (let i = j + 1; i < m; i++) {
        let s = A[i][j];
        for (let t = 0; t < j; t++) s -= L[i][t] * L[j][t];
        L[i][j] = s / l;
      }
    }
    if (ok) {
      const z = new Array<number>(m).fill(0);
      for (let i = 0; i < m; i++) {
        let s = b[i];
        for (let t = 0; t < i; t++) s -= L[i][t] * z[t];
        z[i] = s / L[i][i];
      }
      const x = new Array<number>(m).fill(0);
      for (let i = m - 1; i >= 0; i--) {
        let s = z[i];
        for (let t = i + 1; t < m; t++) s -= L[t][i] * x[t];
        x[i] = s / L[i][i];
      }
      return x;
    }
    lambda = lambda === 0 ? 1e-8 * scale : lambda * 10;
  }
  return b.map(() => 0);
}

/** Projected Newton polish from x0 (see the module comment). */
export function newtonPolish(
  f: (x: number[]) => number,
  x0: readonly number[],
  lower: readonly number[],
  maxIter = 40,
): OptimResult {
  const d = x0.length;
  let x = project(x0, lower);
  let fx = f(x);
  let evals = 1;
  const ev = (y: number[]): number => {
    evals++;
    const v = f(y);
    return Number.isFinite(v) ? v : Infinity;
  };
  let atBound = new Array<boolean>(d).fill(false);
  for (let iter = 0; iter < maxIter; iter++) {
    const h = x.map((v) => 1e-4 * Math.max(Math.abs(v), 0.05));
    const g = new Array<number>(d).fill(0);
    const fPlus: number[] = [];
    const fMinus: number[] = [];
    for (let i = 0; i < d; i++) {
      [fPlus[i], fMinus[i]] = plusMinus(ev, x, i, h[i]);
      g[i] = (fPlus[i] - fMinus[i]) / (2 * h[i]);
    }
    atBound = x.map((v, i) => v <= lower[i] && g[i] > 0);
    const free = x.map((_, i) => i).filter((i) => !atBound[i]);
    if (free.length === 0) break;
    const H: number[][] = free.map(() => new Array<number>(free.length).fill(0));
    free.forEach((i, a) => {
      H[a][a] = (fPlus[i] - 2 * fx + fMinus[i]) / (h[i] * h[i]);
      for (let b = 0; b < a; b++) {
        const j = free[b];
        const xpp = x.slice();
        xpp[i] += h[i];
        xpp[j] += h[j];
        const xmm = x.slice();
        xmm[i] -= h[i];
        xmm[j] -= h[j];
        // f(x+hi+hj) + f(x-hi-hj) - 2f - hi^2 fii - hj^2 fjj = 2 hi hj fij
        const v = (ev(xpp) + ev(xmm) - 2 * fx - h[i] * h[i] * H[a][a] - h[j] * h[j] * H[b][b]) / (2 * h[i] * h[j]);
        H[a][b] = H[b][a] = v;
      }
    });
    const step = solveDamped(
      H,
      free.map((i) => -g[i]),
    );
    let t = 1;
    let improved = false;
    let xn = x;
    let fn = fx;
    for (let k = 0; k < 30; k++) {
      const y = x.slice();
      free.forEach((i, a) => (y[i] += t * step[a]));
      const yp = project(y, lower);
      const fy = ev(yp);
      if (fy <= fx) {
        xn = yp;
        fn = fy;
        improved = true;
        break;
      }
      t /= 2;
    }
    if (!improved) break;
    const moved = Math.max(...xn.map((v, i) => Math.abs(v - x[i]) / Math.max(Math.abs(x[i]), 1e-3)));
    const dec = fx - fn;
    x = xn;
    fx = fn;
    if (moved < 1e-11 || dec < 1e-15 * Math.max(1, Math.abs(fx))) break;
  }
  atBound = x.map((v, i) => v <= lower[i]);
  return { par: x, value: fx, evaluations: evals, atBound };
}

/**
 * Minimise the profiled deviance over theta from lme4's start. The deviance depends on theta only
 * through T_k T_k', which is a valid covariance for any real T_k, so the search runs without bounds
 * (a bounded search stalls on the boundary, where the deviance of a term with theta = 0 is flat to
 * first order); `canonical` then maps the optimum to lme4's parameterisation (non-negative
 * diagonals: flip the sign of a column of T_k whose diagonal is negative -- T_k T_k' is unchanged)
 * and diagonal entries below 1e-6 are set to the bound 0 when that does not raise the deviance,
 * the other coordinates then polished again with those held at 0.
 */
export function minimizeTheta(
  f: (x: number[]) => number,
  start: readonly number[],
  lower: readonly number[],
  canonical: (x: number[]) => number[] = (x) => x,
): OptimResult {
  const free = start.map(() => -Infinity);
  // Nelder-Mead only has to bring theta into the Newton polish's basin.
  const nm = nelderMead(f, start, free, { ftol: 1e-8, sizeTol: 1e-3 });
  const pol = newtonPolish(f, nm.par, free);
  let x = canonical(pol.par);
  let fx = f(x);
  let evals = nm.evaluations + pol.evaluations + 1;
  for (let i = 0; i < x.length; i++) {
    if (lower[i] === 0 && x[i] !== 0 && Math.abs(x[i]) < 1e-6) {
      const y = x.slice();
      y[i] = 0;
      const fy = f(y);
      evals++;
      if (fy <= fx) {
        x = y;
        fx = fy;
      }
    }
  }
  // With coordinates set to their bound, polish the others again (the optimum on the boundary).
  const freeIdx = x.map((_, i) => i).filter((i) => !(lower[i] === 0 && x[i] === 0));
  if (freeIdx.length < x.length && freeIdx.length > 0) {
    const base = x.slice();
    const embed = (z: number[]): number[] => {
      const y = base.slice();
      freeIdx.forEach((i, k) => (y[i] = z[k]));
      return y;
    };
    const pol2 = newtonPolish((z) => f(embed(z)), freeIdx.map((i) => base[i]), freeIdx.map(() => -Infinity));
    evals += pol2.evaluations;
    const y = canonical(embed(pol2.par));
    const fy = f(y);
    evals++;
    if (fy <= fx) {
      x = y;
      fx = fy;
    }
  }
  return { par: x, value: fx, evaluations: evals, atBound: x.map((v, i) => v <= lower[i]) };
}
