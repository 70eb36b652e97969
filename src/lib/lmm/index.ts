/**
 * Mixed models. Below: the random-intercept path (fitLmm, the pipeline's default model). At the end
 * of this file: the general engine (fitMixed, lmmTable: any random-effect terms, REML or ML, type
 * III / II F tests, simple effects; docs/mixed-models.md).
 *
 * Linear mixed model with one random intercept, fitted by REML, with
 * Satterthwaite degrees of freedom — in pure TypeScript, agreeing with
 * `lme4::lmer()` and `lmerTest` (see test/r/lmm_reference.R and
 * test/lib/lmm.test.ts).
 *
 * Model:  y = X beta + Z b + e,   b ~ N(0, sigma_b^2 I_G),   e ~ N(0, sigma^2 I_n),
 * where Z is the n x G indicator matrix of the grouping factor in `(1 | g)`.
 *
 * References
 * - Bates, Maechler, Bolker & Walker (2015). Fitting linear mixed-effects
 *   models using lme4. J. Stat. Softw. 67(1). Section 3: the relative
 *   covariance factor Lambda_theta = theta I (theta = sigma_b / sigma), the
 *   penalised least squares problem and the profiled REML criterion (eq. 42)
 *       d_R(theta) = log|L_theta|^2 + log|R_X|^2 + (n - p) [1 + log(2 pi r^2_theta / (n - p))],
 *   with |L_theta|^2 = |Lambda' Z'Z Lambda + I|, R_X'R_X = X' V0^-1 X and
 *   r^2_theta the penalised residual sum of squares.
 * - Kuznetsova, Brockhoff & Christensen (2017). lmerTest package: tests in
 *   linear mixed effects models. J. Stat. Softw. 82(13). Satterthwaite df for a
 *   contrast L:  df = 2 (L'C L)^2 / (g' A g), C = Cov(beta_hat)(varpar),
 *   g = gradient of L'C L w.r.t. varpar, A = 2 H^-1 with H the Hessian of the
 *   (non-profiled) REML deviance w.r.t. varpar.  lmerTest 3.x uses
 *   varpar = (theta, sigma) (see lmerTest:::as_lmerModLT, devfun_vp and
 *   get_covbeta), computes H and the Jacobian of C with numDeriv and inverts H
 *   through its eigen-decomposition keeping eigenvalues > 1e-8.  Here H and
 *   the Jacobian are computed analytically (closed forms below).  (At the
 *   optimum the df do not depend on the parameterisation: H and g transform
 *   with the same Jacobian because the gradient of the deviance is zero.)
 * - Satterthwaite (1946). An approximate distribution of estimates of variance
 *   components. Biometrics Bulletin 2(6), 110-114.
 *
 * Per-group closed forms (single random intercept).  With u = theta^2,
 *   V0 = I + u Z Z' is block diagonal with blocks I + u 1 1' (size n_i), and by
 *   Sherman–Morrison  (I + u 11')^-1 = I - w_i 11',  w_i = u / (1 + n_i u).
 * Writing w_i = 1/n_i - c_i with c_i = 1 / (n_i (1 + n_i u)), for any columns
 * a, b:   a' V0^-1 b = W_ab + sum_i c_i (1'a_i)(1'b_i),
 * where W is the pooled within-group cross-product (deviations from group
 * means).  Both parts are positive semi-definite, so there is no cancellation
 * for any theta.  Everything below is therefore computed from
 *   - W: within cross-products of [X y]             ((p+1) x (p+1))
 *   - B_m = sum_{i: n_i = m} s_i s_i', s_i = [X_i'1; y_i'1] for each distinct
 *     group size m                                   ((p+1) x (p+1) each)
 * so one evaluation of the criterion costs O(#sizes p^2 + p^3), independent
 * of n; n only enters the single pass that builds W and B_m.
 * Also |V0| = prod_i (1 + n_i u) = |L_theta|^2.
 *
 * Rank deficiency: lme4 drops the columns its QR (tolerance 1e-7) finds
 * aliased. fitLmm first checks the rank on X'X = W + sum_m B_m / m (a p x p
 * Cholesky, no pass over the rows): when every column is clearly independent
 * of the ones before it, nothing is dropped, as the QR would find; otherwise
 * (aliased or borderline columns) it runs the QR of the n x p matrix
 * (rankKeptColumns), so the columns kept are always lme4's.
 *
 * Optimisation: d_R is minimised over theta >= 0 by scanning the sign of its
 * analytic derivative on a log grid (plus theta = 0) and refining every
 * bracketed minimum with Brent's root finder to machine precision (lme4's
 * default BOBYQA stops at ~1e-8 change of d_R, i.e. theta to ~1e-6..1e-8).
 *
 * API
 *   fitLmm(rows, formula, { factors, level })  -> LmmResult (JSON-serialisable)
 *   fitLmmColumns(columns, formula, options)    -> the same from typed columns (no row objects), or
 *                                                  null when fitLmm on rows is needed (analysis pipeline)
 *   lmmContrast(result, L, level?, term?)       -> LmmFixedEffect (t test of L'beta)
 *   lmmDesign(rows, formula, options)           -> LmmDesign (model frame / matrix)
 *   RemlProfile                                 -> REML criterion and derivatives
 * Differences from R, by design: a factor value outside the levels given in
 * `options.factors` throws (R would silently make it NA); removing the
 * intercept and random slopes are not supported (see formula.ts).
 */
import { designColumns, parseFormula, type DesignColumn, type ParsedFormula, type VariableKind } from "../stats/formula.js";
import { tQuantile, tTwoSidedP } from "../stats/distributions.js";

export type { LmmRow, LmmOptions, LmmFixedEffect, LmmResult, LmmDesign, LmmColumns } from "./types.js";
export { RemlProfile, type RemlEvaluation } from "./reml.js";
export { lmmContrast } from "./satterthwaite.js";
export { lmmDesign } from "./frame.js";
export { fitLmm, fitLmmColumns } from "./fit.js";

// The general engine: any random-effect terms, REML or ML, type III / II F tests, simple effects,
// the CSV entry point (see docs/mixed-models.md).
export { parseMixedFormula, type MixedFormula, type RandomTerm } from "./terms.js";
export { mixedFrame, MixedModelError, type MixedData, type MixedColumns, type MixedFrame } from "./mframe.js";
export { fitMixed, fitMixedFrame, type MixedOptions, type MixedResult, type VarCorrRow } from "./mixed.js";
export { anovaContrasts, contestMD, type AnovaRow } from "./anova.js";
export { mixedContrast, mixedContrastF, contrastWeights, type ContrastRow } from "./contrast.js";
export { simpleEffects, type SimpleEffects, type EmmRow, type EmmContrast } from "./emmeans.js";
export { lmmTable, tableColumns, type TableOptions, type TableDocument, type TableContrast } from "./table.js";
export { FormulaError } from "../stats/formula.js";
