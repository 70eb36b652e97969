/** Types of the mixed-model fit: data rows and columns, options, the design, the result (JSON-serialisable). */
import type { ParsedFormula } from "../stats/formula.js";

/** A data row; null / undefined / NaN / "" are missing values. */
export type LmmRow = Record<string, number | string | null | undefined>;

export interface LmmOptions {
  /**
   * Factor levels by variable, reference level first (treatment contrasts).
   * Variables not listed are numeric if every non-missing value is a number,
   * otherwise factors with levels sorted (code-unit order). Values are matched
   * to levels as strings. As in R (`drop.unused.levels`), levels without any
   * complete row are dropped.
   */
  factors?: Record<string, readonly string[]>;
  /** Confidence level of `ci` (default 0.95). */
  level?: number;
}

/** One fixed effect, or a contrast of fixed effects (t test, Satterthwaite df). */
export interface LmmFixedEffect {
  term: string;
  estimate: number;
  se: number;
  /** Satterthwaite degrees of freedom (null if undefined). */
  df: number | null;
  t: number;
  /** Two-sided p-value of t on df degrees of freedom (null if df is null). */
  p: number | null;
  /** Confidence interval estimate ± t_{(1+level)/2, df} se (null if df is null). */
  ci: [number, number] | null;
}

export interface LmmResult {
  /** Canonical formula (R term order). */
  formula: string;
  response: string;
  /** Grouping variable of the random intercept. */
  group: string;
  /** Fixed effects in model-matrix order (columns dropped for rank deficiency omitted). */
  fixed: LmmFixedEffect[];
  random: {
    /** SD of the random intercept, sigma_b = theta * sigma. */
    participant_sd: number;
    /** Residual SD, sigma. */
    residual_sd: number;
  };
  /** Relative covariance factor theta = sigma_b / sigma (lme4's getME(fit, "theta")). */
  theta: number;
  /** REML criterion at the optimum (lme4's REMLcrit(fit)). */
  reml_criterion: number;
  n_obs: number;
  n_groups: number;
  /** Boundary fit: theta < 1e-4, lme4::isSingular()'s default tolerance. */
  singular: boolean;
  /** Model-matrix columns dropped because X is rank deficient (as lme4 drops them). */
  rank_deficient: string[];
  /** Rows dropped because of a missing value in a variable of the model. */
  dropped_rows: number;
  /** Factor levels used (after dropping levels absent from the complete rows). */
  levels: Record<string, string[]>;
  /** lme4-style notes (rank deficiency, singular fit). */
  messages: string[];
  /** Covariance matrix of the fixed effects, C = sigma^2 (X'V0^-1 X)^-1, in `fixed` order. */
  vcov: number[][];
  /** What lmmContrast() needs for Satterthwaite df of any contrast. */
  varpar: {
    /** Variance parameters as lmerTest parameterises them: (theta, sigma). */
    names: ["theta", "sigma"];
    values: [number, number];
    /** A = 2 H^+, asymptotic covariance of varpar (H: Hessian of the REML deviance). */
    vcov: number[][];
    /** dC/d theta and dC/d sigma (each p x p). */
    jacobian: [number[][], number[][]];
  };
}


/** The model frame and fixed-effect model matrix of a formula on data (see lmmDesign()). */
export interface LmmDesign {
  formula: ParsedFormula;
  /** Names of the model-matrix columns kept (rank-deficient columns removed). */
  columns: string[];
  /** Dropped (rank-deficient) column names, as lme4 drops them. */
  rankDeficient: string[];
  /** Column-major n x p model matrix of the complete rows (kept columns). */
  X: Float64Array;
  y: Float64Array;
  /** Group index (0-based, order of first appearance) of each complete row. */
  group: Int32Array;
  nGroups: number;
  droppedRows: number;
  /** Factor levels used (unused levels dropped). */
  levels: Record<string, string[]>;
}

/** Data as typed columns (the analysis pipeline's hot path: no row objects). */
export interface LmmColumns {
  /** Number of rows. */
  n: number;
  /** Numeric variables (the response among them); NaN is a missing value. */
  numeric: Record<string, Float64Array>;
  /**
   * Factors as level codes: codes[i] indexes `levels` (the levels of options.factors, reference
   * first); -1 is a value outside the levels, -2 a missing value.
   */
  factors: Record<string, { codes: Int32Array; levels: readonly string[] }>;
  /** The grouping variable of the random intercept: a code per row (any numbering, -1 missing) and the number of codes. */
  group: { name: string; codes: Int32Array; count: number };
}

