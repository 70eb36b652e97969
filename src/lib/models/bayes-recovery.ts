/**
 * Model and parameter recovery of the Bayesian models (the `bayes` option of runRecovery): on each
 * generating model's simulated participant-sessions, every Bayesian model is inverted by variational
 * Laplace, random-effects Bayesian model selection says which one the data favour (the confusion row,
 * beside BIC's), and the Bayesian fits' learning rates are compared with the truth.
 */
import type { ScoredTrial } from "../task/types.js";
import { BAYES_KIT_MODELS, type BayesKitModelName, type LsModelName } from "./names.js";
import { bayesModelSelection, bayesSessions, fitBayesModel, type PriorChoice } from "./bayes-fits.js";
import type { ModelFit } from "./types.js";
import { pearson } from "../stats/describe.js";

/** Model recovery by Bayesian model selection on one generating model's data. */
export interface BayesConfusionRow {
  generating: LsModelName;
  n: number;
  /** Posterior model frequencies, exceedance and protected exceedance probabilities (participant-sessions as subjects). */
  frequency: Record<string, number>;
  protected_exceedance: Record<string, number> | null;
  /** The model with the highest protected exceedance probability. */
  best: BayesKitModelName;
  bor: number;
}

export interface BayesParameterRecovery {
  generating: LsModelName;
  model: BayesKitModelName;
  parameter: "alpha_good" | "alpha_bad" | "asymmetry";
  n: number;
  r: number | null;
  bias: number | null;
}

export interface BayesRecovery {
  prior: string;
  confusion: BayesConfusionRow[];
  parameters: BayesParameterRecovery[];
}


/** The Bayesian part of a generating model's recovery, from its simulated trials and true rates. */
export function bayesRecoveryOf(
  generating: LsModelName,
  trials: readonly ScoredTrial[],
  truth: ReadonlyMap<string, { alpha_good: number; alpha_bad: number }>,
  prior: PriorChoice = "kit",
): { confusion: BayesConfusionRow; parameters: BayesParameterRecovery[] } {
  const sessions = bayesSessions(trials);
  const fits: Partial<Record<BayesKitModelName, ModelFit[]>> = {};
  for (const m of BAYES_KIT_MODELS) fits[m] = fitBayesModel(sessions, m, prior);
  const sel = bayesModelSelection(fits, () => "all", { samples: 2e4 });
  const pxp = sel.overall.protected_exceedance;
  const score = pxp ?? sel.overall.frequency;
  const best = BAYES_KIT_MODELS.reduce((b, m) => (score[m] > score[b] ? m : b), BAYES_KIT_MODELS[0]);
  const parameters: BayesParameterRecovery[] = [];
  for (const model of BAYES_KIT_MODELS)
    for (const parameter of ["alpha_good", "alpha_bad", "asymmetry"] as const) {
      const t: number[] = [];
      const e: number[] = [];
      for (const f of fits[model]!) {
        const tr = truth.get(f.participant_id);
        const v = f[parameter];
        if (!tr || v === null) continue;
        t.push(parameter === "asymmetry" ? tr.alpha_good - tr.alpha_bad : tr[parameter]);
        e.push(v);
      }
      parameters.push({ generating, model, parameter, n: t.length, r: pearson(t, e), bias: t.length ? e.reduce((s, v, i) => s + v - t[i], 0) / t.length : null });
    }
  return {
    confusion: { generating, n: sessions.length, frequency: sel.overall.frequency, protected_exceedance: pxp, best, bor: sel.overall.bor },
    parameters,
  };
}
