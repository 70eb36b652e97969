/**
 * Browser glue of the page "Plan a study": runs a power plan in the power Web Worker and hands its
 * progressive results to the page as cell values. A new run, or stop(), terminates the running worker
 * (a fresh one starts the next run): the page keeps the last result it received.
 */
import type { PowerPlan } from "../lib/power/plan.js";
import type { PowerResult } from "../lib/power/engine.js";
import type { FromPowerWorker } from "../workers/power-protocol.js";

export type PowerJobState =
  | { status: "running"; result: PowerResult | null; ms: number }
  | { status: "done" | "stopped"; result: PowerResult; ms: number }
  | { status: "error"; result: PowerResult | null; message: string; ms: number };

export class PowerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private finish: (() => void) | null = null;

  constructor(private readonly code: string) {}

  private start(): Worker {
    const url = URL.createObjectURL(new Blob([this.code], { type: "text/javascript" }));
    const w = new Worker(url, { type: "module" });
    URL.revokeObjectURL(url);
    return w;
  }

  /**
   * Run a plan. `onState` receives the state after every batch (the result so far) and a final state.
   * The promise resolves with the final state (stopped, superseded or done).
   */
  run(plan: PowerPlan, onState: (s: PowerJobState) => void, options: { batch?: number; firstBatch?: number } = {}): Promise<PowerJobState> {
    this.stop();
    const worker = (this.worker = this.start());
    const id = this.nextId++;
    const t0 = performance.now();
    let last: PowerResult | null = null;
    return new Promise((resolve) => {
      const end = (s: PowerJobState) => {
        this.finish = null;
        onState(s);
        resolve(s);
      };
      this.finish = () => end(last ? { status: "stopped", result: last, ms: performance.now() - t0 } : { status: "error", result: null, message: "stopped before a first estimate", ms: performance.now() - t0 });
      worker.onmessage = (event: MessageEvent<FromPowerWorker>) => {
        const m = event.data;
        if (m.id !== id) return;
        if (m.type === "update") {
          last = m.result;
          onState({ status: "running", result: last, ms: performance.now() - t0 });
        } else if (m.type === "done") {
          last = m.result;
          this.worker?.terminate();
          this.worker = null;
          end({ status: "done", result: m.result, ms: performance.now() - t0 });
        } else end({ status: "error", result: last, message: m.message, ms: performance.now() - t0 });
      };
      worker.onerror = (e) => end({ status: "error", result: last, message: e.message, ms: performance.now() - t0 });
      worker.postMessage({ type: "run", id, plan, batch: options.batch ?? 50, firstBatch: options.firstBatch ?? 25 });
    });
  }

  /** Stop the running plan (its last result stays); nothing when none runs. */
  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.finish?.();
  }

  terminate(): void {
    this.stop();
  }
}

/**
 * A run as a cell value: yields the state at once and then at most every `throttle` ms while the run
 * fills in (each yield redraws the curves), and the final state.
 */
export async function* powerStates(client: PowerClient, plan: PowerPlan, throttle = 150): AsyncGenerator<PowerJobState> {
  let latest: PowerJobState = { status: "running", result: null, ms: 0 };
  let dirty = false;
  let final = false;
  let wake: (() => void) | null = null;
  const done = client.run(plan, (s) => {
    latest = s;
    dirty = true;
    if (s.status !== "running") final = true;
    const w = wake;
    wake = null;
    w?.();
  });
  yield latest;
  let lastYield = performance.now();
  let shown = false;
  while (!final) {
    if (!dirty) await new Promise<void>((r) => (wake = r));
    // The first estimate at once; later ones at most every `throttle` ms.
    const wait = throttle - (performance.now() - lastYield);
    if (!final && shown && wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (latest.result) shown = true;
    dirty = false;
    lastYield = performance.now();
    yield latest;
  }
  await done;
  if (dirty) yield latest;
}
