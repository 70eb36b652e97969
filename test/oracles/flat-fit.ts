/**
 * Oracle of the flat ML fit (src/lib/models/fit.ts): the same least squares written plainly on arrays
 * of arrays, with a column-dropping Cholesky as R's lm() drops aliased columns. The shipped fit writes
 * the design into scratch buffers and solves in place; the two must agree bit for bit
 * (test/lib/task/columnar.test.ts).
 */
import type { ModelFit, ModelSpec, SufficientStats } from "../../src/lib/models/types.js";
import { assembleFit, EXACT_FIT_TOL } from "../../src/lib/models/fit.js";

const LOG_2PI = Math.log(2 * Math.PI);

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

/** X'X, X'y, y'y and n of a model's design as arrays. */
export function designArrays(spec: ModelSpec, stats: SufficientStats): { xtx: number[][]; xty: number[]; yty: number; n: number } {
  const p = spec.coefNames.length;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const { yty, n } = spec.designInto(stats, a, b);
  return { xtx: Array.from({ length: p }, (_, i) => Array.from(a.subarray(i * p, (i + 1) * p))), xty: Array.from(b), yty, n };
}

/** The ML fit of fit.ts, computed plainly. */
export function oracleFitFromStats(spec: ModelSpec, stats: SufficientStats): ModelFit {
  const d = designArrays(spec, stats);
  const p = spec.coefNames.length;
  if (d.n === 0) {
    return assembleFit(spec, stats, new Array<number | null>(p).fill(null), {
      sigma: null,
      loglik: null,
      k: 0,
      method: "ml",
      warnings: ["no scored trials: nothing to fit (all estimates null)"],
    });
  }
  const { l, kept } = choleskyDrop(d.xtx);
  const sol = choleskySolve(l, d.xty, kept);
  const theta = sol.map((v, j) => (kept[j] ? v : null));
  let fitted = 0;
  for (let j = 0; j < p; j++) if (kept[j]) fitted += sol[j] * d.xty[j];
  const rss = Math.max(0, d.yty - fitted);
  const k = kept.filter(Boolean).length + 1;
  const warnings: string[] = [];
  let sigma: number | null = null;
  let loglik: number | null = null;
  if (d.yty === 0 || rss <= EXACT_FIT_TOL * d.yty) {
    warnings.push("sigma = 0 (the model reproduces every second estimate exactly): sigma, loglik, AIC and BIC are null");
  } else {
    const s2 = rss / d.n;
    sigma = Math.sqrt(s2);
    loglik = -0.5 * d.n * (LOG_2PI + Math.log(s2) + 1);
  }
  return assembleFit(spec, stats, theta, { sigma, loglik, k, method: "ml", warnings });
}
