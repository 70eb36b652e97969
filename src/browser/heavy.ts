/** The heavy phases as an async generator of states, for a Framework cell that shows progress. */
import type { AnalysisParams } from "../lib/params.js";
import type { HeavyResult } from "../lib/worker-protocol.js";
import type { AnalysisClient, Progress } from "./analysis-client.js";

export type HeavyState =
  | { status: "running"; progress: Progress | null }
  | { status: "done"; result: HeavyResult; ms: number }
  | { status: "error"; message: string };

export async function* heavyAnalysis(client: AnalysisClient, params: AnalysisParams, options: { compare?: boolean } = {}): AsyncGenerator<HeavyState> {
  let wake: (() => void) | null = null;
  let dirty = false;
  let latest: Progress | null = null;
  let final: HeavyState | null = null;
  const notify = () => {
    dirty = true;
    const w = wake;
    wake = null;
    w?.();
  };
  client
    .run(
      params,
      (p) => {
        latest = p;
        notify();
      },
      options,
    )
    .then(
      (r) => {
        final = { status: "done", result: { fit: r.fit, mediation: r.mediation }, ms: r.ms };
        notify();
      },
      (e: Error) => {
        final = e.message === "superseded" ? null : { status: "error", message: e.message };
        if (!final) final = { status: "running", progress: null };
        notify();
      },
    );
  yield { status: "running", progress: null };
  for (;;) {
    if (!dirty)
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    dirty = false;
    if (final) {
      yield final;
      return;
    }
    yield { status: "running", progress: latest };
  }
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
