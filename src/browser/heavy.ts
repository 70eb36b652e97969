/** The heavy phases in the worker as cell values: a progress generator and a result generator (startHeavy). */
import type { AnalysisParams } from "../lib/analysis/params.js";
import type { HeavyResult } from "../workers/protocol.js";
import type { AnalysisClient, Progress } from "./analysis-client.js";

type Runner = Pick<AnalysisClient, "run">;

export type HeavyState =
  | { status: "running"; progress: Progress | null }
  | { status: "done"; result: HeavyResult; ms: number }
  | { status: "error"; message: string };

/**
 * One heavy run, split into two cell values so that progress does not re-run the views that show
 * the result. (The Observable runtime re-runs every dependant of a generator cell on each yield,
 * equal value or not: a single generator of progress-and-result re-rendered every chart on every
 * progress message.)
 *
 *   const job = startHeavy(client, params);     // cell 1: starts the run in the worker
 *   const bootState = job.states();             // cell 2: progress view only
 *   const boot = job.result();                  // cell 3: null at once, the result once done
 */
export interface HeavyJob {
  /** Running states with progress, then the final state (for a progress view). */
  states(): AsyncGenerator<HeavyState>;
  /** Yields null at once, then the result once, when the run is done (nothing more on failure). */
  result(): AsyncGenerator<(HeavyResult & { ms: number }) | null>;
}

export function startHeavy(client: Runner, params: AnalysisParams, options: { compare?: boolean } = {}): HeavyJob {
  let latest: Progress | null = null;
  let final: HeavyState | null = null;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  const run = client.run(
    params,
    (p) => {
      latest = p;
      notify();
    },
    options,
  );
  const settled = run.then(
    (r) => {
      final = { status: "done", result: { fit: r.fit, mediation: r.mediation }, ms: r.ms };
      notify();
      return r;
    },
    (e: Error) => {
      // Superseded: a newer run replaced this one, and its cells are being replaced too.
      if (e.message !== "superseded") final = { status: "error", message: e.message };
      notify();
      return null;
    },
  );
  return {
    async *states() {
      let dirty = false;
      let wake: (() => void) | null = null;
      const listener = () => {
        dirty = true;
        const w = wake;
        wake = null;
        w?.();
      };
      listeners.add(listener);
      try {
        yield { status: "running", progress: null };
        for (;;) {
          if (final) {
            yield final;
            return;
          }
          if (!dirty)
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          dirty = false;
          if (!final) yield { status: "running", progress: latest };
        }
      } finally {
        listeners.delete(listener);
      }
    },
    async *result() {
      yield null;
      const r = await settled;
      if (r) yield r;
    },
  };
}

/** A small progress element for a running state. */
export function progressView(state: HeavyState, label: string): HTMLElement {
  const div = document.createElement("div");
  div.className = "heavy-status";
  div.setAttribute("role", "status");
  if (state.status === "running") {
    const p = state.progress;
    const bar = document.createElement("progress");
    if (p && p.total > 0) {
      bar.max = p.total;
      bar.value = p.done;
    }
    div.append(bar, ` ${label}${p ? `: ${p.phase} ${p.done.toLocaleString("en-US")} / ${p.total.toLocaleString("en-US")}` : "…"}`);
  } else if (state.status === "error") div.textContent = `${label} failed: ${state.message}`;
  else div.textContent = `${label}: done in ${Math.round(state.ms)} ms`;
  return div;
}
