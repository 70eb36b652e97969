/**
 * The dashboard's Web Worker: the heavy phases (hierarchical fits, bootstrap) run here so the
 * page never freezes. Bundled into one file by the data loader src/data/analysis-worker.txt.ts.
 */
import { packTrials, packedBuffers, studyFromDocument } from "../lib/study/document.js";
import { fitPhase, mediationPhase, scorePhase } from "../lib/analysis/pipeline.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import type { Study } from "../lib/study/types.js";
import { validateStudy } from "../lib/study/validate/index.js";

let study: Study | null = null;
const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === "init") {
    study = studyFromDocument(msg.study);
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
  const { id, params, compare } = msg;
  try {
    if (!study) throw new Error("the worker has no study yet");
    const t0 = performance.now();
    if (params.hier) post({ type: "progress", id, phase: "hierarchical fits", done: 0, total: 1 });
    const scored = scorePhase(study, params);
    const fit = fitPhase(scored, study, params, { compare });
    const mediation = mediationPhase(fit.fits, study, params, {
      onProgress: (done, total) => post({ type: "progress", id, phase: "bootstrap", done, total }),
    });
    // Typed arrays transfer; everything else is structured-cloned.
    post({ type: "result", id, result: { fit, mediation }, ms: performance.now() - t0 });
  } catch (e) {
    post({ type: "error", id, message: (e as Error).message });
  }
};
