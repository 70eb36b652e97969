/**
 * The views of the page "Plan a study" built from a power result: the status line (progress, stop),
 * the data of the curves, the table of N needed for 80 % and 90 % power, and the table of power and
 * precision at the plan's own design. Every power figure is shown with its Monte Carlo error.
 */
import { html } from "htl";
import type { PowerResult } from "../lib/power/engine.js";
import type { PowerCurveDatum } from "../components/power-curve.js";
import type { PowerJobState } from "./plan-client.js";

const pct = (p: number) => `${(100 * p).toFixed(1)} %`;
const num = (x: number | null, d = 3) => (x === null || !Number.isFinite(x) ? "–" : x.toFixed(d).replace(/^-/, "\u2212"));

/** Progress of the run, with a Stop button while it runs. */
export function powerStatus(state: PowerJobState, stop: () => void): HTMLElement {
  const r = state.result;
  const done = r ? r.studies_done : 0;
  const total = r ? r.studies_total : 0;
  const box = html`<div class="heavy-status power-status" role="status" data-status=${state.status}></div>` as HTMLElement;
  if (state.status === "running") {
    const bar = html`<progress max=${total || 1} value=${done}></progress>`;
    const button = html`<button type="button" data-stop="power">Stop</button>` as HTMLButtonElement;
    button.onclick = () => {
      button.disabled = true;
      stop();
    };
    box.append(bar, ` Simulating: ${done.toLocaleString("en-US")} / ${total ? total.toLocaleString("en-US") : "…"} studies${r ? ` (${(state.ms / 1000).toFixed(1)} s)` : ""} `, button);
  } else if (state.status === "error") box.textContent = `Power simulation failed: ${state.message}`;
  else box.textContent = `${state.status === "stopped" ? "Stopped" : "Done"}: ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} simulated studies in ${(state.ms / 1000).toFixed(1)} s${state.status === "stopped" ? " (the figures are those of the studies done)" : ""}.`;
  return box;
}

/** Points of one curve for powerCurve (only points with studies done). */
export function curveData(r: PowerResult, curve: "n" | "events"): PowerCurveDatum[] {
  const labels = new Map(r.metrics.map((m) => [m.id, m.label]));
  const out: PowerCurveDatum[] = [];
  for (const id of r.curves[curve]) {
    const p = r.points.find((x) => x.id === id)!;
    if (p.replicates_done === 0) continue;
    for (const m of p.metrics) out.push({ metric: m.metric, label: labels.get(m.metric) ?? m.metric, x: curve === "n" ? p.n[0] : p.events, power: m.power, lo: m.ci[0], hi: m.ci[1], replicates: m.replicates });
  }
  return out;
}

/** The design's value on a curve's axis (null when its groups differ in size). */
export function designOnAxis(r: PowerResult, curve: "n" | "events"): number | null {
  const d = r.plan.design;
  if (curve === "events") return d.events_per_session;
  return d.groups.every((g) => g.n === d.groups[0].n) ? d.groups[0].n : null;
}

/** Participants per group needed for 80 % and 90 % power, with the range from the Monte Carlo interval. */
export function neededTable(r: PowerResult): HTMLElement {
  const n = r.plan.curves.n;
  const cell = (metric: string, target: number) => {
    const x = r.needed.find((k) => k.metric === metric && k.target === target);
    if (!x) return "–";
    if (x.status === "above-curve") return `≤ ${n[0]}`;
    if (x.status === "below-curve") return `> ${n[n.length - 1]}`;
    const hi = x.range[1] === null ? `over ${n[n.length - 1]}` : String(x.range[1]);
    return html`<strong>${x.n}</strong> <span class="mc-range">(${x.range[0] ?? "–"} to ${hi})</span>`;
  };
  const metrics = r.metrics.filter((m) => !m.not_applicable);
  return html`<table class="power-needed" data-table="needed">
    <thead><tr><th>Analysis</th><th>N per group for 80 %</th><th>for 90 %</th></tr></thead>
    <tbody>${metrics.map((m) => html`<tr data-metric=${m.id}><td>${m.label}</td><td>${cell(m.id, 0.8)}</td><td>${cell(m.id, 0.9)}</td></tr>`)}</tbody>
  </table>` as HTMLElement;
}

/** Power and precision of every analysis at the plan's own design. */
export function designTable(r: PowerResult): HTMLElement {
  const p = r.points.find((x) => x.kinds.includes("design"))!;
  const labels = new Map(r.metrics.map((m) => [m.id, m]));
  return html`<table class="power-design" data-table="design">
    <thead><tr><th>Analysis</th><th>Power ± MC SE</th><th>95 % interval</th><th>Mean estimate (SD)</th><th>Mean CI width</th><th>Studies</th></tr></thead>
    <tbody>${p.metrics.map(
      (m) => html`<tr data-metric=${m.metric}><td>${labels.get(m.metric)!.label}</td><td class="nowrap"><strong>${pct(m.power)}</strong> ± ${pct(m.mc_se)}</td><td>${pct(m.ci[0])}–${pct(m.ci[1])}</td><td>${num(m.estimate_mean)} (${num(m.estimate_sd)})${m.truth !== null ? html` <span class="note-small">true ${num(m.truth)}</span>` : ""}</td><td>${num(m.ci_width_mean)}</td><td>${m.replicates.toLocaleString("en-US")}${m.failed ? ` (${m.failed} failed)` : ""}</td></tr>`,
    )}</tbody>
  </table>` as HTMLElement;
}
