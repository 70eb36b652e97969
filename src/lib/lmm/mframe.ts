/**
 * The model frame of a general mixed model, as lme4::lFormula builds it: complete cases of every
 * variable of the formula (fixed, random left-hand sides, grouping factors), variable kinds,
 * unused factor levels dropped, the fixed-effect model matrix X with lme4's rank-deficiency rule,
 * and for every random-effect term its model-matrix columns Z_k and grouping-factor levels, the
 * terms ordered as lme4 orders them (decreasing number of levels, ties in formula order).
 */
import { designColumns, type DesignColumn, type VariableKind } from "../stats/formula.js";
import { cellCrossprod } from "./cellsums.js";
import { allColumnsClearlyKept, rankKeptColumns } from "./rank.js";
import { parseMixedFormula, type MixedFormula, type RandomTerm } from "./terms.js";
import type { LmmRow } from "./types.js";

/** Data as rows, or as columns (arrays or typed arrays of equal length n). */
export type MixedData = readonly LmmRow[] | MixedColumns;
export interface MixedColumns {
  n: number;
  columns: Readonly<Record<string, ArrayLike<number | string | null | undefined>>>;
}

/** Bad input to the mixed model: unknown column, non-estimable term, degenerate grouping, ... */
export class MixedModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MixedModelError";
  }
}

export interface RandomBlock {
  term: RandomTerm;
  /** Model-matrix columns of the term (R's cnms). */
  columns: DesignColumn[];
  q: number;
  nLevels: number;
  /** Level (0-based, order of first appearance) of each complete row. */
  levelOf: Int32Array;
  /** Row-major n x q values of the term's columns. */
  Z: Float64Array;
}

export interface MixedFrame {
  f: MixedFormula;
  n: number;
  droppedRows: number;
  y: Float64Array;
  /** Column-major n x p model matrix (kept columns). */
  X: Float64Array;
  columns: DesignColumn[];
  /** Every model-matrix column before dropping rank-deficient ones. */
  allColumns: DesignColumn[];
  rankDeficient: string[];
  /** X'X of every column (row-major, allColumns order), for the estimability of linear functions. */
  xtxAll: Float64Array;
  /** Kinds of the fixed and random left-hand-side variables (factor levels after dropping unused ones). */
  kinds: Record<string, VariableKind>;
  levels: Record<string, string[]>;
  /** Numeric variables and factor codes on the complete rows. */
  num: Record<string, Float64Array>;
  code: Record<string, Int32Array>;
  /** Random-effect terms in lme4's order. */
  random: RandomBlock[];
  /** R's names of the random terms' groups in that order, made unique as VarCorr does ("Subject", "Subject.1"). */
  groupNames: string[];
}

const collator = new Intl.Collator("en");
/** A value no data cell can equal (start of the run caches). */
const NONE: unknown = Symbol("none");

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/** R's make.unique. */
export function makeUnique(names: string[]): string[] {
  const seen = new Map<string, number>();
  const out = names.slice();
  const used = new Set(names);
  names.forEach((nm, i) => {
    const k = seen.get(nm);
    if (k === undefined) {
      seen.set(nm, 0);
      return;
    }
    let c = k + 1;
    while (used.has(`${nm}.${c}`)) c++;
    out[i] = `${nm}.${c}`;
    used.add(out[i]);
    seen.set(nm, c);
  });
  return out;
}

function columnsOf(data: MixedData, vars: string[]): { n: number; get: (v: string) => ArrayLike<unknown>; names: string[] } {
  if (Array.isArray(data)) {
    const rows = data as readonly LmmRow[];
    if (rows.length === 0) throw new MixedModelError("No data rows");
    const names = Object.keys(rows[0] ?? {});
    const cache = new Map<string, unknown[]>();
    const present = (v: string): boolean => rows.some((r) => r != null && Object.prototype.hasOwnProperty.call(r, v));
    for (const v of vars) if (!present(v)) throw unknownColumn(v, names);
    return {
      n: rows.length,
      names,
      get: (v) => {
        let c = cache.get(v);
        if (!c) cache.set(v, (c = rows.map((r) => r?.[v])));
        return c;
      },
    };
  }
  const cols = data as MixedColumns;
  const names = Object.keys(cols.columns);
  for (const v of vars) if (!Object.prototype.hasOwnProperty.call(cols.columns, v)) throw unknownColumn(v, names);
  for (const v of names) {
    if (cols.columns[v].length !== cols.n) throw new MixedModelError(`Column '${v}' has ${cols.columns[v].length} values; expected ${cols.n}`);
  }
  if (cols.n === 0) throw new MixedModelError("No data rows");
  return { n: cols.n, names, get: (v) => cols.columns[v] };
}

function unknownColumn(v: string, names: string[]): MixedModelError {
  return new MixedModelError(
    `Unknown column '${v}' in the formula: not a column of the data` +
      (names.length ? ` (columns: ${names.slice(0, 30).join(", ")}${names.length > 30 ? ", ..." : ""})` : ""),
  );
}

/** Levels of a factor column: given, or sorted as R's factor() sorts them (numbers numerically, strings by collation). */
function autoLevels(values: ArrayLike<unknown>): string[] {
  const seen = new Map<string, unknown>();
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!isMissing(x)) {
      const k = String(x);
      if (!seen.has(k)) seen.set(k, x);
    }
  }
  const keys = [...seen.keys()];
  if ([...seen.values()].every((x) => typeof x === "number")) return keys.sort((a, b) => Number(a) - Number(b));
  return keys.sort(collator.compare);
}

export interface MixedFrameOptions {
  /** Factor levels by variable (reference first); a variable listed with `null` is a factor with sorted levels. */
  factors?: Readonly<Record<string, readonly string[] | null>>;
}

/** Build the model frame (throws MixedModelError / FormulaError naming the problem). */
export function mixedFrame(data: MixedData, formula: string | MixedFormula, options: MixedFrameOptions = {}): MixedFrame {
  const f = typeof formula === "string" ? parseMixedFormula(formula) : formula;
  const vars = f.variables;
  const src = columnsOf(data, vars);
  const N = src.n;
  const factors = options.factors ?? {};
  if (Object.prototype.hasOwnProperty.call(factors, f.response)) {
    throw new MixedModelError(`The response '${f.response}' must be numeric; it cannot be a factor`);
  }
  const groupVars = new Set(f.random.flatMap((r) => r.groupVariables));
  const modelVars = vars.filter((v) => v !== f.response && (!groupVars.has(v) || f.fixedVariables.includes(v) || f.random.some((r) => r.terms.some((t) => t.variables.includes(v)))));
  const complete = new Uint8Array(N).fill(1);

  // Response.
  const yAll = new Float64Array(N);
  const ycol = src.get(f.response);
  if (ycol instanceof Float64Array) {
    for (let i = 0; i < N; i++) {
      const v = ycol[i];
      if (v !== v) complete[i] = 0;
      else if (v === Infinity || v === -Infinity) throw new MixedModelError(`The response '${f.response}' has a non-finite value (${v}) in row ${i + 1}`);
      else yAll[i] = v;
    }
  } else for (let i = 0; i < N; i++) {
    const v = ycol[i];
    if (isMissing(v)) complete[i] = 0;
    else if (typeof v !== "number") throw new MixedModelError(`The response '${f.response}' must be numeric; row ${i + 1} has the value ${JSON.stringify(v)}`);
    else if (!Number.isFinite(v)) throw new MixedModelError(`The response '${f.response}' has a non-finite value (${v}) in row ${i + 1}`);
    else yAll[i] = v;
  }

  // Kinds and encodings of the model variables.
  const kinds0: Record<string, VariableKind> = {};
  const numAll: Record<string, Float64Array> = {};
  const codeAll: Record<string, Int32Array> = {};
  for (const v of modelVars) {
    const col = src.get(v);
    const given = Object.prototype.hasOwnProperty.call(factors, v) ? factors[v] : undefined;
    let numeric = given === undefined;
    if (numeric && !(col instanceof Float64Array)) for (let i = 0; i < N && numeric; i++) if (!isMissing(col[i]) && typeof col[i] !== "number") numeric = false;
    if (numeric && col instanceof Float64Array) {
      for (let i = 0; i < N; i++) {
        const x = col[i];
        if (x !== x) complete[i] = 0;
        else if (x === Infinity || x === -Infinity) throw new MixedModelError(`Variable '${v}' has a non-finite value (${x}) in row ${i + 1}`);
      }
      numAll[v] = col;
      kinds0[v] = { kind: "numeric" };
    } else if (numeric) {
      const out = (numAll[v] = new Float64Array(N));
      for (let i = 0; i < N; i++) {
        const x = col[i] as number;
        if (isMissing(x)) complete[i] = 0;
        else if (!Number.isFinite(x)) throw new MixedModelError(`Variable '${v}' has a non-finite value (${x}) in row ${i + 1}`);
        else out[i] = x;
      }
      kinds0[v] = { kind: "numeric" };
    } else {
      const levels = given ? given.map(String) : autoLevels(col);
      if (given && new Set(levels).size !== levels.length) throw new MixedModelError(`The levels given for factor '${v}' are not distinct`);
      const index = new Map(levels.map((l, j) => [l, j]));
      const out = (codeAll[v] = new Int32Array(N));
      let last: unknown = NONE;
      let lastK = -1;
      for (let i = 0; i < N; i++) {
        const x = col[i];
        if (x === last) {
          out[i] = lastK; // runs of equal values (sorted data): no lookup
          continue;
        }
        if (isMissing(x)) {
          complete[i] = 0;
          continue;
        }
        const k = index.get(String(x));
        last = x;
        lastK = k ?? -1;
        if (k === undefined) throw new MixedModelError(`Value ${JSON.stringify(x)} of factor '${v}' (row ${i + 1}) is not one of its levels: ${levels.join(", ")}`);
        out[i] = k;
      }
      kinds0[v] = { kind: "factor", levels };
    }
  }
  // Grouping variables: codes by first appearance (numbers and strings alike).
  const gcode: Record<string, Int32Array> = {};
  const gcount: Record<string, number> = {};
  for (const v of groupVars) {
    const col = src.get(v);
    const out = (gcode[v] = new Int32Array(N));
    const index = new Map<unknown, number>();
    let last: unknown = NONE;
    let lastK = -1;
    for (let i = 0; i < N; i++) {
      const x = col[i];
      if (x === last) {
        out[i] = lastK;
        continue;
      }
      if (isMissing(x)) {
        complete[i] = 0;
        out[i] = -1;
        continue;
      }
      const key = typeof x === "number" ? x : String(x);
      let k = index.get(key);
      if (k === undefined) index.set(key, (k = index.size));
      out[i] = k;
      last = x;
      lastK = k;
    }
    gcount[v] = index.size;
  }

  let n = 0;
  for (let i = 0; i < N; i++) n += complete[i];
  if (n === 0) throw new MixedModelError(`No complete rows: every row has a missing value in one of ${vars.join(", ")}`);
  const rowsUsed = new Int32Array(n);
  for (let i = 0, k = 0; i < N; i++) if (complete[i]) rowsUsed[k++] = i;
  const all = n === N; // no row dropped: the encodings are used as they are (no copies)
  const y = all ? yAll : new Float64Array(n);
  if (!all) for (let k = 0; k < n; k++) y[k] = yAll[rowsUsed[k]];

  // Drop unused levels; encodings on the complete rows.
  const kinds: Record<string, VariableKind> = {};
  const levels: Record<string, string[]> = {};
  const num: Record<string, Float64Array> = {};
  const code: Record<string, Int32Array> = {};
  for (const v of modelVars) {
    const k0 = kinds0[v];
    if (k0.kind === "numeric") {
      kinds[v] = k0;
      const src2 = numAll[v];
      if (all) num[v] = src2;
      else {
        const out = (num[v] = new Float64Array(n));
        for (let k = 0; k < n; k++) out[k] = src2[rowsUsed[k]];
      }
      continue;
    }
    const codes = codeAll[v];
    const present = new Uint8Array(k0.levels.length);
    for (let k = 0; k < n; k++) present[codes[rowsUsed[k]]] = 1;
    const map = new Int32Array(k0.levels.length).fill(-1);
    const lv: string[] = [];
    k0.levels.forEach((l, j) => {
      if (present[j]) {
        map[j] = lv.length;
        lv.push(l);
      }
    });
    if (lv.length < 2) {
      throw new MixedModelError(
        `Factor '${v}' has ${lv.length === 1 ? `only one level ('${lv[0]}')` : "no levels"} in the complete rows; a factor needs at least 2 levels`,
      );
    }
    kinds[v] = { kind: "factor", levels: lv };
    levels[v] = lv;
    if (all && lv.length === k0.levels.length) code[v] = codes;
    else {
      const out = (code[v] = new Int32Array(n));
      for (let k = 0; k < n; k++) out[k] = map[codes[rowsUsed[k]]];
    }
  }

  // Fixed-effect model matrix and lme4's rank rule (chkRank.drop.cols, QR tolerance 1e-7).
  const allColumns = designColumns(f.terms, kinds, f.intercept);
  if (allColumns.length === 0) throw new MixedModelError("The model has no fixed effects; at least an intercept is required");
  const Xall = evalColumns(allColumns, n, num, code, false) as Float64Array;
  const P = allColumns.length;
  const xtx = cellCrossprod(allColumns, allColumns, n, num, code, kinds) ?? crossprodColumns(Xall, n, P);
  const keep = allColumnsClearlyKept(xtx, P) ? allColumns.map((_, j) => j) : rankKeptColumns(Xall, n, P);
  const columns = keep.map((j) => allColumns[j]);
  const rankDeficient = allColumns.filter((_, j) => !keep.includes(j)).map((c) => c.name);
  let X = Xall;
  if (keep.length !== P) {
    X = new Float64Array(n * keep.length);
    keep.forEach((j, jj) => X.set(Xall.subarray(j * n, (j + 1) * n), jj * n));
  }
  if (n - keep.length < 1 && keep.length > 0) throw new MixedModelError(`Too few observations (${n}) for ${keep.length} fixed effects`);

  // Random-effect terms.
  const blocks: RandomBlock[] = f.random.map((term) => {
    const cols = designColumns(term.terms, kinds, term.intercept);
    const Z = evalColumns(cols, n, num, code, true) as Float64Array;
    const levelOf = new Int32Array(n);
    let nLevels = 0;
    if (term.groupVariables.length === 1) {
      const gc = gcode[term.groupVariables[0]];
      const map = new Int32Array(gcount[term.groupVariables[0]]).fill(-1);
      for (let k = 0; k < n; k++) {
        const c = gc[all ? k : rowsUsed[k]];
        let l = map[c];
        if (l < 0) map[c] = l = nLevels++;
        levelOf[k] = l;
      }
    } else {
      const map = new Map<string, number>();
      for (let k = 0; k < n; k++) {
        const key = term.groupVariables.map((v) => gcode[v][rowsUsed[k]]).join(",");
        let l = map.get(key);
        if (l === undefined) map.set(key, (l = map.size));
        levelOf[k] = l;
      }
      nLevels = map.size;
    }
    return { term, columns: cols, q: cols.length, nLevels, levelOf, Z };
  });
  // lme4 (mkReTrms): terms in decreasing order of the number of levels, ties kept in order.
  const order = blocks.map((b, i) => i).sort((a, b) => blocks[b].nLevels - blocks[a].nLevels || a - b);
  const random = order.map((i) => blocks[i]);
  for (const b of random) {
    if (b.nLevels < 2) {
      throw new MixedModelError(`The grouping factor '${b.term.group}' must have at least 2 levels in the complete rows; found ${b.nLevels} (lme4: grouping factors must have > 1 sampled level)`);
    }
    if (b.nLevels >= n) {
      throw new MixedModelError(`The number of levels of the grouping factor '${b.term.group}' (${b.nLevels}) must be less than the number of observations (${n})`);
    }
    if (n <= b.q * b.nLevels) {
      throw new MixedModelError(
        `number of observations (=${n}) <= number of random effects (=${b.q * b.nLevels}) for term (${b.term.label}); the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable`,
      );
    }
  }
  const groupNames = makeUnique(random.map((b) => b.term.group));
  return { f, n, droppedRows: N - n, y, X, columns, allColumns, rankDeficient, xtxAll: xtx, kinds, levels, num, code, random, groupNames };
}

/**
 * Values of design columns on the complete rows: column-major n x p, or row-major when
 * `rowMajor` (the random-effect terms' Z).
 */
export function evalColumns(
  cols: readonly DesignColumn[],
  n: number,
  num: Record<string, Float64Array>,
  code: Record<string, Int32Array>,
  rowMajor: boolean,
): Float64Array {
  const p = cols.length;
  const out = new Float64Array(n * p);
  const col = new Float64Array(n);
  cols.forEach((c, j) => {
    col.fill(1);
    for (const part of c.parts) {
      if (part.level === null) {
        const x = num[part.variable];
        for (let k = 0; k < n; k++) col[k] *= x[k];
      } else {
        const cd = code[part.variable];
        const lv = part.level;
        for (let k = 0; k < n; k++) if (cd[k] !== lv) col[k] = 0;
      }
    }
    if (rowMajor) for (let k = 0; k < n; k++) out[k * p + j] = col[k];
    else out.set(col, j * n);
  });
  return out;
}

/** X'X (row-major p x p) of a column-major n x p matrix, row by row over the non-zero entries. */
export function crossprodColumns(X: Float64Array, n: number, p: number): Float64Array {
  const out = new Float64Array(p * p);
  const nzIdx = new Int32Array(p);
  const nzVal = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < p; j++) {
      const v = X[j * n + i];
      if (v !== 0) {
        nzIdx[m] = j;
        nzVal[m++] = v;
      }
    }
    for (let a = 0; a < m; a++) {
      const va = nzVal[a];
      const row = nzIdx[a] * p;
      for (let b = a; b < m; b++) out[row + nzIdx[b]] += va * nzVal[b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) out[a * p + b] = out[b * p + a];
  return out;
}
