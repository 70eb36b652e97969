/**
 * Flat ML fits of the four built-in models without intermediate objects: the same design
 * (each model's `design`), the same column-dropping Cholesky solve (linalg.ts choleskyDrop and
 * choleskySolve), the same report and assembly (fit.ts) -- written out operation by operation in
 * the same order on a reused scratch buffer, so the numbers are bit-identical to the generic
 * path (test/lib/columnar.test.ts compares both) while a fit allocates only its result. At 10,000
 * participants (about 25,000 participant-sessions x 4 models) this is what keeps model fitting and
 * comparison inside the re-analysis budget.
 */
import type { ModelFit, ModelName, SufficientStats } from "./types.js";
import { aicOf, bicOf } from "./criteria.js";

const LOG_2PI = Math.log(2 * Math.PI);
const EXACT_FIT_TOL = 1e-10;
const DROP_TOL = 1e-10;

// Scratch for p <= 3: A (3x3), b, L (3x3), z, x, kept.
const A = new Float64Array(9);
const B = new Float64Array(3);
const L = new Float64Array(9);
const Z = new Float64Array(3);
const X = new Float64Array(3);
const KEPT = new Uint8Array(3);

/** choleskyDrop + choleskySolve of linalg.ts on A (p x p) and B, same operation order; returns the number of kept columns. */
function solveDrop(p: number): number {
  for (let i = 0; i < 9; i++) L[i] = 0;
  KEPT[0] = KEPT[1] = KEPT[2] = 0;
  let nKept = 0;
  for (let j = 0; j < p; j++) {
    const ajj = A[j * 3 + j];
    let d = ajj;
    for (let k = 0; k < j; k++) if (KEPT[k]) d -= L[j * 3 + k] * L[j * 3 + k];
    if (!(ajj > 0) || !(d > DROP_TOL * ajj)) continue;
    KEPT[j] = 1;
    nKept++;
    const ljj = Math.sqrt(d);
    L[j * 3 + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * 3 + j];
      for (let k = 0; k < j; k++) if (KEPT[k]) s -= L[i * 3 + k] * L[j * 3 + k];
      L[i * 3 + j] = s / ljj;
    }
  }
  for (let i = 0; i < p; i++) {
    Z[i] = 0;
    if (!KEPT[i]) continue;
    let s = B[i];
    for (let k = 0; k < i; k++) if (KEPT[k]) s -= L[i * 3 + k] * Z[k];
    Z[i] = s / L[i * 3 + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    X[i] = 0;
    if (!KEPT[i]) continue;
    let s = Z[i];
    for (let k = i + 1; k < p; k++) if (KEPT[k]) s -= L[k * 3 + i] * X[k];
    X[i] = s / L[i * 3 + i];
  }
  return nKept;
}

const fin = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

/** What model comparison reads of a flat fit (see fitBuiltinSummary). */
export type FitSummary = Pick<ModelFit, "participant_id" | "session" | "model" | "n" | "loglik" | "aic" | "bic" | "method" | "warnings">;

// Results of the last `compute` (module scratch: the fits run one at a time).
let rAlphaGood: number | null = null;
let rAlphaBad: number | null = null;
let rSigma: number | null = null;
let rLoglik: number | null = null;
let rK = 0;
let rParams: Record<string, number | null> | null = null;
/** Warnings of the last fit; null for none (most fits). */
let rWarnings: string[] | null = null;
/** The warnings of a summary without any (summaries are read, never changed). */
const NO_WARNINGS: string[] = Object.freeze([]) as unknown as string[];

/**
 * The fit of a built-in model (fit.ts fitFromStats with the model's own spec), bit for bit, into the
 * r* scratch; `params` is built only when asked for.
 */
function compute(model: ModelName, stats: SufficientStats, withParams: boolean): void {
  const g = stats.good;
  const b = stats.bad;
  const n = g.n + b.n;
  let p: number;
  // Design (the `design` of each model file).
  let m = 0;
  let sd = 0;
  switch (model) {
    case "single":
      p = 1;
      A[0] = g.sxx + b.sxx;
      B[0] = g.sxy + b.sxy;
      break;
    case "valence":
      p = 2;
      A[0] = g.sxx;
      A[1] = 0;
      A[3] = 0;
      A[4] = b.sxx;
      B[0] = g.sxy;
      B[1] = b.sxy;
      break;
    case "scaling-asymmetry": {
      p = 2;
      const sxx = g.sxx + b.sxx;
      const dxx = g.sxx - b.sxx;
      A[0] = sxx;
      A[1] = dxx;
      A[3] = dxx;
      A[4] = sxx;
      B[0] = g.sxy + b.sxy;
      B[1] = g.sxy - b.sxy;
      break;
    }
    default: {
      // ee-weighted (stats.ts absEeMoments, ee-weighted.ts design)
      p = 3;
      if (n > 0) {
        m = (g.sa + b.sa) / n;
        const v = (g.saa + b.saa) / n - m * m;
        sd = v > 1e-12 * m * m ? Math.sqrt(v) : 0;
      }
      const cg = sd > 0 ? (g.saxx - m * g.sxx) / sd : 0;
      const cb = sd > 0 ? (b.saxx - m * b.sxx) / sd : 0;
      const zzg = sd > 0 ? (g.saaxx - 2 * m * g.saxx + m * m * g.sxx) / (sd * sd) : 0;
      const zzb = sd > 0 ? (b.saaxx - 2 * m * b.saxx + m * m * b.sxx) / (sd * sd) : 0;
      const zyg = sd > 0 ? (g.saxy - m * g.sxy) / sd : 0;
      const zyb = sd > 0 ? (b.saxy - m * b.sxy) / sd : 0;
      A[0] = g.sxx;
      A[1] = 0;
      A[2] = cg;
      A[3] = 0;
      A[4] = b.sxx;
      A[5] = cb;
      A[6] = cg;
      A[7] = cb;
      A[8] = Math.max(0, zzg + zzb);
      B[0] = g.sxy;
      B[1] = b.sxy;
      B[2] = zyg + zyb;
    }
  }
  const yty = g.syy + b.syy;
  let warnings: string[] | null = null;
  let t0: number | null = null;
  let t1: number | null = null;
  let t2: number | null = null;
  let k = 0;
  let sigma: number | null = null;
  let loglik: number | null = null;
  if (n === 0) (warnings ??= []).push("no scored trials: nothing to fit (all estimates null)");
  else {
    const nKept = solveDrop(p);
    t0 = KEPT[0] ? X[0] : null;
    if (p > 1) t1 = KEPT[1] ? X[1] : null;
    if (p > 2) t2 = KEPT[2] ? X[2] : null;
    let fitted = 0;
    for (let j = 0; j < p; j++) if (KEPT[j]) fitted += X[j] * B[j];
    const rss = Math.max(0, yty - fitted);
    k = nKept + 1;
    if (yty === 0 || rss <= EXACT_FIT_TOL * yty) {
      (warnings ??= []).push("sigma = 0 (the model reproduces every second estimate exactly): sigma, loglik, AIC and BIC are null");
    } else {
      const s2 = rss / n;
      sigma = Math.sqrt(s2);
      loglik = -0.5 * n * (LOG_2PI + Math.log(s2) + 1);
    }
  }
  // Report (each model's `report`) and assembly (fit.ts assembleFit).
  let alphaGood: number | null;
  let alphaBad: number | null;
  let params: Record<string, number | null> | null = null;
  let modelWarning: string | null = null;
  switch (model) {
    case "single":
      alphaGood = t0;
      alphaBad = t0;
      if (withParams) params = { alpha: fin(t0) };
      break;
    case "valence":
      alphaGood = t0;
      alphaBad = t1;
      if (withParams) params = { alpha_good: fin(t0), alpha_bad: fin(t1) };
      break;
    case "scaling-asymmetry":
      if (t0 !== null && t1 !== null) {
        alphaGood = t0 + t1;
        alphaBad = t0 - t1;
        if (withParams) params = { s: fin(t0), k: fin(t1) };
      } else if (t0 !== null) {
        alphaGood = g.n > 0 ? t0 : null;
        alphaBad = b.n > 0 ? t0 : null;
        if (withParams) params = { s: null, k: null };
        modelWarning = "trials of one valence only: s and k are not separately identifiable (null); the rate of the valence present is reported";
      } else {
        alphaGood = null;
        alphaBad = null;
        if (withParams) params = { s: null, k: null };
      }
      break;
    default:
      if (n > 0 && t2 === null && (t0 !== null || t1 !== null)) {
        modelWarning = sd === 0 ? "all |EE| are equal: beta is not estimable (null), the fit reduces to the valence model" : "beta is not estimable (null)";
      }
      alphaGood = t0;
      alphaBad = t1;
      if (withParams) params = { alpha_good: fin(t0), alpha_bad: fin(t1), beta: fin(t2), abs_ee_mean: n > 0 ? fin(m) : null, abs_ee_sd: n > 0 ? fin(sd) : null };
  }
  if (n > 0 && g.n === 0) {
    alphaGood = null;
    (warnings ??= []).push("no good-news trials: alpha_good and asymmetry are null");
  }
  if (n > 0 && b.n === 0) {
    alphaBad = null;
    (warnings ??= []).push("no bad-news trials: alpha_bad and asymmetry are null");
  }
  if (modelWarning !== null) (warnings ??= []).push(modelWarning);
  rAlphaGood = fin(alphaGood);
  rAlphaBad = fin(alphaBad);
  rSigma = fin(sigma);
  rLoglik = fin(loglik);
  rK = k;
  rParams = params;
  rWarnings = warnings;
}

/** ML fit of a built-in model (fit.ts fitFromStats with the model's own spec), bit for bit. */
export function fitBuiltinFromStats(model: ModelName, stats: SufficientStats): ModelFit {
  compute(model, stats, true);
  const n = stats.good.n + stats.bad.n;
  const loglik = rLoglik;
  return {
    participant_id: stats.participant_id,
    session: stats.session,
    model,
    alpha_good: rAlphaGood,
    alpha_bad: rAlphaBad,
    asymmetry: rAlphaGood !== null && rAlphaBad !== null ? rAlphaGood - rAlphaBad : null,
    n_good: stats.good.n,
    n_bad: stats.bad.n,
    n,
    sigma: rSigma,
    loglik,
    aic: aicOf(rK, loglik),
    bic: bicOf(rK, n, loglik),
    k: rK,
    params: rParams!,
    method: "ml",
    warnings: rWarnings ?? [],
  };
}

/**
 * The part of fitBuiltinFromStats that model comparison reads (identical numbers and warnings),
 * for the models whose fits the analysis does not report: a quarter of the objects.
 */
export function fitBuiltinSummary(model: ModelName, stats: SufficientStats): FitSummary {
  compute(model, stats, false);
  const n = stats.good.n + stats.bad.n;
  const loglik = rLoglik;
  return {
    participant_id: stats.participant_id,
    session: stats.session,
    model,
    n,
    loglik,
    aic: aicOf(rK, loglik),
    bic: bicOf(rK, n, loglik),
    method: "ml",
    warnings: rWarnings ?? NO_WARNINGS,
  };
}
