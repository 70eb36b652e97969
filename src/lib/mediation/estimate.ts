/**
 * Point estimates of the within-participant mediation (Montoya & Hayes 2017; see index.ts): the paths
 * a, b, c, c′ with their tests, the indirect effect a·b and the Sobel test, from centred data.
 */
import { tQuantile, tTwoSidedP, zTwoSidedP } from "../stats/distributions.js";
import { prepareMediationData } from "./data.js";
import type { LineModel, MediationData, MediationPoint, MediationRow, PathEstimate } from "./types.js";

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
export const SINGULAR_TOL = 1e-10;

/** Centred data and full-sample constants shared by the point estimate, jackknife and bootstrap. */
export interface Centred {
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

export function centre(data: MediationData): Centred {
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
export function indirectFromSums(
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

export function pointFromData(data: MediationData, c: Centred): MediationPoint {
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

