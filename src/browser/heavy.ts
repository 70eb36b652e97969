/** Work in the worker as cell values: a progress generator and a result generator (startJob, startHeavy). */
import type { AnalysisParams } from "../lib/analysis/params.js";
import type { HeavyResult } from "../workers/protocol.js";
import type { AnalysisClient, Progress } from "./analysis-client.js";

type Runner = Pick<AnalysisClient, "run">;

export type JobState<T> =
  | { status: "running"; progress: Progress | null }
  | { status: "done"; result: T; ms: number; detail?: string }
  | { status: "error"; message: string };

export type HeavyState = JobState<HeavyResult>;

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
export interface Job<T> {
  /** Running states with progress, then the final state (for a progress view). */
  states(): AsyncGenerator<JobState<T>>;
  /** Yields null at once, then the result once, when the run is done (nothing more on failure). */
  result(): AsyncGenerator<(T & { ms: number }) | null>;
}

export type HeavyJob = Job<HeavyResult>;

/** The heavy phases of a page (fits, mediation with its bootstrap) in the worker. */
export function startHeavy(client: Runner, params: AnalysisParams, options: { compare?: boolean } = {}): HeavyJob {
  return startJob((onProgress) => client.run(params, onProgress, options));
}

/** Any work in the worker that reports progress and resolves with a result, as two cell values. */
export function startJob<T extends object>(start: (onProgress: (p: Progress) => void) => Promise<T & { ms: number }>, detailOf?: (result: T) => string | undefined): Job<T> {
  let latest: Progress | null = null;
  let final: JobState<T> | null = null;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  const run = start((p) => {
    latest = p;
    notify();
  });
  const settled = run.then(
    (r) => {
      final = { status: "done", result: r, ms: r.ms, detail: detailOf?.(r) };
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
    async *states(): AsyncGenerator<JobState<T>> {
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
    async *result(): AsyncGenerator<(T & { ms: number }) | null> {
      yield null;
      const r = await settled;
      if (r) yield r;
    },
  };
}

/**
 * The status line of a job, or what stands in its place when there is none (a cell that displays
 * nothing would keep showing the previous job's "done").
 */
export function statusLine<T>(state: JobState<T> | null, label: string, idle: string): HTMLElement {
  if (state) return progressView(state, label);
  const div = document.createElement("div");
  div.className = "heavy-status idle";
  div.textContent = `${label}: ${idle}`;
  return div;
}

/** A small progress element for a running state. */
export function progressView<T>(state: JobState<T>, label: string): HTMLElement {
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
  else div.textContent = state.detail ? `${label}: ${state.detail}` : `${label}: done in ${Math.round(state.ms)} ms`;
  return div;
}
