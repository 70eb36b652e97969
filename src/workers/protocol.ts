/** Messages between the dashboard and its analysis Web Worker (src/workers/analysis-worker.ts). */
import type { AnalysisParams } from "../lib/analysis/params.js";
import type { FitPhase, MediationPhase } from "../lib/analysis/pipeline.js";
import type { PackedTrials, StudyDocument } from "../lib/study/document.js";
import type { StudyFiles, ValidationResult } from "../lib/study/validate/index.js";

export type ToWorker =
  | { type: "init"; study: StudyDocument }
  | { type: "run"; id: number; params: AnalysisParams; compare: boolean }
  | { type: "validate"; id: number; files: StudyFiles };

export interface HeavyResult {
  fit: FitPhase;
  mediation: MediationPhase;
}

export type FromWorker =
  | { type: "progress"; id: number; phase: "hierarchical fits" | "bootstrap" | "validation"; done: number; total: number }
  /** With `trials`, the study's trials come packed (typed arrays, transferred) and `result.study.trials` is empty. */
  | { type: "validated"; id: number; result: ValidationResult; trials?: PackedTrials }
  | { type: "result"; id: number; result: HeavyResult; ms: number }
  | { type: "error"; id: number; message: string };
