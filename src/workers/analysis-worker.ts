/**
 * The dashboard's Web Worker: the heavy phases (hierarchical fits, bootstrap, parameter recovery) and
 * the validation of uploaded files run here so the page never freezes. Bundled into one file by the
 * data loader src/data/analysis-worker.txt.ts.
 *
 * The worker keeps the scoring and the fits of its last run: a run with the same exclusions reuses
 * the scoring, and one with the same fit settings too reuses the fits, so a change of the bootstrap
 * (resamples, seed) or of the mediation's sessions only resamples.
 */
import { packTrials, packedBuffers, unpackTrials } from "../lib/study/document.js";
import { fitPhase, mediationPhase, scorePhase, type FitPhase, type Scored } from "../lib/analysis/pipeline.js";
import type { AnalysisParams } from "../lib/analysis/params.js";
import { designsFromStudy, runRecovery } from "../lib/models/recovery.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import type { Study } from "../lib/study/types.js";
import { validateStudy } from "../lib/study/validate/index.js";

let study: Study | null = null;
/** The last run's scoring and fits, with the parameters they were computed for. */
let scoring: { key: string; scored: Scored } | null = null;
let fits: { key: string; fit: FitPhase } | null = null;
const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

const scoringKey = (p: AnalysisParams) => JSON.stringify([p.range, p.mintrials, p.ref, p.recall]);
const fitKey = (p: AnalysisParams, compare: boolean) => JSON.stringify([scoringKey(p), p.model, p.hier, p.bmc, p.prior, compare]);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === "init") {
    study = { ...msg.study.study, trials: unpackTrials(msg.study.trials) };
    scoring = null;
    fits = null;
    return;
  }
  if (msg.type === "validate") {
    const { id, files } = msg;
    try {
      const result = validateStudy(files, { onProgress: (_file, done, total) => post({ type: "progress", id, phase: "validation", done, total }) });
      if (!result.study) post({ type: "validated", id, result });
      else {
        // The trials as transferred typed arrays: cloning a million objects would take seconds.
        const trials = packTrials(result.study.trials);
        const message: FromWorker = { type: "validated", id, result: { ...result, study: { ...result.study, trials: [] } }, trials };
        (self as unknown as Worker).postMessage(message, packedBuffers(trials));
      }
    } catch (e) {
      post({ type: "error", id, message: (e as Error).message });
    }
    return;
  }
  if (msg.type === "recovery") {
    const { id, n, seed } = msg;
    try {
      if (!study) throw new Error("the worker has no study yet");
      const t0 = performance.now();
      post({ type: "progress", id, phase: "recovery", done: 0, total: 1 });
      const result = runRecovery(designsFromStudy(study), { n, seed, bayes: true });
      post({ type: "recovered", id, result, ms: performance.now() - t0 });
    } catch (e) {
      post({ type: "error", id, message: (e as Error).message });
    }
    return;
  }
  const { id, params, compare } = msg;
  try {
    if (!study) throw new Error("the worker has no study yet");
    const t0 = performance.now();
    const sk = scoringKey(params);
    const reuseScoring = scoring?.key === sk;
    if (!reuseScoring) scoring = { key: sk, scored: scorePhase(study, params) };
    const fk = fitKey(params, compare);
    const reuseFits = reuseScoring && fits?.key === fk;
    if (!reuseFits) {
      if (params.hier || params.bmc || params.model.startsWith("vb-")) post({ type: "progress", id, phase: params.hier ? "hierarchical fits" : "Bayesian fits", done: 0, total: 1 });
      fits = { key: fk, fit: fitPhase(scoring!.scored, study, params, { compare }) };
    }
    const fit = fits!.fit;
    const mediation = mediationPhase(fit.fits, study, params, {
      onProgress: (done, total) => post({ type: "progress", id, phase: "bootstrap", done, total }),
    });
    // Typed arrays transfer; everything else is structured-cloned.
    post({ type: "result", id, result: { fit, mediation, reused: { scoring: reuseScoring, fits: reuseFits } }, ms: performance.now() - t0 });
  } catch (e) {
    post({ type: "error", id, message: (e as Error).message });
  }
};
