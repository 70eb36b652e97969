/**
 * Flat (per participant x session) maximum-likelihood fits.
 *
 * For y = X theta + N(0, sigma^2 I) with n observations (Seber & Lee 2003, ch. 3):
 *   theta_hat = (X'X)^{-1} X'y                         (least squares = ML for theta)
 *   RSS       = y'y - theta_hat' X'y
 *   sigma2    = RSS / n                                (ML, not the unbiased RSS/(n - p))
 *   loglik    = -n/2 * (ln(2 pi) + ln(sigma2) + 1)
 *   AIC = 2k - 2 loglik,  BIC = k ln(n) - 2 loglik,  k = (estimable coefficients) + 1 (sigma counts)
 * Aliased columns (e.g. no trials of one valence) are dropped as R's lm() does and their
 * coefficients are null; k counts only what was estimated. These are exactly logLik(), AIC() and
 * BIC() of R's lm() (checked in test/lib/models.test.ts against test/r/models_reference.R).
 */
import type { ScoredTrial } from "../study/types.js";
import type { ModelFit, ModelName, ModelSpec, SufficientStats } from "./types.js";
import { choleskyDrop, choleskySolve } from "../stats/linalg.js";
import { computeStats, statsOfTrials } from "./sufficient-stats.js";
import { getModel, MODEL_SPECS } from "./registry.js";
import { fitBuiltinFromStats } from "./fast-fit.js";
import { aicOf, bicOf } from "./criteria.js";

const LOG_2PI = Math.log(2 * Math.PI);

/** Relative size of RSS (to y'y) at or below which sigma counts as 0 (an exact fit). */
export const EXACT_FIT_TOL = 1e-10;

function specOf(model: ModelName | ModelSpec): ModelSpec {
  return typeof model === "string" ? getModel(model) : model;
}

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
  const fin = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : v);
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

/** Fast path: ML fit of one model to one participant-session from its sufficient statistics. */
export function fitFromStats(model: ModelName | ModelSpec, stats: SufficientStats): ModelFit {
  const spec = specOf(model);
  // The built-in models: the same computation without intermediate objects (fast-fit.ts).
  if (MODEL_SPECS[spec.name] === spec) return fitBuiltinFromStats(spec.name, stats);
  const d = spec.design(stats);
  const p = spec.coefNames.length;
  if (d.n === 0) {
    return assembleFit(spec, stats, new Array<number | null>(p).fill(null), {
      sigma: null,
      loglik: null,
      k: 0,
      method: "ml",
      warnings: ["no scored trials: nothing to fit (all estimates null)"],
    });
  }
  const { l, kept } = choleskyDrop(d.xtx);
  const sol = choleskySolve(l, d.xty, kept);
  const theta = sol.map((v, j) => (kept[j] ? v : null));
  let fitted = 0;
  for (let j = 0; j < p; j++) if (kept[j]) fitted += sol[j] * d.xty[j];
  const rss = Math.max(0, d.yty - fitted);
  const nCoef = kept.filter(Boolean).length;
  const k = nCoef + 1;
  const warnings: string[] = [];
  let sigma: number | null = null;
  let loglik: number | null = null;
  if (d.yty === 0 || rss <= EXACT_FIT_TOL * d.yty) {
    warnings.push("sigma = 0 (the model reproduces every second estimate exactly): sigma, loglik, AIC and BIC are null");
  } else {
    const s2 = rss / d.n;
    sigma = Math.sqrt(s2);
    loglik = -0.5 * d.n * (LOG_2PI + Math.log(s2) + 1);
  }
  return assembleFit(spec, stats, theta, { sigma, loglik, k, method: "ml", warnings });
}

function assertOneParticipantSession(trials: readonly ScoredTrial[]): void {
  if (trials.length === 0) return;
  const { participant_id, session } = trials[0];
  for (const t of trials) {
    if (t.participant_id !== participant_id || t.session !== session) {
      throw new Error(
        `fitModel expects the trials of one participant-session, got ${participant_id}/${session} and ${t.participant_id}/${t.session}; use fitModelToAll or fitAll`,
      );
    }
  }
}

/**
 * ML fit of one model to the scored trials of ONE participant-session. `ids` names the
 * participant-session when `trials` is empty.
 */
export function fitModel(trials: readonly ScoredTrial[], model: ModelName | ModelSpec = "valence", ids?: { participant_id: string; session: string }): ModelFit {
  assertOneParticipantSession(trials);
  return fitFromStats(model, statsOfTrials(trials, ids));
}

/** ML fits of one model to every participant-session in `trials` (first-seen order). */
export function fitModelToAll(trials: readonly ScoredTrial[], model: ModelName | ModelSpec = "valence"): ModelFit[] {
  return computeStats(trials).map((s) => fitFromStats(model, s));
}

/** Predicted second estimate of one trial under a fitted model (null when the rate is null). */
export function predictE2(fit: ModelFit, trial: Pick<ScoredTrial, "e1" | "br" | "valence">): number | null {
  let alpha = trial.valence === "good" ? fit.alpha_good : fit.alpha_bad;
  if (alpha === null) return null;
  if (fit.model === "ee-weighted") {
    const { beta, abs_ee_mean: m, abs_ee_sd: sd } = fit.params;
    if (beta !== null && m !== null && sd !== null && sd > 0) alpha += (beta * (Math.abs(trial.e1 - trial.br) - m)) / sd;
  }
  return trial.e1 + alpha * (trial.br - trial.e1);
}
