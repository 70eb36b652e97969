/**
 * The controls of the page "Plan a study": design, effects, analysis and curves of a power plan
 * (src/lib/power/plan.ts), started from a plan. Each group of controls is its own element whose value
 * is its part of the plan; planOf() puts the parts together and validates the whole (checkPlan). Every
 * control carries `name` = the plan path it sets (design.events_per_session, …), for links and tests.
 */
import * as Inputs from "@observablehq/inputs";
import { LIMITS, METRIC_IDS, checkPlan, groupSessions, type MetricId, type PowerPlan } from "../lib/power/plan.js";
import { METRICS } from "../lib/power/metrics.js";
import { named as namedControl } from "./controls.js";

type Part = HTMLElement & { value: Record<string, unknown> };

const named = <T extends HTMLElement>(input: T, key: string): T => namedControl(input, key, "plan");

function group(legend: string, inputs: Record<string, HTMLElement & { value: unknown }>, read: (v: Record<string, unknown>) => Record<string, unknown>): Part {
  const wrapper = document.createElement("div") as unknown as Part;
  wrapper.className = "controls";
  const title = document.createElement("div");
  title.className = "controls-legend";
  title.textContent = legend;
  const form = Inputs.form(inputs) as HTMLElement & { value: Record<string, unknown> };
  form.classList.add("parameter-controls");
  wrapper.append(title, form);
  Object.defineProperty(wrapper, "value", { get: () => read(form.value) });
  form.addEventListener("input", (e) => {
    if (e.target !== wrapper) {
      e.stopPropagation();
      wrapper.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  return wrapper;
}

/** Design: participants per group, events per session, positive events, missed responses. */
export function designControls(plan: PowerPlan): Part {
  const d = plan.design;
  const inputs: Record<string, HTMLElement & { value: unknown }> = {};
  d.groups.forEach((g, i) => (inputs[`n${i}`] = named(Inputs.range([LIMITS.n[0], Math.max(300, g.n)], { label: `N ${g.label}`, step: 1, value: g.n }), `design.groups.${i}.n`)));
  inputs.events = named(Inputs.range([LIMITS.events[0], Math.max(160, d.events_per_session)], { label: "Events per session", step: 1, value: d.events_per_session }), "design.events_per_session");
  inputs.positive = named(Inputs.range([0, Math.max(80, d.positive_events)], { label: "Positive events", step: 1, value: d.positive_events }), "design.positive_events");
  inputs.missing = named(Inputs.range([0, Math.max(0.3, d.missing_rate)], { label: "Missed responses", step: 0.005, value: d.missing_rate }), "design.missing_rate");
  return group("Design", inputs, (v) => ({
    ...d,
    groups: d.groups.map((g, i) => ({ ...g, n: Number(v[`n${i}`]) })),
    events_per_session: Number(v.events),
    positive_events: Math.min(Number(v.positive), Number(v.events)),
    missing_rate: Number(v.missing),
  }));
}

/** A grid of number inputs: the mean learning rates per group, session and valence. */
function rateTable(plan: PowerPlan): HTMLElement & { value: PowerPlan["effects"]["learning_rates"] } {
  const table = document.createElement("table") as unknown as HTMLTableElement & { value: PowerPlan["effects"]["learning_rates"] };
  table.className = "rate-table";
  const head = table.createTHead().insertRow();
  for (const h of ["Group", "Session", "α good", "α bad", "asym."]) head.append(Object.assign(document.createElement("th"), { textContent: h }));
  const body = table.createTBody();
  const cells: { g: string; s: string; good: HTMLInputElement; bad: HTMLInputElement; asym: HTMLTableCellElement }[] = [];
  const show = () => {
    for (const c of cells) c.asym.textContent = (Number(c.good.value) - Number(c.bad.value)).toFixed(2).replace("-", "\u2212");
  };
  for (const g of plan.design.groups)
    for (const s of groupSessions(plan, g.label)) {
      const r = plan.effects.learning_rates[g.label]?.[s] ?? { good: 0.45, bad: 0.35 };
      const row = body.insertRow();
      row.insertCell().textContent = g.label;
      row.insertCell().textContent = s;
      const input = (v: number, which: string) => {
        const x = document.createElement("input");
        x.type = "number";
        x.min = "0";
        x.max = "1";
        x.step = "0.01";
        x.value = String(v);
        x.name = `effects.learning_rates.${g.label}.${s}.${which}`;
        x.setAttribute("aria-label", `${g.label} ${s} α ${which}`);
        row.insertCell().append(x);
        return x;
      };
      const good = input(r.good, "good");
      const bad = input(r.bad, "bad");
      const asym = row.insertCell();
      cells.push({ g: g.label, s, good, bad, asym });
    }
  show();
  table.addEventListener("input", show);
  Object.defineProperty(table, "value", {
    get: () => {
      const out: PowerPlan["effects"]["learning_rates"] = {};
      for (const c of cells) (out[c.g] ??= {})[c.s] = { good: Number(c.good.value), bad: Number(c.bad.value) };
      return out;
    },
  });
  return table;
}

/** Effects: learning rates, their SDs, noise, and the clinical link. */
export function effectControls(plan: PowerPlan): Part {
  const e = plan.effects;
  const inputs: Record<string, HTMLElement & { value: unknown }> = {
    between: named(Inputs.range([0, Math.max(0.3, e.between_sd)], { label: "Between-participant SD", step: 0.005, value: e.between_sd }), "effects.between_sd"),
    session: named(Inputs.range([0, Math.max(0.3, e.session_sd)], { label: "Session SD", step: 0.005, value: e.session_sd }), "effects.session_sd"),
    noiseLo: named(Inputs.range([0, Math.max(20, e.noise[1])], { label: "Noise SD from", step: 0.25, value: e.noise[0] }), "effects.noise.0"),
    noiseHi: named(Inputs.range([0, Math.max(20, e.noise[1])], { label: "Noise SD to", step: 0.25, value: e.noise[1] }), "effects.noise.1"),
  };
  if (e.clinical) {
    inputs.link = named(Inputs.range([Math.min(-40, e.clinical.link), Math.max(20, e.clinical.link)], { label: `${e.clinical.name} per unit Δasymmetry`, step: 0.5, value: e.clinical.link }), "effects.clinical.link");
    inputs.changeSd = named(Inputs.range([0, Math.max(15, e.clinical.change_sd)], { label: `${e.clinical.name} change SD`, step: 0.25, value: e.clinical.change_sd }), "effects.clinical.change_sd");
  }
  const rates = rateTable(plan);
  const part = group("Effects (learning rates as the simulator draws them)", inputs, (v) => ({
    ...e,
    learning_rates: rates.value,
    between_sd: Number(v.between),
    session_sd: Number(v.session),
    noise: [Math.min(Number(v.noiseLo), Number(v.noiseHi)), Math.max(Number(v.noiseLo), Number(v.noiseHi))],
    clinical: e.clinical ? { ...e.clinical, link: Number(v.link), change_sd: Number(v.changeSd) } : null,
  }));
  part.insertBefore(rates, part.lastChild);
  rates.addEventListener("input", (ev) => {
    ev.stopPropagation();
    part.dispatchEvent(new Event("input", { bubbles: true }));
  });
  return part;
}

/** A list of choices that holds `value` too (a plan from a file or a URL may have another). */
const withValue = (list: number[], value: number): number[] => [...new Set([...list, value])].sort((a, b) => a - b);

const parseList = (s: string): number[] => s.split(/[,\s]+/).filter(Boolean).map(Number);

/** Analysis and curves: the metrics, alpha, studies per point, bootstrap resamples, seed, the grids. */
export function analysisControls(plan: PowerPlan): Part {
  const labels = new Map(METRICS.map((m) => [m.id as string, m.label]));
  const applicable = METRIC_IDS.filter((id) => METRICS.find((m) => m.id === id)!.applies(plan) === null);
  const inputs: Record<string, HTMLElement & { value: unknown }> = {
    metrics: named(Inputs.checkbox(applicable, { label: "Analyses", value: plan.analysis.metrics.filter((m) => applicable.includes(m)), format: (id: string) => labels.get(id) ?? id }), "analysis.metrics"),
    alpha: named(Inputs.select(withValue([0.001, 0.005, 0.01, 0.05], plan.alpha), { label: "α (two-sided)", value: plan.alpha }), "alpha"),
    replicates: named(Inputs.select(withValue([100, 200, 500, 1000, 2000, 5000], plan.replicates), { label: "Studies per point", value: plan.replicates }), "replicates"),
    boot: named(Inputs.select(withValue([199, 499, 999, 1999], plan.analysis.boot_resamples), { label: "Bootstrap resamples", value: plan.analysis.boot_resamples }), "analysis.boot_resamples"),
    seed: named(Inputs.number([0, LIMITS.seed[1]], { label: "Seed", step: 1, value: plan.seed }), "seed"),
    n: named(Inputs.text({ label: "N per group on the curve", value: plan.curves.n.join(", ") }), "curves.n"),
    events: named(Inputs.text({ label: "Events on the curve", value: plan.curves.events.join(", ") }), "curves.events"),
  };
  return group("Analyses and curves", inputs, (v) => ({
    alpha: Number(v.alpha),
    replicates: Number(v.replicates),
    seed: Number(v.seed),
    analysis: { ...plan.analysis, metrics: v.metrics as MetricId[], boot_resamples: Number(v.boot) },
    curves: { n: parseList(String(v.n)), events: parseList(String(v.events)) },
  }));
}

/** The plan of the three parts, validated: the plan, or the problems (the page then keeps the last valid plan). */
export function planOf(base: PowerPlan, design: Record<string, unknown>, effects: Record<string, unknown>, analysis: Record<string, unknown>): { plan: PowerPlan | null; errors: string[] } {
  const { analysis: a, ...run } = analysis;
  return checkPlan({ ...base, ...run, design, effects, analysis: a });
}
