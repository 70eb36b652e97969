/**
 * F tests of the fixed-effect terms as lmerTest's anova(fit, type = "III" | "II") computes them
 * (lmerTest 3.1-3, R/anova_contrasts.R, R/contrast_utils.R, R/contest.R):
 *  - type III: get_contrasts_type3 -> extract_contrasts_type3 on the (treatment-coded) model
 *    matrix: L = zapsmall(t(ginv(X) rdX)) with rdX the "complete" rank-deficient design (intercept
 *    plus model.matrix(~ 0 + term) for every term), then for every term contained in others,
 *    higher order first, its columns of L are replaced by their residuals on the columns of the
 *    containing terms (lm.fit), rows restricted to the coefficients, zero rows dropped. It does not
 *    need sum-to-zero contrasts;
 *  - type II: get_contrasts_type2_unfolded: terms not contained in another term get the marginal
 *    contrast (their own coefficients); the others the type I (Doolittle) contrast of X'X with the
 *    columns reordered as [unrelated, term, terms containing it];
 *  - with at most one term or one column, both are type I (Doolittle of X'X);
 *  - every L is tested with contestMD: eigen-decomposition of L Cov(beta) L', q = number of
 *    eigenvalues > sqrt(eps) * the largest, F = mean of the q squared t statistics, Satterthwaite
 *    df of each t and the denominator df of get_Fstat_ddf.
 * Containment (lmerTest::containment): term A is contained in B when B has all of A's variables
 * and more, and both involve the same numeric variables.
 */
import { fUpperP } from "../stats/distributions.js";
import { eigenSym, invSPD, lsResiduals, matmul, qform, transpose, zapsmall, zeros, type Mat } from "./dense.js";
import { designColumns, type FormulaTerm, type VariableKind } from "../stats/formula.js";
import { contrastCore } from "./satterthwaite.js";
import { cellCrossprod } from "./cellsums.js";
import type { MixedFrame } from "./mframe.js";
import type { LmmResult } from "./types.js";

export interface AnovaRow {
  term: string;
  type: 2 | 3;
  num_df: number | null;
  den_df: number | null;
  F: number | null;
  p: number | null;
}

/** What contestMD needs: estimates, their covariance and the varpar pieces. */
export interface ContrastModel {
  fixed: { estimate: number }[];
  vcov: number[][];
  varpar: { vcov: number[][]; jacobian: number[][][] };
}

/** lmerTest's doolittle(x, eps = 1e-6): unit lower-triangular L and U of x = L U. */
export function doolittle(x: Mat, eps = 1e-6): { L: Mat; U: Mat } {
  const n = x.length;
  const L = zeros(n, n);
  const U = zeros(n, n);
  for (let i = 0; i < n; i++) L[i][i] = 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let u = x[i][j];
      for (let k = 0; k < i; k++) u -= L[i][k] * U[k][j];
      U[i][j] = u;
    }
    for (let j = i + 1; j < n; j++) {
      let l = x[j][i];
      for (let k = 0; k < i; k++) l -= L[j][k] * U[k][i];
      L[j][i] = Math.abs(U[i][i]) < eps ? 0 : l / U[i][i];
    }
  }
  for (const M of [L, U]) for (const r of M) for (let j = 0; j < n; j++) if (Math.abs(r[j]) < eps) r[j] = 0;
  return { L, U };
}

/** lmerTest's get_Fstat_ddf. */
export function fStatDdf(nu: number[], tol = 1e-8): number {
  if (nu.length === 1) return nu[0];
  if (nu.every((v, i) => i === 0 || Math.abs(v - nu[i - 1]) < tol)) return nu.reduce((s, v) => s + v, 0) / nu.length;
  if (nu.some((v) => v <= 2)) return 2;
  const E = nu.reduce((s, v) => s + v / (v - 2), 0);
  return (2 * E) / (E - nu.length);
}

/** lmerTest's contestMD (Satterthwaite): F test of L beta = 0. Null fields when L has no rows. */
export function contestMD(model: ContrastModel, L: Mat): { num_df: number; den_df: number | null; F: number } | null {
  if (L.length === 0) return null;
  const beta = model.fixed.map((f) => f.estimate);
  const vp = model.varpar as unknown as LmmResult["varpar"];
  const one = (l: number[]): { F: number; df: number | null } => {
    const r = contrastCoreSafe(beta, model.vcov, vp, l);
    return { F: r.t * r.t, df: r.df };
  };
  if (L.length === 1) {
    const r = one(L[0]);
    return { num_df: 1, den_df: r.df, F: r.F };
  }
  const VL = matmul(matmul(L, model.vcov), transpose(L));
  const { values: d, vectors: P } = eigenSym(VL);
  const tol = Math.max(Math.sqrt(2.220446049250313e-16) * d[0], 0);
  const q = d.filter((x) => x > tol).length;
  if (q <= 0) return null;
  const PtL = matmul(transpose(P), L).slice(0, q);
  if (q === 1) {
    const r = one(PtL[0]);
    return { num_df: 1, den_df: r.df, F: r.F };
  }
  let F = 0;
  const nu: number[] = [];
  for (let m = 0; m < q; m++) {
    const est = PtL[m].reduce((s, w, i) => s + w * beta[i], 0);
    F += (est * est) / d[m];
    const g = model.varpar.jacobian.map((J) => qform(PtL[m], J));
    nu.push((2 * d[m] * d[m]) / qform(g, model.varpar.vcov));
  }
  F /= q;
  return { num_df: q, den_df: fStatDdf(nu), F };
}

function contrastCoreSafe(beta: number[], vcov: number[][], vp: LmmResult["varpar"], l: number[]): { t: number; df: number | null } {
  try {
    const r = contrastCore(beta, vcov, vp, l, 0.95, "L");
    return { t: r.t, df: r.df };
  } catch {
    return { t: NaN, df: null };
  }
}

/** Column indices of X per term label (including the intercept), in term order. */
function termColumns(frame: MixedFrame): Map<string, number[]> {
  const map = new Map<string, number[]>();
  if (frame.f.intercept) map.set("(Intercept)", []);
  for (const t of frame.f.terms) map.set(t.label, []);
  frame.columns.forEach((c, j) => map.get(c.term)!.push(j));
  return map;
}

function containment(terms: FormulaTerm[], kinds: Record<string, VariableKind>): Map<string, string[]> {
  const numerics = (t: FormulaTerm): string[] => t.variables.filter((v) => kinds[v]?.kind === "numeric").sort();
  const out = new Map<string, string[]>();
  for (const a of terms) {
    const na = numerics(a).join("\u0000");
    out.set(
      a.label,
      terms
        .filter((b) => a.variables.every((v) => b.variables.includes(v)) && b.variables.some((v) => !a.variables.includes(v)) && numerics(b).join("\u0000") === na)
        .map((b) => b.label),
    );
  }
  return out;
}

/** X'X of the kept columns, from the frame's cross-product of all columns. */
function xtxOf(frame: MixedFrame): Mat {
  const P = frame.allColumns.length;
  const idx = frame.columns.map((c) => frame.allColumns.indexOf(c));
  return idx.map((i) => idx.map((j) => frame.xtxAll[i * P + j]));
}

function type1(XtX: Mat, map: Map<string, number[]>, labels: string[]): Map<string, Mat> {
  const p = XtX.length;
  const Lt = p === 1 ? [[1]] : transpose(doolittle(XtX).L);
  return new Map(labels.map((t) => [t, map.get(t)!.map((j) => Lt[j].slice(0, p))]));
}

/**
 * X' rdX (p x m) with rdX = [1, model.matrix(~ 0 + term) for each term] in one pass over the rows:
 * a row has one non-zero column per term of rdX (the term's cell: factors coded by all their
 * levels, the first varying fastest, times its numeric variables).
 */
function crossRd(frame: MixedFrame): { XtR: Mat; m: number; names: string[] } {
  const termCols = frame.f.terms.map((t) => designColumns([t], frame.kinds, false));
  const names = [...(frame.f.intercept ? ["(Intercept)"] : []), ...termCols.flat().map((c) => c.name)];
  const m = names.length;
  const rdCols = [...(frame.f.intercept ? [{ name: "(Intercept)", term: "(Intercept)", parts: [] }] : []), ...termCols.flat()];
  const viaCells = cellCrossprod(frame.columns, rdCols, frame.n, frame.num, frame.code, frame.kinds);
  if (viaCells) {
    const XtR = Array.from({ length: frame.columns.length }, (_, j) => Array.from(viaCells.subarray(j * m, (j + 1) * m)));
    return { XtR, m, names };
  }
  const { n, X } = frame;
  const p = frame.columns.length;
  let off = frame.f.intercept ? 1 : 0;
  const specs = frame.f.terms.map((t, k) => {
    const facs: { codes: Int32Array; stride: number }[] = [];
    const nums: Float64Array[] = [];
    let stride = 1;
    for (const v of t.variables) {
      const kind = frame.kinds[v];
      if (kind.kind === "factor") {
        facs.push({ codes: frame.code[v], stride });
        stride *= kind.levels.length;
      } else nums.push(frame.num[v]);
    }
    const spec = { offset: off, facs, nums };
    off += termCols[k].length;
    return spec;
  });
  const acc = new Float64Array(p * m);
  const nzIdx = new Int32Array(p);
  const nzVal = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    let nz = 0;
    for (let j = 0; j < p; j++) {
      const v = X[j * n + i];
      if (v !== 0) {
        nzIdx[nz] = j;
        nzVal[nz++] = v;
      }
    }
    if (frame.f.intercept) for (let a = 0; a < nz; a++) acc[nzIdx[a] * m] += nzVal[a];
    for (const sp of specs) {
      let r = sp.offset;
      for (const fc of sp.facs) r += fc.codes[i] * fc.stride;
      let w = 1;
      for (const x of sp.nums) w *= x[i];
      if (w === 0) continue;
      for (let a = 0; a < nz; a++) acc[nzIdx[a] * m + r] += nzVal[a] * w;
    }
  }
  const XtR = Array.from({ length: p }, (_, j) => Array.from(acc.subarray(j * m, (j + 1) * m)));
  return { XtR, m, names };
}

function type3(frame: MixedFrame, XtX: Mat, map: Map<string, number[]>, labels: string[]): Map<string, Mat> {
  const p = frame.columns.length;
  const { XtR, names } = crossRd(frame);
  // L = zapsmall(t(ginv(X) rdX)) = t((X'X)^-1 X' rdX): m x p
  let L = zapsmall(transpose(matmul(invSPD(XtX), XtR)));
  const cont = containment(frame.f.terms, frame.kinds);
  const order = frame.f.terms.map((t, i) => ({ t, i })).sort((a, b) => b.t.variables.length - a.t.variables.length || a.i - b.i);
  for (const { t } of order) {
    const contains = cont.get(t.label)!;
    const cols = map.get(t.label)!;
    if (contains.length === 0 || cols.length === 0) continue;
    const xcols = contains.flatMap((c) => map.get(c)!);
    const Xm = L.map((r) => xcols.map((j) => r[j]));
    const Ym = L.map((r) => cols.map((j) => r[j]));
    const R = zapsmall(xcols.length ? lsResiduals(Xm, Ym) : Ym);
    L = L.map((r, i) => {
      const o = r.slice();
      cols.forEach((j, a) => (o[j] = R[i][a]));
      return o;
    });
  }
  // rows of L for the coefficients
  const rowOf = new Map(names.map((nm, i) => [nm, i]));
  const Lp = frame.columns.map((c) => {
    const i = rowOf.get(c.name);
    return i === undefined ? new Array<number>(p).fill(0) : L[i];
  });
  return new Map(
    labels.map((t) => {
      const rows = map.get(t)!.map((j) => Lp.map((r) => r[j]));
      return [t, rows.filter((r) => r.reduce((s, v) => s + Math.abs(v), 0) > 1e-8)];
    }),
  );
}

function type2(frame: MixedFrame, XtX: Mat, map: Map<string, number[]>, labels: string[]): Map<string, Mat> {
  const p = frame.columns.length;
  const cont = containment(frame.f.terms, frame.kinds);
  const colTerm = frame.columns.map((c) => c.term);
  const out = new Map<string, Mat>();
  for (const t of labels) {
    const contains = cont.get(t)!;
    const own = map.get(t)!;
    if (contains.length === 0) {
      out.set(t, own.map((j) => Array.from({ length: p }, (_, k) => (k === j ? 1 : 0))));
      continue;
    }
    const colsTerm = [...own, ...contains.flatMap((c) => map.get(c)!)];
    const perm = [...Array.from({ length: p }, (_, j) => j).filter((j) => !colsTerm.includes(j)), ...colsTerm];
    const Xn = perm.map((i) => perm.map((j) => XtX[i][j]));
    const Lc = transpose(doolittle(Xn).L);
    const rows: Mat = [];
    perm.forEach((pj, r) => {
      if (colTerm[pj] !== t) return;
      const row = new Array<number>(p).fill(0);
      perm.forEach((pk, c) => (row[pk] = Lc[r][c]));
      rows.push(row);
    });
    out.set(t, rows);
  }
  return out;
}

/** The hypothesis matrices of every term (lmerTest's show_tests), by type. */
export function anovaContrasts(frame: MixedFrame, type: 2 | 3): Map<string, Mat> {
  const map = termColumns(frame);
  const labels = frame.f.terms.map((t) => t.label);
  const XtX = xtxOf(frame);
  if (frame.columns.length <= 1 || labels.length <= 1) return type1(XtX, map, labels);
  return type === 3 ? type3(frame, XtX, map, labels) : type2(frame, XtX, map, labels);
}

/** anova(fit, type) of lmerTest: one row per term (null entries for terms without estimable columns). */
export function anovaTable(model: ContrastModel, frame: MixedFrame, type: 2 | 3): AnovaRow[] {
  const Ls = anovaContrasts(frame, type);
  // As lmerTest's single_anova: terms without a testable contrast (every column aliased) come last.
  const rows = frame.f.terms.map((t) => {
    const r = contestMD(model, Ls.get(t.label) ?? []);
    if (!r) return { term: t.label, type, num_df: null, den_df: null, F: null, p: null };
    const p = r.den_df === null || !Number.isFinite(r.F) ? null : fUpperP(r.F, r.num_df, r.den_df);
    return { term: t.label, type, num_df: r.num_df, den_df: r.den_df, F: Number.isFinite(r.F) ? r.F : null, p };
  });
  return [...rows.filter((r) => r.num_df !== null), ...rows.filter((r) => r.num_df === null)];
}
