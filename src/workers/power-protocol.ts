/** Messages between the page "Plan a study" and its power Web Worker (src/workers/power-worker.ts). */
import type { PowerPlan } from "../lib/power/plan.js";
import type { PowerResult } from "../lib/power/engine.js";

export type ToPowerWorker = { type: "run"; id: number; plan: PowerPlan; batch: number; firstBatch: number };

export type FromPowerWorker =
  /** The result so far, after a batch of simulated studies (the last one has complete = true). */
  | { type: "update"; id: number; result: PowerResult }
  | { type: "done"; id: number; result: PowerResult }
  | { type: "error"; id: number; message: string };
