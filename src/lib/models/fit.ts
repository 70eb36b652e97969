/**
 * Flat (per participant x session) maximum-likelihood fits: the one implementation, for every model.
 *
 * For y = X theta + N(0, sigma^2 I) with n observations (Seber & Lee 2003, ch. 3):
 *   theta_hat = (X'X)^{-1} X'y                         (least squares = ML for theta)
 *   RSS       = y'y - theta_hat' X'y
 *   sigma2    = RSS / n                                (ML, not the unbiased RSS/(n - p))
 *   loglik    = -n/2 * (ln(2 pi) + ln(sigma2) + 1)
 *   AIC = 2k - 2 loglik,  BIC = k ln(n) - 2 loglik,  k = (estimable coefficients) + 1 (sigma counts)
 * Aliased columns (e.g. no trials of one valence) are dropped as R's lm() does and their
 * coefficients are null; k counts only what was estimated. These are exactly logLik(), AIC() and
 * BIC() of R's lm() (checked in test/lib/models/models.test.ts against test/r/models_reference.R).
 *
 * Speed: the design is written into reused scratch buffers (each model's `designInto`) and solved in
 * place (stats/linalg.ts), so a fit allocates only its result. At 10,000 participants (about 25,000
 * participant-sessions x 4 models) this keeps model fitting and comparison inside the re-analysis
 * budget. A plain implementation on arrays is the oracle of this one (test/oracles/flat-fit.ts; the
 * two are compared bit for bit in test/lib/task/columnar.test.ts).
 */
import type { ModelFit, LsModelName, ModelSpec, SufficientStats } from "./types.js";
import { choleskyDropSolveInto } from "../stats/linalg.js";
import { getModel } from "./registry.js";
import { aicOf, bicOf } from "./criteria.js";

const LOG_2PI = Math.log(2 * Math.PI);

/** Relative size of RSS (to y'y) at or below which sigma counts as 0 (an exact fit). */
export const EXACT_FIT_TOL = 1e-10;

/** What model comparison reads of a flat fit (fitSummaryFromStats). */
export type FitSummary = Pick<ModelFit, "participant_id" | "session" | "model" | "n" | "loglik" | "aic" | "bic" | "method" | "warnings">;

function specOf(model: LsModelName | ModelSpec): ModelSpec {
  return typeof model === "string" ? getModel(model) : model;
}

const fin = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);

/**
 * Fill in the parts of a fit common to flat and hierarchical fits: learning rates from the model's
 * report(), nulls for a valence without trials, asymmetry, warnings.
 */
export function assembleFit(
  spec: ModelSpec,
  stats: SufficientStats,
  theta: (number | null)[],
  core: { sigma: number | null; loglik: number | null; k: number; method: "ml" | "map"; warnings: string[] },
): ModelFit {
  const nGood = stats.good.n;
  const nBad = stats.bad.n;
  const n = nGood + nBad;
  const rep = spec.report(theta, stats);
  const warnings = [...core.warnings];
  let alphaGood = rep.alpha_good;
  let alphaBad = rep.alpha_bad;
  if (n > 0 && nGood === 0) {
    alphaGood = null;
    warnings.push("no good-news trials: alpha_good and asymmetry are null");
  }
  if (n > 0 && nBad === 0) {
    alphaBad = null;
    warnings.push("no bad-news trials: alpha_bad and asymmetry are null");
  }
  warnings.push(...rep.warnings);
  alphaGood = fin(alphaGood);
  alphaBad = fin(alphaBad);
  const params: Record<string, number | null> = {};
  for (const [key, v] of Object.entries(rep.params)) params[key] = fin(v);
  const loglik = fin(core.loglik);
  return {
    participant_id: stats.participant_id,
    session: stats.session,
    model: spec.name,
    alpha_good: alphaGood,
    alpha_bad: alphaBad,
    asymmetry: alphaGood !== null && alphaBad !== null ? alphaGood - alphaBad : null,
    n_good: nGood,
    n_bad: nBad,
    n,
    sigma: fin(core.sigma),
    loglik,
    aic: aicOf(core.k, loglik),
    bic: bicOf(core.k, n, loglik),
    k: core.k,
    params,
    method: core.method,
    warnings,
  };
}

/** Scratch buffers by number of coefficients (the fits run one at a time). */
interface Scratch {
  xtx: Float64Array;
  xty: Float64Array;
  l: Float64Array;
  z: Float64Array;
  x: Float64Array;
  kept: Uint8Array;
}
const scratch = new Map<number, Scratch>();
function scratchOf(p: number): Scratch {
  let s = scratch.get(p);
  if (!s) {
    s = { xtx: new Float64Array(p * p), xty: new Float64Array(p), l: new Float64Array(p * p), z: new Float64Array(p), x: new Float64Array(p), kept: new Uint8Array(p) };
    scratch.set(p, s);
  }
  return s;
}

// Result of the last mlCore (module scratch: the fits run one at a time, and a summary then allocates
// only its own object -- at 10,000 participants the comparison reads about 75,000 of them).
let rTheta: (number | null)[] = [];
let rSigma: number | null = null;
let rLoglik: number | null = null;
let rK = 0;
let rWarning: string | null = null;
const NO_WARNINGS: string[] = Object.freeze([]) as unknown as string[];

/** The ML estimate of one participant-session into the r* scratch: coefficients (null = aliased), sigma, loglik, k, the core warning. */
function mlCore(spec: ModelSpec, stats: SufficientStats): void {
  const p = spec.coefNames.length;
  const s = scratchOf(p);
  const { yty, n } = spec.designInto(stats, s.xtx, s.xty);
  rTheta = new Array<number | null>(p).fill(null);
  rSigma = null;
  rLoglik = null;
  rK = 0;
  rWarning = null;
  if (n === 0) {
    rWarning = "no scored trials: nothing to fit (all estimates null)";
    return;
  }
  const nKept = choleskyDropSolveInto(s.xtx, p, s.xty, s.l, s.z, s.x, s.kept);
  let fitted = 0;
  for (let j = 0; j < p; j++) {
    if (!s.kept[j]) continue;
    rTheta[j] = s.x[j];
    fitted += s.x[j] * s.xty[j];
  }
  const rss = Math.max(0, yty - fitted);
  rK = nKept + 1;
  if (yty === 0 || rss <= EXACT_FIT_TOL * yty) {
    rWarning = "sigma = 0 (the model reproduces every second estimate exactly): sigma, loglik, AIC and BIC are null";
  } else {
    const s2 = rss / n;
    rSigma = Math.sqrt(s2);
    rLoglik = -0.5 * n * (LOG_2PI + Math.log(s2) + 1);
  }
}

/** ML fit of one model to one participant-session from its sufficient statistics. */
export function fitFromStats(model: LsModelName | ModelSpec, stats: SufficientStats): ModelFit {
  const spec = specOf(model);
  mlCore(spec, stats);
  return assembleFit(spec, stats, rTheta, { sigma: rSigma, loglik: rLoglik, k: rK, method: "ml", warnings: rWarning === null ? [] : [rWarning] });
}

/**
 * The part of fitFromStats that model comparison reads (identical numbers and warnings, in the order
 * assembleFit gives them), for the fits the analysis does not report.
 */
export function fitSummaryFromStats(model: LsModelName | ModelSpec, stats: SufficientStats): FitSummary {
  const spec = specOf(model);
  mlCore(spec, stats);
  const rep = spec.report(rTheta, stats);
  const nGood = stats.good.n;
  const nBad = stats.bad.n;
  const n = nGood + nBad;
  let warnings = NO_WARNINGS;
  if (rWarning !== null || (n > 0 && (nGood === 0 || nBad === 0)) || rep.warnings.length > 0) {
    warnings = rWarning === null ? [] : [rWarning];
    if (n > 0 && nGood === 0) warnings.push("no good-news trials: alpha_good and asymmetry are null");
    if (n > 0 && nBad === 0) warnings.push("no bad-news trials: alpha_bad and asymmetry are null");
    warnings.push(...rep.warnings);
  }
  const loglik = fin(rLoglik);
  return { participant_id: stats.participant_id, session: stats.session, model: spec.name, n, loglik, aic: aicOf(rK, loglik), bic: bicOf(rK, n, loglik), method: "ml", warnings };
}
