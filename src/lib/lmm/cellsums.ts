/**
 * Cross-products A'B of fixed-effect design columns through sums per factor cell. Every column is
 * an indicator of some factor levels times a product of numeric variables (a monomial), so with
 * the rows grouped by the cell of all factors involved (e.g. group x session x valence: 8 cells),
 *     (A'B)_jr = sum over cells c where both indicators hold of  S_c[mono_j, mono_r],
 *     S_c[a, b] = sum over the rows of cell c of  m_a m_b.
 * One pass over the rows costs (number of monomials)^2 per row instead of |A| |B|; used for X'X and
 * for X' rdX of the type III contrasts. Returns null when the cells are too many for this to pay.
 */
import type { DesignColumn, VariableKind } from "../stats/formula.js";

export function cellCrossprod(
  A: readonly DesignColumn[],
  B: readonly DesignColumn[],
  n: number,
  num: Record<string, Float64Array>,
  code: Record<string, Int32Array>,
  kinds: Record<string, VariableKind>,
): Float64Array | null {
  const all = [...A, ...B];
  const fvars: string[] = [];
  for (const c of all) for (const p of c.parts) if (p.level !== null && !fvars.includes(p.variable)) fvars.push(p.variable);
  const strides: number[] = [];
  let C = 1;
  for (const v of fvars) {
    strides.push(C);
    const k = kinds[v];
    C *= k.kind === "factor" ? k.levels.length : 1;
    if (C > 4096) return null;
  }
  const monoKey = (c: DesignColumn): string =>
    c.parts
      .filter((p) => p.level === null)
      .map((p) => p.variable)
      .sort()
      .join("\u0000");
  const monos: string[] = [];
  const monoOf = (c: DesignColumn): number => {
    const k = monoKey(c);
    let i = monos.indexOf(k);
    if (i < 0) i = monos.push(k) - 1;
    return i;
  };
  const mA = A.map(monoOf);
  const mB = B.map(monoOf);
  const M = monos.length;
  if (C * M * M > 2 * n) return null;
  const monoVars = monos.map((k) => (k === "" ? [] : k.split("\u0000").map((v) => num[v])));
  const fcodes = fvars.map((v) => code[v]);
  const S = new Float64Array(C * M * M);
  const m = new Float64Array(M);
  for (let i = 0; i < n; i++) {
    let cell = 0;
    for (let f = 0; f < fcodes.length; f++) cell += fcodes[f][i] * strides[f];
    for (let a = 0; a < M; a++) {
      let v = 1;
      const xs = monoVars[a];
      for (let t = 0; t < xs.length; t++) v *= xs[t][i];
      m[a] = v;
    }
    const o = cell * M * M;
    for (let a = 0; a < M; a++) {
      const ma = m[a];
      for (let b = a; b < M; b++) S[o + a * M + b] += ma * m[b];
    }
  }
  // Cells where a column's indicators hold.
  const cellsOf = (c: DesignColumn): number[] => {
    const out: number[] = [];
    for (let cell = 0; cell < C; cell++) {
      let ok = true;
      for (const p of c.parts) {
        if (p.level === null) continue;
        const f = fvars.indexOf(p.variable);
        const lv = Math.floor(cell / strides[f]) % (kinds[p.variable] as { levels: readonly string[] }).levels.length;
        if (lv !== p.level) {
          ok = false;
          break;
        }
      }
      if (ok) out.push(cell);
    }
    return out;
  };
  const inA = A.map((c) => new Set(cellsOf(c)));
  const cB = B.map(cellsOf);
  const out = new Float64Array(A.length * B.length);
  for (let j = 0; j < A.length; j++)
    for (let r = 0; r < B.length; r++) {
      const a = Math.min(mA[j], mB[r]);
      const b = Math.max(mA[j], mB[r]);
      let s = 0;
      for (const cell of cB[r]) if (inA[j].has(cell)) s += S[cell * M * M + a * M + b];
      out[j * B.length + r] = s;
    }
  return out;
}
