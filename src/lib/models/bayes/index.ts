/**
 * Bayesian belief-update models: variational Laplace inversion as in the VBA toolbox, and random-effects
 * Bayesian model selection as VBA_groupBMC. See docs/bayesian-models.md.
 */
export type {
  BayesModel,
  BayesModelName,
  BayesPrior,
  ParamTransform,
  PriorPreset,
  ReportedRates,
  SessionInput,
  TermCovariate,
  VLOptions,
  VLResult,
} from "./types.js";
export { BAYES_MODELS, BAYES_MODEL_SPECS, EE_SCALE, getBayesModel, isBayesModelName } from "./models.js";
export { PRIOR_PRESETS, presetPrior, resolvePrior, validatePrior } from "./priors.js";
export { VBA_DEFAULTS, invertSession, invertSessions, invertStats, resolveVLOptions } from "./vl.js";
export { sessionStats, type SessionStats } from "./session-stats.js";
export { priorPredictive, quantiles, type PriorPredictiveDesign, type PriorPredictiveOptions, type PriorPredictiveSummary } from "./prior-predictive.js";
export { dirichletExceedance, type ExceedanceOptions, type ExceedanceResult } from "./exceedance.js";
export { elogBeta, groupBMC, type FamilyBMCResult, type GroupBMCOptions, type GroupBMCResult } from "./bmc.js";
export { groupBMCByCell, type GroupBMCByOptions, type GroupBMCCell, type LabelledEvidence } from "./bmc-by.js";
export { benchBayes, simulateBenchSessions, type BayesBenchOptions, type BayesBenchResult } from "./bench.js";
