/** Messages between the dashboard and its analysis Web Worker (src/workers/analysis-worker.ts). */
import type { AnalysisParams } from "./params.js";
import type { FitPhase, MediationPhase } from "./pipeline.js";
import type { StudyDocument } from "./study-json.js";

export type ToWorker = { type: "init"; study: StudyDocument } | { type: "run"; id: number; params: AnalysisParams; compare: boolean };

export interface HeavyResult {
  fit: FitPhase;
  mediation: MediationPhase;
}

export type FromWorker =
  | { type: "progress"; id: number; phase: "hierarchical fits" | "bootstrap"; done: number; total: number }
  | { type: "result"; id: number; result: HeavyResult; ms: number }
  | { type: "error"; id: number; message: string };
