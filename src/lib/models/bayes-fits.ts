/**
 * The Bayesian models in the analysis: variational Laplace inversions of every participant-session
 * (models/bayes, as the VBA toolbox) reported as ModelFits, and random-effects Bayesian model selection
 * over the Bayesian models' free energies, overall and per group x session (VBA_groupBMC).
 */
import type { ScoredTrial } from "../task/types.js";
import { groupByParticipantSession } from "../task/scoring.js";
import { getBayesModel, invertSessions, resolvePrior, groupBMC, groupBMCByCell, type BayesPrior, type GroupBMCResult, type PriorPreset, type SessionInput, type VLResult } from "./bayes/index.js";
import { BAYES_KIT_MODELS, bayesNameOf, type BayesKitModelName } from "./names.js";
import type { ModelFit } from "./types.js";

export interface BayesSession extends SessionInput {
  participant_id: string;
  session: string;
}

/** The trials of every participant-session as the inversion reads them (N = +1 good news, -1 bad news). */
export function bayesSessions(trials: readonly ScoredTrial[]): BayesSession[] {
  return groupByParticipantSession(trials).map((g) => ({
    participant_id: g.participant_id,
    session: g.session,
    e1: Float64Array.from(g.trials, (t) => t.e1),
    br: Float64Array.from(g.trials, (t) => t.br),
    e2: Float64Array.from(g.trials, (t) => t.e2),
    n: Float64Array.from(g.trials, (t) => (t.valence === "good" ? 1 : -1)),
  }));
}

function asFit(model: BayesKitModelName, s: BayesSession, r: VLResult): ModelFit {
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  const spec = getBayesModel(bayesNameOf(model));
  const good = r.n_good > 0;
  const bad = r.n_bad > 0;
  const alpha_good = good ? fin(r.alpha_good) : null;
  const alpha_bad = bad ? fin(r.alpha_bad) : null;
  return {
    participant_id: s.participant_id,
    session: s.session,
    model,
    alpha_good,
    alpha_bad,
    asymmetry: alpha_good !== null && alpha_bad !== null ? alpha_good - alpha_bad : null,
    n_good: r.n_good,
    n_bad: r.n_bad,
    n: r.n,
    sigma: fin(r.noise_sd),
    loglik: null,
    aic: null,
    bic: null,
    k: spec.paramNames.length + 1,
    params: Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, fin(v)])),
    method: "vb",
    posterior: { params: [...spec.paramNames], mean: r.mean, covariance: r.covariance, precision_shape: r.precision_shape, precision_rate: r.precision_rate, free_energy: r.F, converged: r.converged, mean_abs_ee: r.mean_abs_ee },
    warnings: [...r.warnings, ...(good ? [] : ["no good-news trials: alpha_good and asymmetry are null"]), ...(bad ? [] : ["no bad-news trials: alpha_bad and asymmetry are null"])],
  };
}

/** A prior of the analysis: a preset name ("kit", "greaves") or a prior of one model's parameters. */
export type PriorChoice = PriorPreset | BayesPrior;

/** Variational Laplace fits of one Bayesian model to every participant-session. */
export function fitBayesModel(sessions: readonly BayesSession[], model: BayesKitModelName, prior: PriorChoice = "kit"): ModelFit[] {
  const results = invertSessions(sessions, bayesNameOf(model), prior);
  return sessions.map((s, i) => asFit(model, s, results[i]));
}

/** The prior in force for a model (for the JSON and the page): the preset resolved, or the prior given. */
export function priorOf(model: BayesKitModelName, prior: PriorChoice): BayesPrior & { params: string[] } {
  const name = bayesNameOf(model);
  return { params: [...getBayesModel(name).paramNames], ...resolvePrior(name, prior) };
}

export interface ModelSelection {
  models: BayesKitModelName[];
  method: string;
  /** Over every participant-session (subjects = participant-sessions). */
  overall: ModelSelectionRow;
  /** One comparison per group x session. */
  by_group_session: (ModelSelectionRow & { group: string | null; session: string | null; n: number })[];
  /** Family comparison: models with an asymmetry (valence-dependent rates) against the single rate. */
  families: { names: string[]; members: string[][]; frequency: number[]; exceedance: number[]; protected_exceedance: number[] | null; bor: number } | null;
  notes: string[];
}

export interface ModelSelectionRow {
  alpha: Record<string, number>;
  frequency: Record<string, number>;
  exceedance: Record<string, number>;
  protected_exceedance: Record<string, number> | null;
  bor: number;
  exceedance_method: GroupBMCResult["exceedance_method"];
  exceedance_samples: number | null;
  exceedance_mc_se: number | null;
}

function row(models: readonly string[], r: GroupBMCResult): ModelSelectionRow {
  const by = (xs: readonly number[]) => Object.fromEntries(models.map((m, i) => [m, xs[i]]));
  return {
    alpha: by(r.alpha),
    frequency: by(r.frequency),
    exceedance: by(r.exceedance),
    protected_exceedance: r.protected_exceedance ? by(r.protected_exceedance) : null,
    bor: r.bor,
    exceedance_method: r.exceedance_method,
    exceedance_samples: r.exceedance_samples,
    exceedance_mc_se: r.exceedance_mc_se,
  };
}

/**
 * Random-effects Bayesian model selection (Stephan et al. 2009; Rigoux et al. 2014) over the Bayesian
 * models' free energies: participant-sessions are the subjects, overall and per group x session.
 */
export function bayesModelSelection(fitsByModel: Partial<Record<BayesKitModelName, readonly ModelFit[]>>, groupOf: (id: string) => string, options: { seed?: number; samples?: number } = {}): ModelSelection {
  const models = BAYES_KIT_MODELS.filter((m) => fitsByModel[m]);
  const key = (f: ModelFit) => `${f.participant_id}\u0000${f.session}`;
  const maps = models.map((m) => new Map(fitsByModel[m]!.map((f) => [key(f), f])));
  const subjects = [...maps[0].keys()].filter((k) => maps.every((mp) => Number.isFinite(mp.get(k)?.posterior?.free_energy)));
  const L = models.map((_, i) => subjects.map((k) => maps[i].get(k)!.posterior!.free_energy));
  const seed = options.seed ?? 1;
  const samples = options.samples ?? 1e5;
  const overall = groupBMC(L, { modelNames: [...models], seed, samples });
  const asymmetric = models.filter((m) => m !== "vb-single");
  const fam = models.includes("vb-single") && asymmetric.length
    ? groupBMC(L, { modelNames: [...models], seed, samples, families: { asymmetric, single: ["vb-single"] } })
    : null;
  const rows = subjects.map((k) => {
    const f = maps[0].get(k)!;
    return models.map((m, i) => ({ subject: f.participant_id, model: m, log_evidence: maps[i].get(k)!.posterior!.free_energy, group: groupOf(f.participant_id), session: f.session }));
  }).flat();
  const cells = groupBMCByCell(rows, { models: [...models], seed, samples });
  return {
    models: [...models],
    method: "random-effects Bayesian model selection on the free energies (VBA_groupBMC: Stephan et al. 2009; Rigoux et al. 2014), participant-sessions as subjects",
    overall: row(models, overall),
    by_group_session: cells.map((c) => ({ group: c.group, session: c.session, n: c.subjects.length, ...row(models, c.result) })),
    families: fam?.families
      ? { names: fam.families.names, members: fam.families.members.map((ms) => ms.map((i) => models[i])), frequency: fam.families.frequency, exceedance: fam.families.exceedance, protected_exceedance: fam.families.protected_exceedance, bor: fam.bor }
      : null,
    notes: [
      `${subjects.length} participant-sessions with a finite free energy under every model`,
      overall.exceedance_method === "monte-carlo" ? `exceedance probabilities by seeded Monte Carlo (${overall.exceedance_samples} samples, seed ${seed}; standard error at most ${overall.exceedance_mc_se?.toExponential(1)})` : "exceedance probabilities exact (two models: beta CDF)",
    ],
  };
}

/** A 95% posterior interval of a rate (mean ± 1.96 SD by the delta method on the Laplace posterior). */
export interface RateInterval {
  estimate: number;
  lo: number;
  hi: number;
}

/**
 * Posterior intervals of a Bayesian fit's learning rates and asymmetry: each rate is
 * sum_k f_k(phi_k) z_k (f = exp or identity; z = 1, N or |EE|/5 at the session's mean |EE|), so its
 * posterior SD is sqrt(g' Sigma g) with g_k = f_k'(phi_k) z_k at the posterior mean (first-order delta method).
 */
export function posteriorRateIntervals(fit: ModelFit): Record<"alpha_good" | "alpha_bad" | "asymmetry", RateInterval | null> | null {
  const post = fit.posterior;
  if (!post || !fit.model.startsWith("vb-")) return null;
  const spec = getBayesModel(bayesNameOf(fit.model as BayesKitModelName));
  const grad = (N: number) =>
    spec.terms.map((t, k) => {
      const z = t.covariate === "one" ? 1 : t.covariate === "valence" ? N : post.mean_abs_ee / 5;
      return (t.transform === "exp" ? Math.exp(post.mean[k]) : 1) * z;
    });
  const sd = (g: number[]) => Math.sqrt(Math.max(0, g.reduce((s, gi, i) => s + g.reduce((t, gj, j) => t + gi * post.covariance[i][j] * gj, 0), 0)));
  const gg = grad(1);
  const gb = grad(-1);
  const ga = gg.map((x, i) => x - gb[i]);
  const at = (est: number | null, g: number[]) => (est === null ? null : { estimate: est, lo: est - 1.959963984540054 * sd(g), hi: est + 1.959963984540054 * sd(g) });
  return { alpha_good: at(fit.alpha_good, gg), alpha_bad: at(fit.alpha_bad, gb), asymmetry: at(fit.asymmetry, ga) };
}
