/** Options and results of the hierarchical (empirical-Bayes) fits. */
import type { ModelFit, LsModelName } from "../types.js";
import type { GroupOf } from "../groups.js";

export interface HierarchicalOptions {
  /** participant -> group; without it everybody is in one group ("all"). Cells are group x session. */
  groupOf?: GroupOf;
  /** Maximum EM iterations per cell (default 1000). */
  maxIter?: number;
  /**
   * Convergence: largest change one EM step would make to the prior -- means on their own scale,
   * variances on the log scale (default 1e-6).
   */
  tol?: number;
  /** Floor of the prior variances on the transformed scale (default 1e-4: prior SD >= 0.01). */
  minVariance?: number;
}

/** A Gaussian prior on the transformed parameters (coefficients..., log_sigma). */
export interface GaussianPrior {
  mean: number[];
  variance: number[];
}

/** The fitted group prior of one (group, session) cell. */
export interface GroupPrior {
  model: LsModelName;
  group: string;
  session: string;
  /** Number of participant-sessions in the cell. */
  n_fits: number;
  /** Of which used to estimate the prior (those the model does not fit exactly). */
  n_prior: number;
  n_trials: number;
  /** Transformed parameter names: the model's coefficients, then "log_sigma". */
  params: string[];
  mean: Record<string, number>;
  variance: Record<string, number>;
  /** Sum over the cell of the Laplace log evidence log p(y_i | mu, v); null if not finite. */
  log_evidence: number | null;
  /** -2 log_evidence + k_group ln(n_trials); null if not finite. */
  ibic: number | null;
  k_group: number;
  iterations: number;
  converged: boolean;
}

export interface HierarchicalResult {
  model: LsModelName;
  /** MAP fits (method "map"), one per participant-session with trials, in input order. */
  fits: ModelFit[];
  priors: GroupPrior[];
  /** Sum of the log evidence over all cells (null when there was nothing to fit). */
  log_evidence: number | null;
  /** -2 log_evidence + (2 d x number of cells) ln(total trials); null when there was nothing to fit. */
  ibic: number | null;
  k_group: number;
  n_trials: number;
  warnings: string[];
}

