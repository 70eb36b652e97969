/**
 * Ordinary least squares with named terms, and the ANCOVA of a parallel-group trial
 * (`lm(post ~ arm + baseline)` with treatment contrasts), matching R's `lm()` / `summary.lm()`.
 *
 *  - Estimates by Householder QR (ml-matrix), beta = R^-1 Q'y; Var(beta) = sigma^2 (R'R)^-1,
 *    sigma^2 = RSS / (n - p); t = beta / se with n - p df; CI beta +- t_{1-alpha/2, n-p} se.
 *  - R^2 as summary.lm: mss / (mss + rss), mss = sum((f - mean f)^2) with an intercept and sum(f^2)
 *    without; adjusted R^2 = 1 - (1 - R^2) (n - i) / (n - p), i = 1 with an intercept.
 *  - Rank deficiency: columns are orthogonalised in order (Gram-Schmidt, twice); a column whose
 *    remaining norm is below 1e-7 of its own norm (R's lm tolerance, as in LINPACK dqrdc2) is
 *    collinear with the terms before it. R would report NA for it; here an Error names the term.
 *
 * No NaN is returned: quantities that are undefined (no residual df, zero standard error, constant
 * outcome) are null.
 *
 * References: Seber GAF, Lee AJ (2003) Linear Regression Analysis, 2nd ed., ch. 3-5;
 * Golub GH, Van Loan CF (2013) Matrix Computations, 4th ed., sec. 5.3 (QR least squares);
 * R Core Team, `stats::summary.lm` source. ANCOVA for baseline adjustment in randomised trials:
 * Senn S (2006) Stat Med 25:4334-4344; EMA (2015) Guideline on adjustment for baseline covariates.
 */

import { Matrix, QrDecomposition, inverse } from "ml-matrix";
import { fUpperP, tQuantile, tTwoSidedP } from "./distributions.js";


export interface OlsCoefficient {
  term: string;
  estimate: number;
  /** null when there are no residual degrees of freedom. */
  se: number | null;
  /** null when se is null or 0. */
  t: number | null;
  df: number;
  p: number | null;
  ci: [number, number] | null;
}

export interface OlsResult {
  coefficients: OlsCoefficient[];
  /** Residual standard error sqrt(RSS / (n - p)); null when n = p. */
  sigma: number | null;
  r2: number | null;
  adj_r2: number | null;
  /** Overall F test against the intercept-only (or, without intercept, the empty) model. */
  f: { value: number; df1: number; df2: number; p: number } | null;
  df_residual: number;
  n: number;
  /** Whether an intercept (a column of ones) is in the model; decides the R^2 definition. */
  intercept: boolean;
  /** sigma^2 (X'X)^-1, rows/columns in term order; null when sigma is null. */
  vcov: number[][] | null;
  fitted: number[];
  residuals: number[];
  conf_level: number;
}

export interface OlsOptions {
  /** Confidence level of the coefficient intervals (default 0.95). */
  confLevel?: number;
  /** Whether the model has an intercept (default: true iff some column is all ones). */
  intercept?: boolean;
  /** Relative tolerance for collinearity (default 1e-7, R's lm). */
  tolerance?: number;
}

/**
 * Throws when a column of X is (numerically) a linear combination of the columns before it,
 * naming that term. Modified Gram-Schmidt with one re-orthogonalisation pass ("twice is enough").
 */
function checkRank(X: readonly (readonly number[])[], names: readonly string[], tol: number): void {
  const n = X.length;
  const p = names.length;
  const q: number[][] = [];
  for (let j = 0; j < p; j++) {
    const v = new Array<number>(n);
    let norm0 = 0;
    for (let i = 0; i < n; i++) {
      v[i] = X[i][j];
      norm0 += v[i] * v[i];
    }
    norm0 = Math.sqrt(norm0);
    if (norm0 === 0) {
      throw new Error(`ols: term "${names[j]}" is identically zero, so the design matrix is rank deficient`);
    }
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < tol * norm0) {
      const before = names.slice(0, j).join(", ");
      throw new Error(
        `ols: term "${names[j]}" is collinear with the terms before it (${before}); ` +
          "the design matrix is rank deficient and the coefficient is not estimable",
      );
    }
    q.push(v.map((x) => x / norm));
  }
}

/**
 * OLS fit of y on the columns of X (rows = observations; include a column of ones for an
 * intercept). `names` label the columns, e.g. R's "(Intercept)". Equivalent to
 * `summary(lm(y ~ 0 + X))` with R's R^2 convention chosen by `intercept`.
 */
export function ols(
  y: readonly number[],
  X: readonly (readonly number[])[],
  names: readonly string[],
  options: OlsOptions = {},
): OlsResult {
  const n = y.length;
  const p = names.length;
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new RangeError(`confLevel must be in (0, 1), got ${confLevel}`);
  if (X.length !== n) throw new RangeError(`ols: y has ${n} values but X has ${X.length} rows`);
  if (p === 0) throw new RangeError("ols: no terms");
  if (new Set(names).size !== p) throw new RangeError(`ols: duplicate term names (${names.join(", ")})`);
  for (let i = 0; i < n; i++) {
    if (X[i].length !== p) throw new RangeError(`ols: row ${i} of X has ${X[i].length} columns, expected ${p}`);
    if (!Number.isFinite(y[i])) throw new RangeError(`ols: y[${i}] is not a finite number (${y[i]})`);
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(X[i][j])) throw new RangeError(`ols: X[${i}][${j}] ("${names[j]}") is not finite (${X[i][j]})`);
    }
  }
  if (n < p) throw new Error(`ols: ${n} observations for ${p} terms; the design matrix is rank deficient`);
  checkRank(X, names, options.tolerance ?? 1e-7);

  const intercept = options.intercept ?? names.some((_, j) => X.every((row) => row[j] === 1));
  const Xm = new Matrix(X.map((r) => [...r]));
  const qr = new QrDecomposition(Xm);
  const beta = qr.solve(Matrix.columnVector([...y])).getColumn(0);
  const Rinv = inverse(qr.upperTriangularMatrix);
  const unscaled = Rinv.mmul(Rinv.transpose()); // (X'X)^-1

  const fitted = X.map((row) => row.reduce((s, x, j) => s + x * beta[j], 0));
  const residuals = y.map((v, i) => v - fitted[i]);
  const rss = residuals.reduce((s, e) => s + e * e, 0);
  const dfRes = n - p;
  const sigma = dfRes > 0 ? Math.sqrt(rss / dfRes) : null;
  const tcrit = dfRes > 0 ? tQuantile(1 - (1 - confLevel) / 2, dfRes) : null;

  const coefficients: OlsCoefficient[] = names.map((term, j) => {
    const estimate = beta[j];
    const se = sigma === null ? null : sigma * Math.sqrt(unscaled.get(j, j));
    const t = se !== null && se > 0 ? estimate / se : null;
    return {
      term,
      estimate,
      se,
      t,
      df: dfRes,
      p: t === null ? null : tTwoSidedP(t, dfRes),
      ci: se === null || tcrit === null ? null : [estimate - tcrit * se, estimate + tcrit * se],
    };
  });

  // summary.lm's R^2 and F
  let mss: number;
  if (intercept) {
    const fbar = fitted.reduce((s, v) => s + v, 0) / n;
    mss = fitted.reduce((s, v) => s + (v - fbar) ** 2, 0);
  } else {
    mss = fitted.reduce((s, v) => s + v * v, 0);
  }
  const dfInt = intercept ? 1 : 0;
  const r2 = mss + rss > 0 ? mss / (mss + rss) : null;
  const adjR2 = r2 !== null && dfRes > 0 ? 1 - (1 - r2) * ((n - dfInt) / dfRes) : null;
  const df1 = p - dfInt;
  let f: OlsResult["f"] = null;
  if (df1 > 0 && dfRes > 0 && rss > 0) {
    const value = mss / df1 / (rss / dfRes);
    f = { value, df1, df2: dfRes, p: fUpperP(value, df1, dfRes) };
  }
  const vcov = sigma === null ? null : unscaled.to2DArray().map((row) => row.map((v) => v * sigma * sigma));

  return {
    coefficients,
    sigma,
    r2,
    adj_r2: adjR2,
    f,
    df_residual: dfRes,
    n,
    intercept,
    vcov,
    fitted,
    residuals,
    conf_level: confLevel,
  };
}

// ---------------------------------------------------------------------------------------------
// ANCOVA for a two-arm parallel-group trial
// ---------------------------------------------------------------------------------------------

export interface AncovaRow {
  arm: string;
  /** Missing (null / undefined / NaN) baseline or post drops the row, as lm's na.omit. */
  baseline: number | null | undefined;
  post: number | null | undefined;
}

export interface AncovaArms {
  reference: string;
  treatment: string;
}

export interface AdjustedMean {
  arm: string;
  /** Participants of the arm in the fit. */
  n: number;
  /** Model-based mean at the mean baseline of all analysed participants. */
  mean: number;
  se: number | null;
  ci: [number, number] | null;
  /** Unadjusted means of the analysed participants. */
  raw_baseline_mean: number;
  raw_post_mean: number;
}

export interface AncovaResult extends OlsResult {
  reference: string;
  treatment: string;
  /** Rows dropped for a missing / non-finite baseline or post. */
  n_excluded: number;
  /** Mean baseline of the analysed participants (the covariate value of the adjusted means). */
  baseline_mean: number;
  /** Adjusted mean difference treatment - reference: the arm<treatment> coefficient. */
  difference: OlsCoefficient;
  adjusted_means: [AdjustedMean, AdjustedMean];
}

/**
 * ANCOVA of a two-arm trial: `lm(post ~ arm + baseline)` with `arm` a factor with levels
 * (reference, treatment), i.e. treatment contrasts: terms "(Intercept)", "arm<treatment>",
 * "baseline". The arm coefficient is the baseline-adjusted mean difference (treatment minus
 * reference). Adjusted means per arm are the fitted values at the mean baseline of all analysed
 * participants (what emmeans reports), with SE sqrt(x' V x) and t intervals on the residual df.
 * Rows of any other arm are an error (fit the two arms you mean to compare).
 */
export function ancova(
  rows: readonly AncovaRow[],
  arms: AncovaArms,
  options: Omit<OlsOptions, "intercept"> = {},
): AncovaResult {
  const { reference, treatment } = arms;
  if (reference === treatment) throw new RangeError(`ancova: reference and treatment are both "${reference}"`);
  const used: { arm: string; baseline: number; post: number }[] = [];
  let excluded = 0;
  for (const r of rows) {
    if (r.arm !== reference && r.arm !== treatment) {
      throw new RangeError(`ancova: row with arm "${r.arm}", expected "${reference}" or "${treatment}"`);
    }
    const b = r.baseline;
    const y = r.post;
    if (typeof b !== "number" || typeof y !== "number" || !Number.isFinite(b) || !Number.isFinite(y)) {
      excluded++;
      continue;
    }
    used.push({ arm: r.arm, baseline: b, post: y });
  }
  const armTerm = `arm${treatment}`;
  const names = ["(Intercept)", armTerm, "baseline"];
  const X = used.map((r) => [1, r.arm === treatment ? 1 : 0, r.baseline]);
  const y = used.map((r) => r.post);
  for (const arm of [reference, treatment]) {
    if (!used.some((r) => r.arm === arm)) throw new Error(`ancova: arm "${arm}" has no complete rows (baseline and post), so "${armTerm}" is not estimable`);
  }
  const fit = ols(y, X, names, { ...options, intercept: true });

  const n = used.length;
  const baselineMean = used.reduce((s, r) => s + r.baseline, 0) / n;
  const beta = fit.coefficients.map((c) => c.estimate);
  const level = fit.conf_level;
  const tcrit = fit.df_residual > 0 ? tQuantile(1 - (1 - level) / 2, fit.df_residual) : null;
  const adjusted = [reference, treatment].map((arm, g): AdjustedMean => {
    const x = [1, g, baselineMean];
    const mean = x.reduce((s, v, j) => s + v * beta[j], 0);
    let se: number | null = null;
    if (fit.vcov) {
      let v = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) v += x[i] * fit.vcov[i][j] * x[j];
      se = Math.sqrt(Math.max(0, v));
    }
    const inArm = used.filter((r) => r.arm === arm);
    return {
      arm,
      n: inArm.length,
      mean,
      se,
      ci: se === null || tcrit === null ? null : [mean - tcrit * se, mean + tcrit * se],
      raw_baseline_mean: inArm.reduce((s, r) => s + r.baseline, 0) / inArm.length,
      raw_post_mean: inArm.reduce((s, r) => s + r.post, 0) / inArm.length,
    };
  });

  return {
    ...fit,
    reference,
    treatment,
    n_excluded: excluded,
    baseline_mean: baselineMean,
    difference: fit.coefficients[1],
    adjusted_means: [adjusted[0], adjusted[1]],
  };
}
