/**
 * Types shared by the learning-rate models (see index.ts for the model definitions).
 *
 * Every model predicts the second estimate from the first (Sharot et al. 2011 task; the
 * learning-rate form of Kuzmanovic & Rigoux 2017):
 *
 *   E2 = E1 + alpha_t * (BR - E1) + noise,   noise ~ N(0, sigma^2)
 *
 * with one sigma per participant x session. Writing y = E2 - E1 and x = BR - E1 (= -EE),
 * every model in the kit is *linear in its coefficients*: y = X theta + noise, where the
 * columns of X are x times indicator/covariate terms. That is why one set of sufficient
 * statistics (stats.ts) serves all models, flat and hierarchical.
 */

import type { LsModelName, ModelName } from "./names.js";
import type { SufficientStats } from "../task/sufficient-stats.js";

export type { LsModelName, ModelName };
export type { SufficientStats, ValenceSums } from "../task/sufficient-stats.js";

/** The result of fitting one model to one participant-session. */
export interface ModelFit {
  participant_id: string;
  session: string;
  model: ModelName;
  /** Learning rate after good news (for ee-weighted: at the participant-session's mean |EE|); null without good-news trials. */
  alpha_good: number | null;
  /** Learning rate after bad news (same conventions). */
  alpha_bad: number | null;
  /** alpha_good - alpha_bad; null when either rate is null. */
  asymmetry: number | null;
  n_good: number;
  n_bad: number;
  /** n_good + n_bad. */
  n: number;
  /** ML (flat) or MAP (hierarchical) residual SD in percentage points; null when undefined (no trials, exact fit). */
  sigma: number | null;
  /** Gaussian log-likelihood at the estimates (flat: the maximum). */
  loglik: number | null;
  /** AIC = 2k - 2 loglik. */
  aic: number | null;
  /** BIC = k ln(n) - 2 loglik. */
  bic: number | null;
  /** Number of free parameters counted in AIC/BIC: the estimable regression coefficients plus sigma. */
  k: number;
  /** Model-specific coefficients (e.g. s and k, beta, alpha), null when not estimable. */
  params: Record<string, number | null>;
  /** "ml" flat maximum likelihood, "map" hierarchical empirical Bayes, "vb" variational Laplace (models/bayes). */
  method: "ml" | "map" | "vb";
  /** Variational Bayes fits only: the posterior of the parameters and of the noise precision, and the free energy. */
  posterior?: {
    /** Parameter names, in the order of mean and covariance. */
    params: string[];
    mean: number[];
    covariance: number[][];
    precision_shape: number;
    precision_rate: number;
    /** Free energy F, the approximate log evidence log p(E2 | model). */
    free_energy: number;
    converged: boolean;
    /** Mean |BR - E1| of the trials (where a rate that depends on |EE| is reported). */
    mean_abs_ee: number;
  };
  /** Hierarchical fits only: Laplace approximation of log p(data | group prior) for this participant-session. */
  log_evidence?: number | null;
  /** Hierarchical fits only: the group label of the prior the fit was shrunk toward. */
  group?: string;
  warnings: string[];
}

/** A model definition. All models are Gaussian and linear in `coefNames`. */
export interface ModelSpec {
  name: LsModelName;
  /** Names of the regression coefficients theta, in the order of the design columns. */
  coefNames: string[];
  /** One-line formula for documentation and reports. */
  formula: string;
  /**
   * The model's linear design from sufficient statistics only: writes X'X (p x p, row-major, p =
   * coefNames.length) into `xtx` and X'y into `xty`, and returns y'y and n.
   */
  designInto(stats: SufficientStats, xtx: Float64Array, xty: Float64Array): { yty: number; n: number };
  /**
   * Map coefficients (null = not estimable) to the reported learning rates and parameters.
   * `nGood`/`nBad` let a model null the rate of a valence without trials.
   */
  report(theta: (number | null)[], stats: SufficientStats): {
    alpha_good: number | null;
    alpha_bad: number | null;
    params: Record<string, number | null>;
    warnings: string[];
  };
}
