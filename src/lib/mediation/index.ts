/**
 * Two-condition within-participant mediation (Judd, Kenny & McClelland 2001, Psychological
 * Methods 6(2):115–134), in the regression formulation of Montoya & Hayes (2017), "Two-condition
 * within-participant statistical mediation analysis: A path-analytic framework",
 * Psychological Methods 22(1):6–27.
 *
 * Per participant i (n complete participants), with "from" the earlier and "to" the later session:
 *   ΔM_i = m_to − m_from,  ΔY_i = y_to − y_from,  M̄_i = (m_from + m_to) / 2,  z_i = M̄_i − mean(M̄).
 *   a  = mean(ΔM)                         SE_a = sd(ΔM)/√n, df n − 1  (one-sample t on ΔM)
 *   c  = mean(ΔY)                         SE_c = sd(ΔY)/√n, df n − 1  (one-sample t on ΔY)
 *   ΔY_i = c′ + b ΔM_i + d z_i + e_i       OLS, df n − 3
 *   indirect = a·b;  c = c′ + a·b holds exactly in the sample (z is centred).
 *   Sobel (first-order) SE = √(a² SE_b² + b² SE_a²), z = a·b / SE, p two-sided normal
 *   (Sobel 1982, Sociological Methodology 13:290–312).
 *
 * Bootstrap (M&H recommend it over Sobel): participants are resampled with replacement and a·b
 * recomputed. b does not depend on where z is centred (the model has an intercept), so resamples
 * need no re-centring. Each resample's OLS slope comes from accumulated sums in closed form
 * (see `indirectFromSums`), without per-resample allocation.
 *
 * BCa here is Efron's (1987) with jackknife acceleration (see bootstrap.ts). NOTE: R's
 * `mediation` package (mediate(boot.ci.type = "bca"), internal BC.CI) computes its "BCa"
 * differently: z0 from the share of replicates below the *mean of the replicates* (not below the
 * estimate), and the "acceleration" from the bootstrap replicates themselves,
 * U = (B − 1)(mean θ* − θ*_b), instead of delete-one jackknife values. Its intervals therefore
 * will not match these. `boot::boot.ci(type = "bca", L = empinf(type = "jack"))` is closer but not
 * identical either: its jackknife influence values are centred at θ̂ instead of the jackknife mean,
 * ties are not split, and endpoints are interpolated differently (see bootstrap.ts).
 *
 * All numbers in results are finite or null (JSON-serialisable, no NaN), except the typed array
 * `boot.replicates` (NaN for singular resamples; leave it out of JSON, see
 * `mediationResultForJson`). The result holds no
 * functions, so it can also be posted from a Web Worker (structured clone). The fitted line is
 * therefore computed by the separate function `mediationLine(result.line_model, ...)`.
 */
import {
  bcaParametersSorted,
  finiteSummary,
  percentileIntervalSorted,
  sortedFinite,
  type IndexArray,
} from "../stats/bootstrap.js";
import { tQuantile, tTwoSidedP, zTwoSidedP } from "../stats/distributions.js";
import { seedToUnit } from "../stats/random.js";

export interface MediationRow {
  participant_id: string;
  /** Mediator (learning-rate asymmetry) at the earlier session. */
  m_from: number | null;
  /** Mediator at the later session. */
  m_to: number | null;
  /** Outcome (clinical score) at the earlier session. */
  y_from: number | null;
  /** Outcome at the later session. */
  y_to: number | null;
}

export interface Exclusion {
  participant_id: string;
  reason: string;
}

export interface PathEstimate {
  estimate: number;
  se: number | null;
  t: number | null;
  df: number;
  p: number | null;
}

/** What `mediationLine` needs: ŷ(x) = c′ + b x at z = 0, Var ŷ(x) = var_mean_y + (x − x_mean)² var_slope. */
export interface LineModel {
  intercept: number;
  slope: number;
  /** mean ΔM (the fitted line passes through (x_mean, mean ΔY)). */
  x_mean: number;
  y_mean: number;
  /** s²/n: variance of the fitted value at x = x_mean, z = 0. */
  var_mean_y: number | null;
  /** s² [ (X′X)⁻¹ ]_bb: variance of b in the 3-parameter model. */
  var_slope: number | null;
  df: number;
  x_min: number;
  x_max: number;
}

export interface MediationPoint {
  n: number;
  a: number;
  b: number;
  c: number;
  c_prime: number;
  indirect: number;
  sobel_se: number | null;
  sobel_z: number | null;
  sobel_p: number | null;
  paths: {
    a: PathEstimate;
    b: PathEstimate;
    c: PathEstimate;
    c_prime: PathEstimate;
    /** Coefficient d of the centred M̄ in the outcome regression. */
    m_mean: PathEstimate;
  };
  /** Residual SD √(SSE/(n−3)) of ΔY ~ ΔM + z; null if n = 3. */
  residual_sd: number | null;
  /** R² of ΔY ~ ΔM + z (null if ΔY is constant). */
  r_squared: number | null;
  line_model: LineModel;
  excluded: Exclusion[];
}

export interface MediationBoot {
  resamples: number;
  seed: number;
  level: number;
  /** Number of resamples where a·b was defined (non-singular regression). */
  valid: number;
  /** SD of the finite replicates. */
  se: number | null;
  percentile: [number, number] | null;
  bca: [number, number] | null;
  bca_label: "BCa (Efron, jackknife acceleration)";
  bca_z0: number | null;
  bca_acceleration: number | null;
  /** a·b per resample (NaN where undefined). Typed array: leave it out of JSON. */
  replicates: Float64Array;
}

export interface SensitivityPoint {
  rho: number;
  indirect: number;
}

export interface MediationSensitivity {
  /** a = mean ΔM (β2 of the mediator equation). */
  a: number;
  /** ρ̃ = corr(ε1, ε2): residual correlation of ΔY ~ z and ΔM ~ z; the indirect effect is 0 at ρ = ρ̃. */
  rho_tilde: number | null;
  /** ρ at which the indirect effect is zero (= ρ̃); null if a = 0 (zero for every ρ) or undefined. */
  rho_zero: number | null;
  /** √(SSE1/SSE2), the ratio σ1/σ2 used in the formula. */
  sigma_ratio: number | null;
  curve: SensitivityPoint[];
}

export interface MediationResult extends MediationPoint {
  boot: MediationBoot;
  sensitivity: MediationSensitivity;
}

export interface MediationOptions {
  resamples?: number;
  seed?: number;
  level?: number;
  onProgress?: (done: number, total: number) => void;
  /** Grid for the sensitivity curve (defaults −0.9, 0.9, 0.01). */
  sensitivity?: SensitivityOptions;
}

export interface SensitivityOptions {
  from?: number;
  to?: number;
  step?: number;
}

/** Per-participant arrays of the complete cases. */
export interface MediationData {
  ids: string[];
  dm: Float64Array;
  dy: Float64Array;
  /** M̄ = (m_from + m_to)/2, not centred. */
  mbar: Float64Array;
  excluded: Exclusion[];
}

const FIELD_LABELS: Record<"m_from" | "m_to" | "y_from" | "y_to", string> = {
  m_from: "m_from (mediator, earlier session)",
  m_to: "m_to (mediator, later session)",
  y_from: "y_from (outcome, earlier session)",
  y_to: "y_to (outcome, later session)",
};

function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** The scatter points of the patients with all four values: change of the mediator (dM) and of the outcome (dY). */
export function mediationPoints(rows: readonly MediationRow[]): { participant_id: string; dM: number; dY: number }[] {
  return rows
    .filter((r) => r.m_from !== null && r.m_to !== null && r.y_from !== null && r.y_to !== null)
    .map((r) => ({ participant_id: r.participant_id, dM: r.m_to! - r.m_from!, dY: r.y_to! - r.y_from! }));
}

/**
 * Complete cases and their difference scores. A participant with any of the four values
 * missing (null, undefined or non-finite) is listed in `excluded` with every missing value named.
 */
export function prepareMediationData(rows: readonly MediationRow[]): MediationData {
  const ids: string[] = [];
  const dm: number[] = [];
  const dy: number[] = [];
  const mbar: number[] = [];
  const excluded: Exclusion[] = [];
  for (const row of rows) {
    const missing = (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).filter((k) => !isNumber(row[k]));
    if (missing.length > 0) {
      excluded.push({
        participant_id: row.participant_id,
        reason: `missing ${missing.map((k) => FIELD_LABELS[k]).join(", ")}`,
      });
      continue;
    }
    const m0 = row.m_from as number;
    const m1 = row.m_to as number;
    ids.push(row.participant_id);
    dm.push(m1 - m0);
    dy.push((row.y_to as number) - (row.y_from as number));
    mbar.push((m0 + m1) / 2);
  }
  if (ids.length < 3) {
    const detail = excluded.length > 0
      ? ` ${excluded.length} participant(s) excluded: ${excluded.map((e) => `${e.participant_id} (${e.reason})`).join("; ")}.`
      : "";
    throw new Error(
      `Within-subject mediation needs at least 3 participants with all four values ` +
        `(m_from, m_to, y_from, y_to); got ${ids.length} complete of ${rows.length}.${detail}`,
    );
  }
  return {
    ids,
    dm: Float64Array.from(dm),
    dy: Float64Array.from(dy),
    mbar: Float64Array.from(mbar),
    excluded,
  };
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function path(estimate: number, se: number | null, df: number): PathEstimate {
  const t = se !== null && se > 0 ? estimate / se : null;
  return {
    estimate,
    se,
    t: t === null ? null : finiteOrNull(t),
    df,
    p: t === null || df <= 0 ? null : finiteOrNull(tTwoSidedP(t, df)),
  };
}

/** Tolerance for singularity of the 2×2 centred cross-product matrix (relative, on the determinant). */
const SINGULAR_TOL = 1e-10;

/** Centred data and full-sample constants shared by the point estimate, jackknife and bootstrap. */
interface Centred {
  n: number;
  /** ΔM − mean ΔM, ΔY − mean ΔY, M̄ − mean M̄. */
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  xMean: number;
  yMean: number;
  /** Σx²/n and Σz²/n of the full sample (scale for the singularity checks). */
  xScale: number;
  zScale: number;
}

function centre(data: MediationData): Centred {
  const n = data.dm.length;
  const xMean = mean(data.dm);
  const yMean = mean(data.dy);
  const zMean = mean(data.mbar);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  let sxx = 0;
  let szz = 0;
  for (let i = 0; i < n; i++) {
    x[i] = data.dm[i] - xMean;
    y[i] = data.dy[i] - yMean;
    z[i] = data.mbar[i] - zMean;
    sxx += x[i] * x[i];
    szz += z[i] * z[i];
  }
  return { n, x, y, z, xMean, yMean, xScale: sxx / n, zScale: szz / n };
}

/**
 * a·b from raw sums over m (possibly repeated) participants of the centred variables
 * x, y, z: Σx, Σy, Σz, Σx², Σz², Σxz, Σxy, Σzy. With corrected cross-products
 * Sxx = Σx² − (Σx)²/m etc., the OLS slopes of y on (1, x, z) are (Cramer's rule on the
 * 2×2 normal equations after sweeping out the intercept):
 *   b = (Szz Sxy − Sxz Szy) / (Sxx Szz − Sxz²),
 * and a = mean ΔM = xMean + Σx/m. Returns NaN if the regression is singular
 * (ΔM or M̄ constant, or ΔM collinear with M̄, in this set of participants).
 */
function indirectFromSums(
  c: Centred,
  m: number,
  sx: number,
  sy: number,
  sz: number,
  sxx: number,
  szz: number,
  sxz: number,
  sxy: number,
  szy: number,
): number {
  const mx = sx / m;
  const my = sy / m;
  const mz = sz / m;
  const Sxx = sxx - sx * mx;
  const Szz = szz - sz * mz;
  const Sxz = sxz - sx * mz;
  const Sxy = sxy - sx * my;
  const Szy = szy - sz * my;
  const det = Sxx * Szz - Sxz * Sxz;
  if (!(Sxx > SINGULAR_TOL * m * c.xScale && Szz > SINGULAR_TOL * m * c.zScale && det > SINGULAR_TOL * Sxx * Szz)) {
    return NaN;
  }
  const b = (Szz * Sxy - Sxz * Szy) / det;
  return (c.xMean + mx) * b;
}

/** Statistic for `bootstrap`: a·b on the participants listed in `indices` (allocation-free). */
function indirectStatistic(c: Centred): (indices: IndexArray) => number {
  const { x, y, z } = c;
  return (indices: IndexArray): number => {
    const m = indices.length;
    let sx = 0, sy = 0, sz = 0, sxx = 0, szz = 0, sxz = 0, sxy = 0, szy = 0;
    for (let k = 0; k < m; k++) {
      const i = indices[k];
      const xi = x[i];
      const yi = y[i];
      const zi = z[i];
      sx += xi;
      sy += yi;
      sz += zi;
      sxx += xi * xi;
      szz += zi * zi;
      sxz += xi * zi;
      sxy += xi * yi;
      szy += zi * yi;
    }
    return indirectFromSums(c, m, sx, sy, sz, sxx, szz, sxz, sxy, szy);
  };
}

/**
 * d3-random's linear congruential generator (randomLcg, which createRng(seed).uniform is), written
 * out so that the hot loop below needs no function call per draw:
 *   state = (1664525 state + 1013904223) mod 2^32 (as int32),  uniform = state (unsigned) / 2^32,
 * started from state = floor(seedToUnit(seed) · 2^32) | 0. Math.imul gives the product modulo 2^32
 * exactly as d3's double product followed by `| 0` does (the product is below 2^53), so the draws
 * are the same numbers (test/lib/columnar.test.ts checks the sequence against createRng).
 */
const LCG_MUL = 0x19660d;
const LCG_INC = 0x3c6ef35f;
const LCG_EPS = 1 / 0x100000000;

export function lcgStartState(seed: number): number {
  const unit = seedToUnit(seed);
  return (0 <= unit && unit < 1 ? unit / LCG_EPS : Math.abs(unit)) | 0;
}

/**
 * Participant bootstrap of a·b, fused: identical draws and arithmetic to
 * `bootstrap(n, mediationIndirectStatistic(data), { resamples, seed })` (bootstrap.ts: resample r
 * draws indices i = 0..n−1 as floor(n · uniform()), i.e. rng.int(n), from createRng(seed)), so the
 * replicates are bit-identical, but without the index buffer, the per-call statistic closure (which
 * V8 would otherwise deoptimise on the first calls: measured ~20 ms → ~5 ms cold for n = 26) and the
 * call per draw (the generator is inlined, see LCG_MUL). n · resamples draws: 23 million for 4,643
 * patients and 5,000 resamples.
 */
function bootstrapIndirect(
  c: Centred,
  resamples: number,
  seed: number,
  onProgress: ((done: number, total: number) => void) | undefined,
): Float64Array {
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`Within-subject mediation: resamples must be a positive integer, got ${resamples}`);
  }
  const { n, x, y, z } = c;
  let state = lcgStartState(seed);
  const out = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sx = 0, sy = 0, sz = 0, sxx = 0, szz = 0, sxz = 0, sxy = 0, szy = 0;
    for (let k = 0; k < n; k++) {
      state = (Math.imul(LCG_MUL, state) + LCG_INC) | 0;
      const i = Math.floor(LCG_EPS * (state >>> 0) * n); // == rng.int(n)
      const xi = x[i];
      const yi = y[i];
      const zi = z[i];
      sx += xi;
      sy += yi;
      sz += zi;
      sxx += xi * xi;
      szz += zi * zi;
      sxz += xi * zi;
      sxy += xi * yi;
      szy += zi * yi;
    }
    out[r] = indirectFromSums(c, n, sx, sy, sz, sxx, szz, sxz, sxy, szy);
    if (onProgress && ((r + 1) % 500 === 0 || r + 1 === resamples)) onProgress(r + 1, resamples);
  }
  return out;
}

/**
 * The a·b statistic for a set of complete cases, for use with `bootstrap`/`jackknife`
 * (exported so that fixed index sets, e.g. from R, can be evaluated in tests).
 */
export function mediationIndirectStatistic(data: MediationData): (indices: IndexArray) => number {
  return indirectStatistic(centre(data));
}

/** Delete-one jackknife values of a·b in O(n): full-sample sums minus participant i. */
function jackknifeIndirect(c: Centred): Float64Array {
  const { n, x, y, z } = c;
  let sx = 0, sy = 0, sz = 0, sxx = 0, szz = 0, sxz = 0, sxy = 0, szy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
    sz += z[i];
    sxx += x[i] * x[i];
    szz += z[i] * z[i];
    sxz += x[i] * z[i];
    sxy += x[i] * y[i];
    szy += z[i] * y[i];
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = indirectFromSums(
      c,
      n - 1,
      sx - x[i],
      sy - y[i],
      sz - z[i],
      sxx - x[i] * x[i],
      szz - z[i] * z[i],
      sxz - x[i] * z[i],
      sxy - x[i] * y[i],
      szy - z[i] * y[i],
    );
  }
  return out;
}

/** Jackknife (delete-one) values of a·b, in participant order of `prepareMediationData`. */
export function mediationJackknife(data: MediationData): Float64Array {
  return jackknifeIndirect(centre(data));
}

function pointFromData(data: MediationData, c: Centred): MediationPoint {
  const { n, x, y, z, xMean, yMean } = c;
  let Sxx = 0, Szz = 0, Sxz = 0, Sxy = 0, Szy = 0, Syy = 0;
  for (let i = 0; i < n; i++) {
    Sxx += x[i] * x[i];
    Szz += z[i] * z[i];
    Sxz += x[i] * z[i];
    Sxy += x[i] * y[i];
    Szy += z[i] * y[i];
    Syy += y[i] * y[i];
  }
  const det = Sxx * Szz - Sxz * Sxz;
  // Constant up to rounding: corrected sum of squares ≤ 1e-12 × raw sum of squares (CV < 1e-6).
  let rawXX = 0;
  let rawZZ = 0;
  for (let i = 0; i < n; i++) {
    rawXX += data.dm[i] * data.dm[i];
    rawZZ += data.mbar[i] * data.mbar[i];
  }
  if (!(Sxx > 1e-12 * rawXX && Szz > 1e-12 * rawZZ && det > SINGULAR_TOL * Sxx * Szz)) {
    throw new Error(
      `Within-subject mediation: the regression of ΔY on ΔM and the centred mean of M is singular ` +
        `(ΔM or the session mean of M is constant across the ${n} participants, or ΔM is collinear with it).`,
    );
  }
  // Slopes from the centred normal equations; inverse of [[Sxx, Sxz], [Sxz, Szz]].
  const b = (Szz * Sxy - Sxz * Szy) / det;
  const d = (Sxx * Szy - Sxz * Sxy) / det;
  const a = xMean;
  const cTotal = yMean;
  // Intercept at ΔM = 0, z = 0: c′ = ȳ − b x̄ (z has mean 0).
  const cPrime = yMean - b * xMean;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - b * x[i] - d * z[i];
    sse += e * e;
  }
  const dfReg = n - 3;
  const s2 = dfReg > 0 ? sse / dfReg : null;
  // (X′X)⁻¹ for X = [1, ΔM, z] with Σz = 0: Var(b) = s² Szz/det, Var(d) = s² Sxx/det,
  // Var(ȳ-part) = s²/n, Cov(ȳ, b) = 0, hence Var(c′) = s²/n + x̄² Var(b).
  const varB = s2 === null ? null : (s2 * Szz) / det;
  const varD = s2 === null ? null : (s2 * Sxx) / det;
  const varYbar = s2 === null ? null : s2 / n;
  const varCPrime = varB === null || varYbar === null ? null : varYbar + xMean * xMean * varB;
  const sdX = Math.sqrt(Sxx / (n - 1));
  const sdY = Math.sqrt(Syy / (n - 1));
  const seA = sdX / Math.sqrt(n);
  const seC = sdY / Math.sqrt(n);
  const seB = varB === null ? null : Math.sqrt(varB);
  const indirect = a * b;
  let sobelSe: number | null = null;
  let sobelZ: number | null = null;
  let sobelP: number | null = null;
  if (seB !== null) {
    sobelSe = Math.sqrt(a * a * seB * seB + b * b * seA * seA);
    if (sobelSe > 0) {
      sobelZ = indirect / sobelSe;
      sobelP = zTwoSidedP(sobelZ);
    }
  }
  let xMin = Infinity;
  let xMax = -Infinity;
  for (let i = 0; i < n; i++) {
    if (data.dm[i] < xMin) xMin = data.dm[i];
    if (data.dm[i] > xMax) xMax = data.dm[i];
  }
  return {
    n,
    a,
    b,
    c: cTotal,
    c_prime: cPrime,
    indirect,
    sobel_se: sobelSe,
    sobel_z: sobelZ,
    sobel_p: sobelP,
    paths: {
      a: path(a, seA, n - 1),
      b: path(b, seB, dfReg),
      c: path(cTotal, seC, n - 1),
      c_prime: path(cPrime, varCPrime === null ? null : Math.sqrt(varCPrime), dfReg),
      m_mean: path(d, varD === null ? null : Math.sqrt(varD), dfReg),
    },
    residual_sd: s2 === null ? null : Math.sqrt(s2),
    r_squared: Syy > 0 ? 1 - sse / Syy : null,
    line_model: {
      intercept: cPrime,
      slope: b,
      x_mean: xMean,
      y_mean: yMean,
      var_mean_y: varYbar,
      var_slope: varB,
      df: dfReg,
      x_min: xMin,
      x_max: xMax,
    },
    excluded: data.excluded,
  };
}

/** Point estimates, path SEs and Sobel test without bootstrap (fast, for interactive use). */
export function mediationPointEstimate(rows: readonly MediationRow[]): MediationPoint {
  const data = prepareMediationData(rows);
  return pointFromData(data, centre(data));
}

/**
 * Sensitivity of the indirect effect to mediator–outcome confounding, closed form for the
 * linear structural equation model: Imai, Keele & Yamamoto (2010), "Identification, inference
 * and sensitivity analysis for causal mediation effects", Statistical Science 25(1):51–71,
 * Theorem 2 (ACME under a given error correlation ρ):
 *
 *   δ(ρ) = (β2 σ1 / σ2) · { ρ̃ − ρ √[ (1 − ρ̃²) / (1 − ρ²) ] },
 *
 * for the three equations (1) Y = α1 + β1 T + ε1, (2) M = α2 + β2 T + ε2,
 * (3) Y = α3 + β3 T + γ M + ε3, with ρ = corr(ε2, ε3), σj = sd(εj), ρ̃ = corr(ε1, ε2);
 * pre-treatment covariates enter all three equations.
 *
 * Within-subject mapping implemented here (difference scores; the "treatment" is the change of
 * session, so its effect is the intercept), with the centred session mean z = M̄ − mean(M̄) as
 * the covariate in all three equations, as in the Montoya–Hayes outcome model:
 *   (1) ΔY = c + h z + ε1,  (2) ΔM = a + g z + ε2,  (3) ΔY = c′ + b ΔM + d z + ε3.
 * Because z is centred, the intercept of (2) is exactly a = mean ΔM. Estimates: ε̂1, ε̂2 are the
 * OLS residuals of (1) and (2); σ1/σ2 = √(Σε̂1² / Σε̂2²) (common degrees of freedom cancel);
 * ρ̃ = Σε̂1ε̂2 / √(Σε̂1² Σε̂2²). So
 *
 *   indirect(ρ) = a · √(Σε̂1²/Σε̂2²) · { ρ̃ − ρ √[(1 − ρ̃²)/(1 − ρ²)] }.
 *
 * Derivation (why it is exact here): with ε1 = b ε2 + ε3, Cov(ε1, ε2) = b σ2² + ρ σ2 σ3 and
 * σ1² = (b σ2 + ρ σ3)² + σ3²(1 − ρ²); solving gives σ3 = σ1 √[(1 − ρ̃²)/(1 − ρ²)] and
 * b(ρ) = (σ1/σ2)(ρ̃ − ρ σ3/σ1). At ρ = 0, b(0) = Σε̂1ε̂2/Σε̂2², which by Frisch–Waugh–Lovell is
 * exactly the OLS b of (3), so indirect(0) = a·b (the product-of-coefficients estimate).
 * indirect(ρ) = 0 at ρ = ρ̃. ρ is a correlation of errors after partialling out M̄ (a
 * conditional correlation). With a 2-equation version without z the ρ = 0 value would be the
 * simple-regression slope and would not reproduce the Montoya–Hayes a·b, hence z is kept.
 */
export function mediationSensitivity(data: MediationData, options: SensitivityOptions = {}): MediationSensitivity {
  const from = options.from ?? -0.9;
  const to = options.to ?? 0.9;
  const step = options.step ?? 0.01;
  if (!(from > -1 && to < 1 && from <= to)) throw new Error(`sensitivity: need −1 < from ≤ to < 1, got [${from}, ${to}]`);
  if (!(step > 0)) throw new Error(`sensitivity: step must be > 0, got ${step}`);
  const c = centre(data);
  const { n, x, y, z, xMean } = c;
  let Szz = 0, Sxz = 0, Syz = 0;
  for (let i = 0; i < n; i++) {
    Szz += z[i] * z[i];
    Sxz += x[i] * z[i];
    Syz += y[i] * z[i];
  }
  const g = Szz > 0 ? Sxz / Szz : 0;
  const h = Szz > 0 ? Syz / Szz : 0;
  let s11 = 0, s22 = 0, s12 = 0;
  for (let i = 0; i < n; i++) {
    const e1 = y[i] - h * z[i];
    const e2 = x[i] - g * z[i];
    s11 += e1 * e1;
    s22 += e2 * e2;
    s12 += e1 * e2;
  }
  const a = xMean;
  if (!(s22 > SINGULAR_TOL * n * c.xScale)) {
    throw new Error(
      `Within-subject mediation sensitivity: ΔM is constant or collinear with the centred mean of M ` +
        `across the ${n} participants, so the mediator residual variance is 0.`,
    );
  }
  // s11 = 0 means ΔY is exactly linear in z: then b(ρ) = 0 for every ρ and ρ̃ is undefined.
  const defined = s11 > 0;
  const rhoTilde = defined ? s12 / Math.sqrt(s11 * s22) : null;
  const sigmaRatio = defined ? Math.sqrt(s11 / s22) : null;
  const count = Math.floor((to - from) / step + 1e-9);
  const curve: SensitivityPoint[] = [];
  for (let k = 0; k <= count; k++) {
    // Round away floating-point drift of from + k·step (grid values are for display).
    const rho = Math.round((from + k * step) * 1e12) / 1e12 + 0; // + 0 turns −0 into 0
    curve.push({ rho, indirect: sensitivityIndirect(a, sigmaRatio, rhoTilde, rho) });
  }
  return {
    a,
    rho_tilde: rhoTilde,
    rho_zero: rhoTilde !== null && a !== 0 ? rhoTilde : null,
    sigma_ratio: sigmaRatio,
    curve,
  };
}

/** Indirect effect at any ρ in (−1, 1) from a sensitivity result (same closed form as its curve). */
export function sensitivityIndirectAt(sensitivity: MediationSensitivity, rho: number): number {
  if (!(rho > -1 && rho < 1)) throw new Error(`sensitivity: ρ must be in (−1, 1), got ${rho}`);
  return sensitivityIndirect(sensitivity.a, sensitivity.sigma_ratio, sensitivity.rho_tilde, rho);
}

/** indirect(ρ) = a (σ1/σ2) { ρ̃ − ρ √[(1 − ρ̃²)/(1 − ρ²)] } (see `mediationSensitivity`); 0 if undefined. */
function sensitivityIndirect(a: number, sigmaRatio: number | null, rhoTilde: number | null, rho: number): number {
  if (sigmaRatio === null || rhoTilde === null) return 0;
  const rt2 = Math.min(1, rhoTilde * rhoTilde);
  return a * sigmaRatio * (rhoTilde - rho * Math.sqrt((1 - rt2) / (1 - rho * rho)));
}

/**
 * Full analysis: point estimates, Sobel test, participant bootstrap of a·b (percentile and BCa),
 * and the sensitivity curve.
 */
export function withinSubjectMediation(rows: readonly MediationRow[], options: MediationOptions = {}): MediationResult {
  const resamples = options.resamples ?? 5000;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`Within-subject mediation: level must be in (0, 1), got ${level}`);
  const data = prepareMediationData(rows);
  const c = centre(data);
  const point = pointFromData(data, c);
  const replicates = bootstrapIndirect(c, resamples, seed, options.onProgress);
  const summary = finiteSummary(replicates);
  const sorted = sortedFinite(replicates);
  const jack = jackknifeIndirect(c);
  const bca = bcaParametersSorted(sorted, point.indirect, jack, level);
  return {
    ...point,
    boot: {
      resamples,
      seed,
      level,
      valid: summary.valid,
      se: summary.sd,
      percentile: percentileIntervalSorted(sorted, level),
      bca: bca.interval,
      bca_label: "BCa (Efron, jackknife acceleration)",
      bca_z0: bca.z0,
      bca_acceleration: bca.acceleration,
      replicates,
    },
    sensitivity: mediationSensitivity(data, options.sensitivity),
  };
}

export interface LinePoint {
  x: number;
  fit: number;
  /** Confidence band for the mean of ΔY at this ΔM (z = 0); null if n = 3. */
  lo: number | null;
  hi: number | null;
}

export interface LineOptions {
  /** Grid start and end (default: observed range of ΔM). */
  from?: number;
  to?: number;
  /** Number of grid points (default 50, at least 2). */
  points?: number;
  level?: number;
}

/**
 * Fitted line of ΔY on ΔM at centred M̄ = 0, ŷ(x) = c′ + b x, with a pointwise confidence band
 * ŷ ± t_{n−3, (1+level)/2} · √( s²/n + (x − x̄)² Var(b) ) (OLS mean-response interval; the
 * covariance of ȳ and b is 0 because x and z are centred).
 */
export function mediationLine(model: LineModel, options: LineOptions = {}): LinePoint[] {
  const from = options.from ?? model.x_min;
  const to = options.to ?? model.x_max;
  const points = Math.max(2, Math.floor(options.points ?? 50));
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`mediationLine: level must be in (0, 1), got ${level}`);
  const q = model.df > 0 ? tQuantile((1 + level) / 2, model.df) : null;
  const out: LinePoint[] = [];
  for (let k = 0; k < points; k++) {
    const x = from + ((to - from) * k) / (points - 1);
    const fit = model.intercept + model.slope * x;
    let lo: number | null = null;
    let hi: number | null = null;
    if (q !== null && model.var_mean_y !== null && model.var_slope !== null) {
      const dx = x - model.x_mean;
      const half = q * Math.sqrt(model.var_mean_y + dx * dx * model.var_slope);
      lo = fit - half;
      hi = fit + half;
    }
    out.push({ x, fit, lo, hi });
  }
  return out;
}

/** The result without the replicates array, ready for JSON.stringify. */
export function mediationResultForJson(result: MediationResult): Omit<MediationResult, "boot"> & {
  boot: Omit<MediationBoot, "replicates">;
} {
  const { replicates: _replicates, ...boot } = result.boot;
  return { ...result, boot };
}
