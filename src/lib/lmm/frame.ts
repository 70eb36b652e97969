/**
 * The model frame and fixed-effect model matrix of a formula on data, as lme4::lFormula builds them:
 * complete cases, variable kinds, unused levels dropped, treatment contrasts.
 */
import { designColumns, parseFormula, type DesignColumn, type ParsedFormula, type VariableKind } from "../stats/formula.js";
import { rankKeptColumns } from "./rank.js";
import type { LmmDesign, LmmOptions, LmmRow } from "./types.js";

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));
}

/** Code-unit order (deterministic; R's sort() is locale-dependent — pass levels explicitly to be sure). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


/**
 * The model frame of the complete rows before the model matrix: variable kinds, complete cases,
 * response, grouping codes and per-variable encodings (numbers, or level codes). Built from data
 * rows (frameFromRows) or, on the analysis pipeline's hot path, straight from typed columns
 * (fitLmmColumns).
 */
export interface LmmFrame {
  f: ParsedFormula;
  N: number;
  kinds: Record<string, VariableKind>;
  complete: Uint8Array;
  yAll: Float64Array;
  /** Grouping variable: a code per row (any numbering; -1 where missing), and their count. */
  groupCode: Int32Array;
  nGroupCodes: number;
  numAll: Record<string, Float64Array>;
  levAll: Record<string, Int32Array>;
  used: string[];
}

export function frameFromRows(rows: readonly LmmRow[], formula: string | ParsedFormula, options: LmmOptions): LmmFrame {
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  if (!Array.isArray(rows) || rows.length === 0) throw new Error("fitLmm: no data rows");

  const { response, group } = f;
  const fixedVars = f.fixedVariables;
  const used = [response, ...fixedVars.filter((v) => v !== group), group];

  // Unknown variables.
  for (const v of used) {
    if (!rows.some((r) => r != null && Object.prototype.hasOwnProperty.call(r, v))) {
      const cols = Object.keys(rows[0] ?? {});
      throw new Error(
        `Unknown variable '${v}' in formula "${f.source}": not a column of the data` +
          (cols.length ? ` (columns: ${cols.slice(0, 30).join(", ")}${cols.length > 30 ? ", ..." : ""})` : ""),
      );
    }
  }
  const factors = options.factors ?? {};
  if (Object.prototype.hasOwnProperty.call(factors, response)) {
    throw new Error(`The response '${response}' must be numeric; it cannot be listed in options.factors`);
  }
  for (const [v, lv] of Object.entries(factors)) {
    if (!Array.isArray(lv) || lv.length === 0) throw new Error(`options.factors.${v} must be a non-empty array of levels`);
    if (new Set(lv.map(String)).size !== lv.length) throw new Error(`options.factors.${v} has duplicated levels`);
  }

  // Variable kinds: listed factors; otherwise numeric if every non-missing
  // value is a number, else a factor with sorted levels.
  const N = rows.length;
  const kinds: Record<string, VariableKind> = {};
  for (const v of fixedVars) {
    if (Object.prototype.hasOwnProperty.call(factors, v)) {
      kinds[v] = { kind: "factor", levels: factors[v].map(String) };
      continue;
    }
    let numeric = true;
    for (let i = 0; i < N && numeric; i++) {
      const x = rows[i]?.[v];
      if (!isMissing(x) && typeof x !== "number") numeric = false;
    }
    if (numeric) {
      kinds[v] = { kind: "numeric" };
    } else {
      const seen = new Set<string>();
      for (let i = 0; i < N; i++) {
        const x = rows[i]?.[v];
        if (!isMissing(x)) seen.add(typeof x === "string" ? x : String(x));
      }
      kinds[v] = { kind: "factor", levels: [...seen].sort(compareStrings) };
    }
  }

  // Complete cases and encodings, one variable at a time.
  const complete = new Uint8Array(N).fill(1);
  const yAll = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const yv = rows[i]?.[response];
    if (isMissing(yv)) complete[i] = 0;
    else if (typeof yv !== "number") {
      throw new Error(`The response '${response}' must be numeric; row ${i + 1} has the value ${JSON.stringify(yv)}`);
    } else if (!Number.isFinite(yv)) {
      throw new Error(`The response '${response}' has a non-finite value (${yv}) in row ${i + 1}`);
    } else yAll[i] = yv;
  }
  const groupCode = new Int32Array(N).fill(-1);
  const groupIndex = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const gv = rows[i]?.[group];
    if (isMissing(gv)) complete[i] = 0;
    else {
      const key = typeof gv === "string" ? gv : String(gv);
      let code = groupIndex.get(key);
      if (code === undefined) groupIndex.set(key, (code = groupIndex.size));
      groupCode[i] = code;
    }
  }
  const numAll: Record<string, Float64Array> = {};
  const levAll: Record<string, Int32Array> = {};
  for (const v of fixedVars) {
    const k = kinds[v];
    if (k.kind === "numeric") {
      const out = (numAll[v] = new Float64Array(N));
      for (let i = 0; i < N; i++) {
        const x = rows[i]?.[v];
        if (isMissing(x)) complete[i] = 0;
        else if (!Number.isFinite(x as number)) {
          throw new Error(`Variable '${v}' has a non-finite value (${x}) in row ${i + 1}`);
        } else out[i] = x as number;
      }
    } else {
      const index = new Map(k.levels.map((l, j) => [l, j]));
      const out = (levAll[v] = new Int32Array(N));
      for (let i = 0; i < N; i++) {
        const x = rows[i]?.[v];
        if (isMissing(x)) {
          complete[i] = 0;
          continue;
        }
        const idx = index.get(typeof x === "string" ? x : String(x));
        if (idx === undefined) {
          throw new Error(
            `Value ${JSON.stringify(x)} of factor '${v}' (row ${i + 1}) is not one of its levels: ${k.levels.join(", ")}`,
          );
        }
        out[i] = idx;
      }
    }
  }
  return { f, N, kinds, complete, yAll, groupCode, nGroupCodes: groupIndex.size, numAll, levAll, used };
}

/** The model matrix of a frame with every column (rank deficiency not yet checked), or the error lmmDesign throws. */
export interface FullDesign {
  f: ParsedFormula;
  columns: DesignColumn[];
  /** Column-major nObs x P. */
  Xfull: Float64Array;
  y: Float64Array;
  group: Int32Array;
  nGroups: number;
  droppedRows: number;
  levels: Record<string, string[]>;
}

export function fullDesign(frame: LmmFrame): FullDesign {
  const { f, N, kinds, complete, yAll, groupCode, numAll, levAll, used } = frame;
  const fixedVars = f.fixedVariables;
  const group = f.group;
  let nObs = 0;
  for (let i = 0; i < N; i++) nObs += complete[i];
  const droppedRows = N - nObs;
  if (nObs === 0) throw new Error(`No complete rows: every row has a missing value in one of ${used.join(", ")}`);

  // Drop unused factor levels (R's model.frame(drop.unused.levels = TRUE)).
  const usedLevels: Record<string, string[]> = {};
  const finalKinds: Record<string, VariableKind> = {};
  const remap: Record<string, Int32Array> = {};
  for (const v of fixedVars) {
    const k = kinds[v];
    if (k.kind === "numeric") {
      finalKinds[v] = k;
      continue;
    }
    const present = new Uint8Array(k.levels.length);
    const codes = levAll[v];
    for (let i = 0; i < N; i++) if (complete[i]) present[codes[i]] = 1;
    const map = new Int32Array(k.levels.length).fill(-1);
    const lv: string[] = [];
    k.levels.forEach((l, j) => {
      if (present[j]) {
        map[j] = lv.length;
        lv.push(l);
      }
    });
    if (lv.length < 2) {
      throw new Error(
        `Factor '${v}' has ${lv.length === 1 ? `only one level ('${lv[0]}')` : "no levels"} in the complete rows; a factor needs at least 2 levels`,
      );
    }
    usedLevels[v] = lv;
    finalKinds[v] = { kind: "factor", levels: lv };
    remap[v] = map;
  }

  // Groups in order of first appearance.
  const gIndex = new Int32Array(frame.nGroupCodes).fill(-1);
  let G = 0;
  const groupOf = new Int32Array(nObs);
  const y = new Float64Array(nObs);
  const rowsUsed = new Int32Array(nObs);
  for (let i = 0, k = 0; i < N; i++) {
    if (!complete[i]) continue;
    const code = groupCode[i];
    let g = gIndex[code];
    if (g < 0) gIndex[code] = g = G++;
    groupOf[k] = g;
    y[k] = yAll[i];
    rowsUsed[k] = i;
    k++;
  }
  if (G < 2) {
    throw new Error(`The grouping factor '${group}' must have at least 2 levels in the complete rows; found ${G}`);
  }
  if (nObs <= G) {
    throw new Error(
      `The number of observations (${nObs}) must exceed the number of levels of '${group}' (${G}); ` +
        "the random intercept and residual variances are not identifiable",
    );
  }

  // Model matrix (column-major): each column is a product of numeric columns
  // and level indicators, evaluated on the complete rows.
  const columns: DesignColumn[] = designColumns(f.terms, finalKinds);
  const P = columns.length;
  const Xfull = new Float64Array(nObs * P);
  const colNum: Record<string, Float64Array> = {};
  const colCode: Record<string, Int32Array> = {};
  const all = nObs === N;
  for (const v of fixedVars) {
    if (finalKinds[v].kind === "numeric") {
      const src = numAll[v];
      if (all) colNum[v] = src;
      else {
        const out = (colNum[v] = new Float64Array(nObs));
        for (let k = 0; k < nObs; k++) out[k] = src[rowsUsed[k]];
      }
    } else {
      const src = levAll[v];
      const map = remap[v];
      const out = (colCode[v] = new Int32Array(nObs));
      for (let k = 0; k < nObs; k++) out[k] = map[src[rowsUsed[k]]];
    }
  }
  for (let j = 0; j < P; j++) {
    const col = Xfull.subarray(j * nObs, (j + 1) * nObs);
    col.fill(1);
    for (const part of columns[j].parts) {
      if (part.level === null) {
        const x = colNum[part.variable];
        for (let k = 0; k < nObs; k++) col[k] *= x[k];
      } else {
        const codes = colCode[part.variable];
        const lv = part.level;
        for (let k = 0; k < nObs; k++) if (codes[k] !== lv) col[k] = 0;
      }
    }
  }
  return { f, columns, Xfull, y, group: groupOf, nGroups: G, droppedRows, levels: usedLevels };
}

/** The kept columns of a full design (X restricted to them); throws when n <= p. */
export function keepColumns(d: FullDesign, keep: number[]): LmmDesign {
  const nObs = d.y.length;
  const P = d.columns.length;
  const rankDeficient = d.columns.filter((_, j) => !keep.includes(j)).map((c) => c.name);
  const p = keep.length;
  const X = keep.length === P ? d.Xfull : new Float64Array(nObs * p);
  if (keep.length !== P) keep.forEach((j, jj) => X.set(d.Xfull.subarray(j * nObs, (j + 1) * nObs), jj * nObs));
  if (nObs - p < 1) {
    throw new Error(`Too few observations (${nObs}) for ${p} fixed effects: REML needs n > p`);
  }
  return {
    formula: d.f,
    columns: keep.map((j) => d.columns[j].name),
    rankDeficient,
    X,
    y: d.y,
    group: d.group,
    nGroups: d.nGroups,
    droppedRows: d.droppedRows,
    levels: d.levels,
  };
}

/**
 * Build the model frame and model matrix as lme4::lFormula does: complete
 * cases of the variables in the formula, unused factor levels dropped,
 * treatment contrasts, rank-deficient columns dropped (qr tolerance 1e-7).
 *
 * Throws an Error naming the problem for: a formula without (or with more
 * than one) random intercept, a variable not in the data, a non-numeric
 * response, a factor value outside the given levels, a factor with fewer than
 * 2 levels, fewer than 2 groups, no more observations than groups or than
 * fixed effects.
 */
export function lmmDesign(rows: readonly LmmRow[], formula: string | ParsedFormula, options: LmmOptions = {}): LmmDesign {
  const d = fullDesign(frameFromRows(rows, formula, options));
  // Rank deficiency: drop columns as lme4 (chkRank.drop.cols, qr tol 1e-7).
  return keepColumns(d, rankKeptColumns(d.Xfull, d.y.length, d.columns.length));
}

