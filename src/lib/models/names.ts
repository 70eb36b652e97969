/**
 * The learning-rate models of the kit, by name: the one list that the registries, the analysis
 * parameters, the dashboard's model control and the command line all read. The least-squares models
 * first (their order is the order of model comparison tables and of tie-breaking), then the Bayesian
 * models of models/bayes/ under the prefix "vb-" (variational Laplace, as the VBA toolbox).
 */
import { BAYES_MODELS } from "./bayes/models.js";
import type { BayesModelName } from "./bayes/types.js";

/** The least-squares models (flat ML or hierarchical MAP fits, compared by BIC / iBIC). */
export const LS_MODELS = ["single", "valence", "scaling-asymmetry", "ee-weighted"] as const;
export type LsModelName = (typeof LS_MODELS)[number];

/** A Bayesian model's name in the kit. */
export type BayesKitModelName = `vb-${BayesModelName}`;
/** The Bayesian models (variational Laplace inversion, compared by random-effects Bayesian model selection). */
export const BAYES_KIT_MODELS: readonly BayesKitModelName[] = BAYES_MODELS.map((m) => `vb-${m}` as BayesKitModelName);

export type ModelName = LsModelName | BayesKitModelName;
/** Every model, least squares first. */
export const ALL_MODELS: readonly ModelName[] = [...LS_MODELS, ...BAYES_KIT_MODELS];

/** The default model. */
export const DEFAULT_MODEL: LsModelName = "valence";

export function isModelName(name: string): name is ModelName {
  return (ALL_MODELS as readonly string[]).includes(name);
}

export function isLsModel(name: string): name is LsModelName {
  return (LS_MODELS as readonly string[]).includes(name);
}

export function isBayesKitModel(name: string): name is BayesKitModelName {
  return (BAYES_KIT_MODELS as readonly string[]).includes(name);
}

/** The Bayesian registry's own name of a kit model ("vb-exp-asymmetry" -> "exp-asymmetry"). */
export function bayesNameOf(name: BayesKitModelName): BayesModelName {
  return name.slice(3) as BayesModelName;
}
