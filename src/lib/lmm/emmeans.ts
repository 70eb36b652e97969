/**
 * Estimated marginal means and pairwise simple effects as emmeans computes them for an lmer fit
 * with `lmer.df = "satterthwaite"`:
 *
 *     emmeans(fit, pairwise ~ valence | group * session, lmer.df = "satterthwaite", adjust = "none")
 *
 * What is matched: the reference grid has every level of every factor of the fixed part and each
 * numeric covariate at its mean over the rows used in the fit (emmeans' default cov.reduce = mean);
 * a marginal mean is the equally weighted average of the grid's predictions over the factors not
 * named (emmeans' default weights = "equal"); the pairwise contrasts are "a - b" for every pair of
 * levels in level order (emmeans' `pairwise`); the df of every estimate and contrast are
 * lmerTest's Satterthwaite df of that linear function (contest1D). p-values are unadjusted: with
 * two levels there is one contrast per cell and emmeans' Tukey adjustment changes nothing; with
 * more levels pass adjust = "none" in R to compare. A linear function that is not estimable in a
 * rank-deficient design (emmeans' nonest check with estimability's tolerance 1e-8) is returned with
 * null values, as emmeans reports "nonEst".
 */
import type { TestedEstimate } from "../stats/coefficient.js";
import type { DesignColumn } from "../stats/formula.js";
import { contrastCore } from "./satterthwaite.js";
import type { MixedResult } from "./mixed.js";
import type { LmmResult } from "./types.js";

export interface EmmRow {
  /** Levels of the `by` factors and the focal factor. */
  at: Record<string, string>;
  estimate: number | null;
  se: number | null;
  df: number | null;
  ci: [number, number] | null;
}

export interface EmmContrast extends TestedEstimate<number | null> {
  by: Record<string, string>;
  contrast: string;
}

export interface SimpleEffects {
  factor: string;
  by: string[];
  emmeans: EmmRow[];
  contrasts: EmmContrast[];
}

/** Every combination of the lists, the first varying fastest (emmeans' grid order). */
function cartesian(lists: string[][]): string[][] {
  let out: string[][] = [[]];
  for (const l of lists) out = l.flatMap((v) => out.map((c) => [...c, v]));
  return out;
}

/** The model-matrix row (over `cols`) of one grid point: factor levels by name, covariates at their means. */
function gridRow(cols: readonly DesignColumn[], result: MixedResult, at: Record<string, string>): number[] {
  const kinds = result.design.kinds;
  return cols.map((c) => {
    let v = 1;
    for (const part of c.parts) {
      if (part.level === null) v *= result.design.means[part.variable];
      else {
        const k = kinds[part.variable];
        if (k.kind !== "factor" || k.levels[part.level] !== at[part.variable]) v = 0;
      }
    }
    return v;
  });
}

/** The linear function (over all columns, dropped ones included) of the marginal mean at `fixed` levels. */
function marginalL(result: MixedResult, fixed: Record<string, string>): number[] {
  const kinds = result.design.kinds;
  const factorVars = Object.keys(kinds).filter((v) => kinds[v].kind === "factor");
  const others = factorVars.filter((v) => !(v in fixed));
  const combos = cartesian(others.map((v) => (kinds[v] as { levels: readonly string[] }).levels.slice()));
  const cols = result.design.allColumns;
  const L = new Array<number>(cols.length).fill(0);
  for (const combo of combos) {
    const at: Record<string, string> = { ...fixed };
    others.forEach((v, i) => (at[v] = combo[i]));
    gridRow(cols, result, at).forEach((x, j) => (L[j] += x / combos.length));
  }
  return L;
}

function estimable(result: MixedResult, Lfull: number[]): boolean {
  const ss = Lfull.reduce((s, x) => s + x * x, 0);
  let chk = 0;
  for (const nb of result.design.nullspace) {
    const d = nb.reduce((s, x, j) => s + x * Lfull[j], 0);
    chk += d * d;
  }
  return chk < 1e-8 * ss;
}

function test(result: MixedResult, Lfull: number[], level: number, term: string) {
  if (!estimable(result, Lfull)) return null;
  const keptIdx = result.design.columns.map((c) => result.design.allColumns.findIndex((a) => a.name === c.name));
  const L = keptIdx.map((j) => Lfull[j]);
  const beta = result.fixed.map((f) => f.estimate);
  if (L.every((x) => x === 0)) return null;
  return contrastCore(beta, result.vcov, result.varpar as unknown as LmmResult["varpar"], L, level, term);
}

/**
 * Marginal means of `factor` within every combination of the `by` factors, and their pairwise
 * differences (emmeans' `pairwise ~ factor | by`), with Satterthwaite df. Works from the JSON result.
 */
export function simpleEffects(result: MixedResult, factor: string, by: readonly string[] = [], level = 0.95): SimpleEffects {
  const kinds = result.design.kinds;
  for (const v of [factor, ...by]) {
    const k = kinds[v];
    if (!k) throw new Error(`'${v}' is not a variable of the fixed part of the model (${Object.keys(kinds).join(", ") || "none"})`);
    if (k.kind !== "factor") throw new Error(`'${v}' is numeric; simple effects need factors`);
  }
  if (by.includes(factor)) throw new Error(`'${factor}' cannot be both the focal factor and a 'by' factor`);
  const levelsOf = (v: string): string[] => (kinds[v] as { levels: readonly string[] }).levels.slice();
  const fl = levelsOf(factor);
  // emmeans names the levels of a factor whose levels look like numbers with the factor's name.
  const label = fl.every((l) => /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(l)) ? (l: string) => `${factor}${l}` : (l: string) => l;
  const emmeans: EmmRow[] = [];
  const contrasts: EmmContrast[] = [];
  for (const combo of cartesian(by.map(levelsOf))) {
    const byAt: Record<string, string> = {};
    by.forEach((v, i) => (byAt[v] = combo[i]));
    const Ls = fl.map((l) => marginalL(result, { ...byAt, [factor]: l }));
    fl.forEach((l, i) => {
      const r = test(result, Ls[i], level, l);
      emmeans.push({ at: { ...byAt, [factor]: l }, estimate: r?.estimate ?? null, se: r?.se ?? null, df: r?.df ?? null, ci: r?.ci ?? null });
    });
    for (let i = 0; i < fl.length; i++)
      for (let j = i + 1; j < fl.length; j++) {
        const name = `${label(fl[i])} - ${label(fl[j])}`;
        const r = test(
          result,
          Ls[i].map((x, k) => x - Ls[j][k]),
          level,
          name,
        );
        contrasts.push({ by: byAt, contrast: name, estimate: r?.estimate ?? null, se: r?.se ?? null, df: r?.df ?? null, t: r?.t ?? null, p: r?.p ?? null, ci: r?.ci ?? null });
      }
  }
  return { factor, by: by.slice(), emmeans, contrasts };
}
