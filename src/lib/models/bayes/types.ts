/**
 * Types of the Bayesian belief-update engine (variational Laplace inversion as in the VBA toolbox,
 * and random-effects Bayesian model selection). See docs/bayesian-models.md.
 *
 * Every model predicts the second estimate from the first,
 *
 *   E2_t = E1_t + LR_t(phi) * (BR_t - E1_t) + noise,   noise ~ N(0, 1/tau),  tau ~ Gamma(shape, rate)
 *
 * and every learning rate in the kit is a sum of one term per parameter,
 * LR_t = sum_k f_k(phi_k) * z_tk, with f_k = exp or the identity and z_tk a trial covariate
 * (1, N_t, or |BR_t - E1_t| / 5). N_t = +1 good news, -1 bad news.
 */

export type BayesModelName = "exp-asymmetry" | "signed-asymmetry" | "single" | "ee-scaled";

/** How a parameter enters its learning-rate term: exp(phi) (positive) or phi itself (either sign). */
export type ParamTransform = "exp" | "identity";

/** The trial covariate a learning-rate term multiplies: 1, the news valence N, or |EE| / 5. */
export type TermCovariate = "one" | "valence" | "abs-ee-over-5";

/** Gaussian prior on the parameters (in the model's parameter order) and Gamma prior on the noise precision. */
export interface BayesPrior {
  mean: number[];
  covariance: number[][];
  /** Shape of the Gamma prior on the noise precision tau (VBA's a_sigma). */
  precision_shape: number;
  /** Rate of the Gamma prior on tau (VBA's b_sigma; E[tau] = shape / rate). */
  precision_rate: number;
}

export type PriorPreset = "kit" | "greaves";

/** Learning rates reported at a parameter value (the posterior mean). */
export interface ReportedRates {
  alpha_good: number;
  alpha_bad: number;
  /** alpha_good - alpha_bad. */
  asymmetry: number;
}

/** A model of the registry. */
export interface BayesModel {
  name: BayesModelName;
  /** Parameter names, in the order of means and covariances. */
  paramNames: readonly string[];
  /** One learning-rate term per parameter: LR_t = sum_k transform_k(phi_k) * covariate_k(t). */
  terms: readonly { transform: ParamTransform; covariate: TermCovariate }[];
  formula: string;
  description: string;
  /** Prior presets in parameter order (read them through presetPrior, which copies). */
  presets: Readonly<Record<PriorPreset, BayesPrior>>;
  /** The learning rates at a parameter value; meanAbsEE is the session's mean |BR - E1| (ee-scaled reports there). */
  report(phi: ArrayLike<number>, meanAbsEE: number): ReportedRates;
}

/**
 * One participant-session. E1, BR, E2 in percentage points (0-100, as in trials.csv); N = +1 good news, -1 bad
 * news (the caller computes it with the kit's valence rule). Trials with a non-finite value, N not in {-1, +1} or
 * E1 = BR are dropped (and counted).
 */
export interface SessionInput {
  e1: ArrayLike<number>;
  br: ArrayLike<number>;
  e2: ArrayLike<number>;
  n: ArrayLike<number>;
}

/** Options of the variational Laplace scheme; the defaults are VBA_NLStateSpaceModel's. */
export interface VLOptions {
  /** Maximum number of VB iterations (VBA options.MaxIter, default 32). */
  maxIter?: number;
  /** Minimum number of VB iterations (options.MinIter, default 0). */
  minIter?: number;
  /** Stop when |dF| <= tolFun between the last two free-energy evaluations (options.TolFun, default 2e-2). */
  tolFun?: number;
  /** Maximum Gauss-Newton iterations per VB iteration (options.GnMaxIter, default 32). */
  gnMaxIter?: number;
  /** Stop the Gauss-Newton loop when |relative change of the variational energy| <= gnTolFun (options.GnTolFun, default 1e-5). */
  gnTolFun?: number;
}

/** The posterior of one participant-session under one model. */
export interface VLResult {
  model: BayesModelName;
  /** Posterior mean of the parameters (model order, see paramNames). */
  mean: number[];
  /** Posterior covariance of the parameters. */
  covariance: number[][];
  /** Posterior Gamma of the noise precision: shape (VBA posterior.a_sigma) and rate (posterior.b_sigma). */
  precision_shape: number;
  precision_rate: number;
  /** 1 / sqrt(E[tau]), the noise SD in percentage points implied by the posterior mean precision. */
  noise_sd: number;
  /** Free energy (VBA out.F): the variational lower bound on log p(E2 | model). */
  F: number;
  /** VB iterations run, and whether |dF| <= tolFun was reached (VBA out.CV). */
  iterations: number;
  converged: boolean;
  /** Trials used, of them good and bad news; trials dropped (non-finite, N not +-1, E1 = BR). */
  n: number;
  n_good: number;
  n_bad: number;
  n_dropped: number;
  /** Mean |BR - E1| over the trials used (where ee-scaled reports its rates). */
  mean_abs_ee: number;
  /** Learning rates at the posterior mean. */
  alpha_good: number;
  alpha_bad: number;
  asymmetry: number;
  /** Posterior means by parameter name. */
  params: Record<string, number>;
  warnings: string[];
}
