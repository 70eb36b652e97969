/**
 * The mixed model on any table: CSV text in, one JSON document out -- what the `lmm` command
 * prints. Columns named in `factor` are factors even when they look numeric (levels sorted as R's
 * factor() sorts them: numerically for numbers, else by collation); other columns are numeric when
 * every non-missing value is a number, else factors. "" and "NA" are missing values (read.csv).
 *
 *     lmmTable(csv, { formula: "Reaction ~ Days + (Days | Subject)" })
 *     lmmTable(csv, { formula: "y ~ g * v + (1 | id) + (1 | item)", factor: ["id"], ml: true })
 *
 * The document: fixed (term, estimate, se, df, t, p, ci), anova (term, type, num_df, den_df, F, p;
 * type 3 then type 2), varcorr (rows of R's as.data.frame(VarCorr(fit))), reml_criterion (REML) or
 * loglik and deviance (ML), singular, n_obs, groups (ngrps), and optionally simple effects and
 * user contrasts. Errors are MixedModelError / FormulaError with a message naming the problem.
 */
import { parseCsv } from "../study/csv.js";
import { mixedContrast, mixedContrastF, type ContrastRow } from "./contrast.js";
import { simpleEffects, type SimpleEffects } from "./emmeans.js";
import { MixedModelError } from "./mframe.js";
import { fitMixed, type VarCorrRow } from "./mixed.js";
import type { AnovaRow } from "./anova.js";
import type { LmmFixedEffect } from "./types.js";

/** A user contrast: one row (t test) or several (F test), by coefficient name or in `fixed` order. */
export interface TableContrast {
  name?: string;
  L: number[] | Record<string, number> | (number[] | Record<string, number>)[];
}

export interface TableOptions {
  formula: string;
  /** Columns that are factors (levels sorted), or factor -> levels (reference first). */
  factor?: readonly string[] | Readonly<Record<string, readonly string[] | null>>;
  /** Maximum likelihood instead of REML. */
  ml?: boolean;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Simple effects of a factor within the cells of others (emmeans' pairwise ~ factor | by). */
  simple?: { factor: string; by?: string[] };
  contrasts?: TableContrast[];
}

export interface TableDocument {
  formula: string;
  reml: boolean;
  n_obs: number;
  dropped_rows: number;
  groups: Record<string, number>;
  fixed: LmmFixedEffect[];
  anova: AnovaRow[];
  varcorr: VarCorrRow[];
  reml_criterion: number | null;
  loglik: number;
  deviance: number | null;
  singular: boolean;
  theta: number[];
  sigma: number;
  rank_deficient: string[];
  levels: Record<string, string[]>;
  messages: string[];
  simple_effects?: SimpleEffects;
  contrasts?: (
    | ({ name: string; kind: "t" } & LmmFixedEffect)
    | { name: string; kind: "F"; num_df: number | null; den_df: number | null; F: number | null; p: number | null }
  )[];
}

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Table cells as typed values: numbers for numeric-looking columns, strings otherwise, null for missing. */
export function tableColumns(text: string): { n: number; columns: Record<string, (number | string | null)[]> } {
  const t = parseCsv(text);
  const header = t.header.map((h) => h.trim());
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) throw new MixedModelError(`The table has two columns named '${dup}'`);
  const columns: Record<string, (number | string | null)[]> = {};
  header.forEach((h, j) => {
    const raw = t.rows.map((r) => {
      const v = r[j];
      return v === undefined || v.trim() === "" || v.trim() === "NA" ? null : v;
    });
    const numeric = raw.every((v) => v === null || NUMBER.test(v));
    columns[h] = numeric ? raw.map((v) => (v === null ? null : Number(v))) : raw.map((v) => (v === null ? null : v.trim()));
  });
  return { n: t.rows.length, columns };
}

/** Fit the model of `options.formula` to the CSV text and return the JSON document. */
export function lmmTable(text: string, options: TableOptions): TableDocument {
  if (typeof options?.formula !== "string") throw new MixedModelError("A formula is required, e.g. 'y ~ x + (1 | g)'");
  const data = tableColumns(text);
  const factors: Record<string, readonly string[] | null> = {};
  const fopt = options.factor ?? [];
  for (const [name, levels] of Array.isArray(fopt) ? fopt.map((v) => [v, null] as const) : Object.entries(fopt)) {
    if (!Object.prototype.hasOwnProperty.call(data.columns, name)) {
      throw new MixedModelError(`Unknown column '${name}' in the factor list (columns: ${Object.keys(data.columns).join(", ")})`);
    }
    factors[name] = levels;
  }
  const fit = fitMixed(data, options.formula, { factors, reml: !options.ml, level: options.level });
  const level = options.level ?? 0.95;
  const doc: TableDocument = {
    formula: fit.formula,
    reml: fit.reml,
    n_obs: fit.n_obs,
    dropped_rows: fit.dropped_rows,
    groups: fit.groups,
    fixed: fit.fixed,
    anova: fit.anova,
    varcorr: fit.varcorr,
    reml_criterion: fit.reml_criterion,
    loglik: fit.loglik,
    deviance: fit.deviance,
    singular: fit.singular,
    theta: fit.theta,
    sigma: fit.sigma,
    rank_deficient: fit.rank_deficient,
    levels: fit.levels,
    messages: fit.messages,
  };
  if (options.simple) {
    try {
      doc.simple_effects = simpleEffects(fit, options.simple.factor, options.simple.by ?? [], level);
    } catch (e) {
      throw new MixedModelError((e as Error).message);
    }
  }
  if (options.contrasts) {
    doc.contrasts = options.contrasts.map((c, i) => {
      const name = c.name ?? `contrast ${i + 1}`;
      const multi = Array.isArray(c.L) && c.L.length > 0 && typeof c.L[0] !== "number";
      if (!multi) return { name, kind: "t" as const, ...mixedContrast(fit, c.L as ContrastRow, level, name) };
      const rows = c.L as ContrastRow[];
      if (rows.length === 1) return { name, kind: "t" as const, ...mixedContrast(fit, rows[0], level, name) };
      return { name, kind: "F" as const, ...mixedContrastF(fit, rows, name) };
    });
  }
  return doc;
}
