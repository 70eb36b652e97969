/** Messages between the dashboard and its analysis Web Worker (src/workers/analysis-worker.ts). */
import type { AnalysisParams } from "../lib/analysis/params.js";
import type { FitPhase, MediationPhase } from "../lib/analysis/pipeline.js";
import type { RecoveryReport } from "../lib/models/recovery.js";
import type { PackedTrials } from "../lib/study/document.js";
import type { Study } from "../lib/study/types.js";
import type { StudyFiles, ValidationResult } from "../lib/study/validate/index.js";

/** A study as the worker takes it: everything but the trials as is, the trials packed (transferred, not cloned). */
export interface WorkerStudy {
  study: Omit<Study, "trials">;
  trials: PackedTrials;
}

export type ToWorker =
  | { type: "init"; study: WorkerStudy }
  | { type: "run"; id: number; params: AnalysisParams; compare: boolean }
  | { type: "recovery"; id: number; n: number; seed: number }
  | { type: "validate"; id: number; files: StudyFiles };

export interface HeavyResult {
  fit: FitPhase;
  mediation: MediationPhase;
  /** What the worker reused from its previous run (same exclusions: the scoring; same fit settings too: the fits). */
  reused: { scoring: boolean; fits: boolean };
}

export type FromWorker =
  | { type: "progress"; id: number; phase: "hierarchical fits" | "Bayesian fits" | "bootstrap" | "validation" | "recovery"; done: number; total: number }
  /** With `trials`, the study's trials come packed (typed arrays, transferred) and `result.study.trials` is empty. */
  | { type: "validated"; id: number; result: ValidationResult; trials?: PackedTrials }
  | { type: "result"; id: number; result: HeavyResult; ms: number }
  | { type: "recovered"; id: number; result: RecoveryReport; ms: number }
  | { type: "error"; id: number; message: string };
