/**
 * User contrasts of a general mixed-model fit, from the JSON result alone: a t test of one row
 * L'beta (lmerTest's contest1D, Satterthwaite df) or an F test of several rows (contestMD).
 * Rows are weight vectors in `fixed` order or maps from coefficient name to weight.
 */
import { fUpperP } from "../stats/distributions.js";
import { contestMD } from "./anova.js";
import { MixedModelError } from "./mframe.js";
import type { MixedResult } from "./mixed.js";
import { contrastCore } from "./satterthwaite.js";
import type { LmmFixedEffect, LmmResult } from "./types.js";

export type ContrastRow = readonly number[] | Readonly<Record<string, number>>;

/** A contrast row as weights in `fixed` order; MixedModelError for unknown or dropped coefficients. */
export function contrastWeights(fit: Pick<MixedResult, "fixed" | "rank_deficient">, L: ContrastRow, what = "Contrast"): number[] {
  const terms = fit.fixed.map((f) => f.term);
  if (Array.isArray(L)) {
    const v = L as readonly number[];
    if (v.length !== terms.length) throw new MixedModelError(`${what} has ${v.length} weights but the model has ${terms.length} fixed effects (${terms.join(", ")})`);
    if (!v.every(Number.isFinite)) throw new MixedModelError(`${what}: weights must be finite numbers`);
    return v.slice();
  }
  const map = L as Readonly<Record<string, number>>;
  for (const [k, w] of Object.entries(map)) {
    if (!terms.includes(k)) {
      if (fit.rank_deficient.includes(k)) throw new MixedModelError(`${what}: '${k}' is not estimable (its column was dropped: rank-deficient design)`);
      throw new MixedModelError(`${what}: '${k}' is not a fixed effect of the model; terms: ${terms.join(", ")}`);
    }
    if (!Number.isFinite(w)) throw new MixedModelError(`${what}: the weight of '${k}' must be a finite number`);
  }
  return terms.map((t) => map[t] ?? 0);
}

/** t test of L'beta with Satterthwaite df (lmerTest's contest1D). */
export function mixedContrast(fit: MixedResult, L: ContrastRow, level = 0.95, term = "contrast"): LmmFixedEffect {
  const w = contrastWeights(fit, L, `Contrast '${term}'`);
  if (w.every((x) => x === 0)) throw new MixedModelError(`Contrast '${term}': all weights are zero`);
  return contrastCore(
    fit.fixed.map((f) => f.estimate),
    fit.vcov,
    fit.varpar as unknown as LmmResult["varpar"],
    w,
    level,
    term,
  );
}

/** F test of L beta = 0 (several rows) with Satterthwaite denominator df (lmerTest's contestMD). */
export function mixedContrastF(fit: MixedResult, L: readonly ContrastRow[], term = "contrast"): { num_df: number | null; den_df: number | null; F: number | null; p: number | null } {
  const rows = L.map((r, k) => contrastWeights(fit, r, `Contrast '${term}' row ${k + 1}`));
  if (rows.every((r) => r.every((x) => x === 0))) throw new MixedModelError(`Contrast '${term}': all weights are zero`);
  const r = contestMD(fit, rows);
  if (!r) return { num_df: null, den_df: null, F: null, p: null };
  return { num_df: r.num_df, den_df: r.den_df, F: r.F, p: r.den_df === null ? null : fUpperP(r.F, r.num_df, r.den_df) };
}
