/**
 * Satterthwaite degrees of freedom of a fixed effect or contrast, as lmerTest computes them
 * (Kuznetsova, Brockhoff & Christensen 2017): df = 2 (L'CL)^2 / (g' A g).
 */
import { tQuantile, tTwoSidedP } from "../stats/distributions.js";
import type { LmmFixedEffect, LmmResult } from "./types.js";

/** Symmetric 2 x 2 pseudo-inverse keeping eigenvalues > tol (as lmerTest:::as_lmerModLT). */
export function pinv2(h00: number, h01: number, h11: number, tol = 1e-8): number[][] {
  const phi = 0.5 * Math.atan2(2 * h01, h00 - h11);
  const cs = Math.cos(phi);
  const sn = Math.sin(phi);
  const vecs: [number, number][] = [
    [cs, sn],
    [-sn, cs],
  ];
  const out = [
    [0, 0],
    [0, 0],
  ];
  for (const [x, y] of vecs) {
    const lambda = h00 * x * x + 2 * h01 * x * y + h11 * y * y;
    if (lambda > tol) {
      out[0][0] += (x * x) / lambda;
      out[0][1] += (x * y) / lambda;
      out[1][0] += (x * y) / lambda;
      out[1][1] += (y * y) / lambda;
    }
  }
  return out;
}

function qform(L: readonly number[], A: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i < L.length; i++) {
    if (L[i] === 0) continue;
    for (let j = 0; j < L.length; j++) s += L[i] * A[i][j] * L[j];
  }
  return s;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** t test of L'beta from estimates, their covariance and the varpar pieces. */
export function contrastCore(
  estimates: readonly number[],
  vcov: readonly (readonly number[])[],
  varpar: LmmResult["varpar"],
  vec: readonly number[],
  level: number,
  term: string,
): LmmFixedEffect {
  const estimate = vec.reduce((s, w, i) => s + w * estimates[i], 0);
  const variance = qform(vec, vcov);
  const se = Math.sqrt(Math.max(variance, 0));
  const grad = varpar.jacobian.map((J) => qform(vec, J));
  const denom = qform(grad, varpar.vcov);
  const df = denom > 0 ? finiteOrNull((2 * variance * variance) / denom) : null;
  const t = estimate / se;
  if (!Number.isFinite(t)) throw new Error(`Contrast '${term}' has zero standard error`);
  let p: number | null = null;
  let ci: [number, number] | null = null;
  if (df !== null) {
    p = finiteOrNull(tTwoSidedP(t, df));
    const qt = tQuantile(0.5 + level / 2, df);
    if (Number.isFinite(qt)) ci = [estimate - qt * se, estimate + qt * se];
  }
  return { term, estimate, se, df, t, p, ci };
}

/**
 * t test of the contrast L'beta with Satterthwaite df (lmerTest's contest1D):
 *   df = 2 (L'CL)^2 / (g' A g),  g_k = L' (dC/d varpar_k) L.
 * `L` is a vector in `result.fixed` order, or a map from term name to weight
 * (unlisted terms get 0). Works from the JSON result alone.
 */
export function lmmContrast(
  result: LmmResult,
  L: readonly number[] | Readonly<Record<string, number>>,
  level = 0.95,
  term = "contrast",
): LmmFixedEffect {
  const terms = result.fixed.map((f) => f.term);
  let vec: number[];
  if (Array.isArray(L)) {
    vec = (L as readonly number[]).slice();
    if (vec.length !== terms.length) {
      throw new Error(`Contrast has ${vec.length} weights but the model has ${terms.length} fixed effects`);
    }
  } else {
    const map = L as Readonly<Record<string, number>>;
    for (const k of Object.keys(map)) {
      if (!terms.includes(k)) {
        const dropped = result.rank_deficient.includes(k) ? " (it was dropped: rank-deficient design)" : "";
        throw new Error(`Contrast term '${k}' is not a fixed effect of the model${dropped}; terms: ${terms.join(", ")}`);
      }
    }
    vec = terms.map((t) => map[t] ?? 0);
  }
  if (!vec.every(Number.isFinite)) throw new Error("Contrast weights must be finite numbers");
  if (vec.every((x) => x === 0)) throw new Error("Contrast weights are all zero");
  if (!(level > 0 && level < 1)) throw new Error(`Confidence level must be in (0, 1); got ${level}`);
  return contrastCore(
    result.fixed.map((f) => f.estimate),
    result.vcov,
    result.varpar,
    vec,
    level,
    term,
  );
}

