/**
 * The power Web Worker of the page "Plan a study": runs runPower (src/lib/power) on a plan and posts the
 * result after every batch of simulated studies, so that the curves fill in while it runs. Stopping is
 * terminating the worker (the page keeps the last result). Bundled by src/data/power-worker.txt.ts.
 */
import { runPower } from "../lib/power/engine.js";
import type { FromPowerWorker, ToPowerWorker } from "./power-protocol.js";

const post = (m: FromPowerWorker) => (self as unknown as Worker).postMessage(m);

self.onmessage = (event: MessageEvent<ToPowerWorker>) => {
  const { id, plan, batch, firstBatch } = event.data;
  try {
    const result = runPower(plan, { batch, firstBatch, onUpdate: (r) => post({ type: "update", id, result: r }) });
    post({ type: "done", id, result });
  } catch (e) {
    post({ type: "error", id, message: (e as Error).message });
  }
};
