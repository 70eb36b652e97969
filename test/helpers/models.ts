/** Conveniences of the model tests over the library's fits (they call the shipped code). */
import type { ScoredTrial } from "../../src/lib/task/types.js";
import { computeStats, fitAllFromStats, fitFromStats, statsOfTrials, type FitAllOptions, type ModelFit, type LsModelName, type ModelSpec } from "../../src/lib/models/index.js";
import { fitHierarchicalFromStats, type HierarchicalOptions } from "../../src/lib/models/hierarchical/index.js";

/** fitAllFromStats on the statistics of scored trials. */
export const fitAll = (trials: readonly ScoredTrial[], options: FitAllOptions = {}) => fitAllFromStats(computeStats(trials), options);

/** The fit of the trials of ONE participant-session (`ids` names it when `trials` is empty). */
export function fitModel(trials: readonly ScoredTrial[], model: LsModelName | ModelSpec = "valence", ids?: { participant_id: string; session: string }): ModelFit {
  const first = trials[0];
  for (const t of trials)
    if (t.participant_id !== first.participant_id || t.session !== first.session)
      throw new Error(`fitModel expects the trials of one participant-session, got ${first.participant_id}/${first.session} and ${t.participant_id}/${t.session}`);
  return fitFromStats(model, statsOfTrials(trials, ids));
}

/** Flat fits of every participant-session of the trials. */
export const fitModelToAll = (trials: readonly ScoredTrial[], model: LsModelName | ModelSpec = "valence") => computeStats(trials).map((s) => fitFromStats(model, s));

/** Hierarchical fit of scored trials. */
export const fitHierarchical = (trials: readonly ScoredTrial[], model: LsModelName | ModelSpec = "valence", options: HierarchicalOptions = {}) =>
  fitHierarchicalFromStats(computeStats(trials), model, options);

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
