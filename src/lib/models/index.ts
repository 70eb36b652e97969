/**
 * Learning-rate models of belief updating: flat ML fits, hierarchical (empirical-Bayes) fits and
 * model comparison behind one entry point, `fitAll`.
 *
 *   E2 = E1 + alpha_t * (BR - E1) + N(0, sigma^2),  one sigma per participant x session
 *
 * | model             | alpha_t                                   | parameters (k, sigma counted) |
 * |-------------------|-------------------------------------------|-------------------------------|
 * | single            | alpha                                     | alpha, sigma (2)              |
 * | valence (default) | alpha_good / alpha_bad by news valence    | alpha_good, alpha_bad, sigma (3) |
 * | scaling-asymmetry | s + N k, N = +1 good / -1 bad             | s, k, sigma (3)               |
 * | ee-weighted       | alpha_v + beta (|EE| - mean|EE|)/sd|EE|   | alpha_good, alpha_bad, beta, sigma (4) |
 *
 * See the model files for the formulas and citations, fit.ts for the ML estimates and information
 * criteria, ../hierarchical.ts for the EM fit and ../comparison.ts for the comparison rules.
 */
import type { ModelFit, LsModelName, SufficientStats } from "./types.js";
import { DEFAULT_MODEL, LS_MODELS, parseModelName } from "./registry.js";

import { fitFromStats, fitSummaryFromStats } from "./fit.js";
import { fitHierarchicalFromStats, type HierarchicalOptions, type HierarchicalResult } from "./hierarchical/index.js";
import { compareModels, type ModelComparison } from "./comparison.js";
import type { GroupOf } from "./groups.js";

export type { LsModelName, ModelName, ModelFit, ModelSpec, SufficientStats, ValenceSums } from "./types.js";
export { LS_MODELS, DEFAULT_MODEL, MODEL_SPECS, getModel, isModelName, parseModelName } from "./registry.js";
export { computeStats, statsOfTrials, absEeMoments, emptySums } from "../task/sufficient-stats.js";
export { fitFromStats, fitSummaryFromStats, assembleFit, EXACT_FIT_TOL, type FitSummary } from "./fit.js";
export { type GroupOf, groupResolver, ALL_GROUP, UNASSIGNED_GROUP } from "./groups.js";
export { fitHierarchicalFromStats, mapFitFromStats, type HierarchicalOptions, type HierarchicalResult, type GroupPrior, type GaussianPrior } from "./hierarchical/index.js";
export { compareModels, type ModelComparison, type CompareOptions, type ComparisonRow, type ModelTotal, type BestFit, type BestParticipant } from "./comparison.js";
export { single } from "./single.js";
export { valence } from "./valence.js";
export { scalingAsymmetry } from "./scaling-asymmetry.js";
export { eeWeighted } from "./ee-weighted.js";

export interface FitAllOptions {
  /** A model, a list of models, or "all" (default: "valence"). */
  model?: LsModelName | string | readonly (LsModelName | string)[] | "all";
  /** Hierarchical (EM, empirical-Bayes MAP) fits instead of flat ML fits; options may be passed. */
  hierarchical?: boolean | Omit<HierarchicalOptions, "groupOf">;
  /** participant -> group, for the hierarchical priors (group x session) and the comparison tables. */
  groupOf?: GroupOf;
}

export interface FitAllResult {
  models: LsModelName[];
  /** All fits, model by model in LS_MODELS order: ML fits, or MAP fits when hierarchical. */
  fits: ModelFit[];
  byModel: Partial<Record<LsModelName, ModelFit[]>>;
  /** Hierarchical results (priors, iBIC) per model, when hierarchical. */
  hierarchical?: Partial<Record<LsModelName, HierarchicalResult>>;
  /**
   * With more than one model: the comparison. Its BIC columns always come from flat ML fits (BIC at a
   * MAP is not a model-selection criterion); with `hierarchical` it also carries the iBIC.
   */
  comparison?: ModelComparison;
  /** Every warning, prefixed with participant/session and model. */
  warnings: string[];
}

function resolveModels(model: FitAllOptions["model"]): LsModelName[] {
  if (model === undefined) return [DEFAULT_MODEL];
  if (model === "all") return [...LS_MODELS];
  const list = typeof model === "string" ? [model] : [...model];
  const names = list.map((m) => parseModelName(m));
  return LS_MODELS.filter((m) => names.includes(m));
}

/**
 * fitAll from the sufficient statistics of the participant-sessions (computeStats order): every model
 * and the comparison need nothing else, so callers that have them (the analysis pipeline computes them
 * while scoring) skip the pass over the trials.
 */
export function fitAllFromStats(stats: readonly SufficientStats[], options: FitAllOptions = {}): FitAllResult {
  return fitAllImpl(stats, options, null);
}

/**
 * What the analysis pipeline's fitPhase needs of fitAllFromStats: the fits of the model it reports,
 * the comparison and the warnings, the same as fitAllFromStats gives them. The flat fits that only
 * the comparison reads (the other models', and all of them when hierarchical) are built as
 * summaries (participant, session, n, log-likelihood, AIC, BIC, warnings), not as full fits.
 */
export function fitForReport(
  stats: readonly SufficientStats[],
  report: LsModelName,
  options: FitAllOptions = {},
): { fits: ModelFit[]; comparison?: ModelComparison; hierarchical?: Partial<Record<LsModelName, HierarchicalResult>>; warnings: string[] } {
  const all = fitAllImpl(stats, options, report);
  return { fits: all.byModel[report] ?? [], comparison: all.comparison, hierarchical: all.hierarchical, warnings: all.warnings };
}

function fitAllImpl(stats: readonly SufficientStats[], options: FitAllOptions, report: LsModelName | null): FitAllResult {
  const models = resolveModels(options.model);
  const warnings: string[] = [];
  const flat: Partial<Record<LsModelName, ModelFit[]>> = {};
  const needFlat = !options.hierarchical || models.length > 1;
  if (needFlat) {
    for (const m of models) {
      const full = report === null || (m === report && !options.hierarchical);
      flat[m] = full ? stats.map((s) => fitFromStats(m, s)) : stats.map((s) => fitSummaryFromStats(m, s) as ModelFit);
      if (!options.hierarchical) for (const f of flat[m]!) for (const w of f.warnings) warnings.push(`${f.participant_id}/${f.session} ${m}: ${w}`);
    }
  }
  let byModel = flat;
  let hierarchical: Partial<Record<LsModelName, HierarchicalResult>> | undefined;
  if (options.hierarchical) {
    const hOpts = typeof options.hierarchical === "object" ? options.hierarchical : {};
    hierarchical = {};
    byModel = {};
    for (const m of models) {
      const h = fitHierarchicalFromStats(stats, m, { ...hOpts, groupOf: options.groupOf });
      hierarchical[m] = h;
      byModel[m] = h.fits;
      warnings.push(...h.warnings);
    }
  }
  const result: FitAllResult = { models, fits: models.flatMap((m) => byModel[m] ?? []), byModel, warnings: [] };
  if (hierarchical) result.hierarchical = hierarchical;
  if (models.length > 1) {
    const comparison = compareModels(flat, options.groupOf, { hierarchical });
    result.comparison = comparison;
    warnings.push(...comparison.warnings.map((w) => `comparison: ${w}`));
  }
  result.warnings = [...new Set(warnings)];
  return result;
}
