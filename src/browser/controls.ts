/**
 * The dashboard's parameter controls: one Inputs.form whose value is a partial AnalysisParams.
 * Every control carries `name` = its URL query key (on the control's wrapper and its first
 * form element), so a link and a test can find and set it.
 */
import * as Inputs from "@observablehq/inputs";
import type { AnalysisParams } from "../lib/analysis/params.js";
import type { StudyDesignInfo } from "../lib/analysis/design.js";
import { ALL_MODELS } from "../lib/models/names.js";

type Key = Exclude<keyof AnalysisParams, "sel">;

/** Name a control after what it sets: `name` and data-<data> (data-param here, data-plan on the Plan page). */
export function named<T extends HTMLElement>(input: T, key: string, data: "param" | "plan" = "param"): T {
  input.setAttribute("name", key);
  input.dataset[data] = key;
  const inner = input.querySelector("select, input, textarea");
  // Inputs' checkbox and radio choosers (class "…-checkbox") read their options as the form's
  // elements named "input" (a live list): renaming the first option would drop it from the value.
  if (inner && !/-checkbox\b/.test(input.className)) inner.setAttribute("name", key);
  return input;
}

function sessionPair(sessions: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < sessions.length; i++) for (let j = i + 1; j < sessions.length; j++) out.push(`${sessions[i]},${sessions[j]}`);
  return out;
}

/**
 * Build the controls for `keys`, starting from `params` (parsed from the URL). With `legend`, the
 * group of controls gets a heading (for pages that split their controls into several groups).
 */
export function parameterControls(
  design: StudyDesignInfo,
  params: AnalysisParams,
  keys: Key[],
  options: { legend?: string } = {},
): HTMLElement & { value: Partial<AnalysisParams> } {
  const meta = design.meta;
  const pairs = sessionPair(meta.sessions);
  const make: Record<Key, () => HTMLElement & { value: unknown }> = {
    model: () => Inputs.select(ALL_MODELS, { label: "Learning-rate model", value: params.model }),
    hier: () => Inputs.toggle({ label: "Hierarchical fit", value: params.hier }),
    bmc: () => Inputs.toggle({ label: "Bayesian model selection", value: params.bmc }),
    prior: () =>
      Inputs.radio(["kit", "greaves"], { label: "Prior (Bayesian models)", value: typeof params.prior === "string" ? params.prior : "kit", format: (d: string) => (d === "kit" ? "kit (weakly informative)" : "Greaves (replication)") }),
    medgroup: () => Inputs.select(design.mediation_groups, { label: "Mediation group", value: params.medgroup ?? undefined }),
    ref: () =>
      Inputs.radio(["br", "ebr"], { label: "News relative to", value: params.ref, format: (d: string) => (d === "br" ? "base rate shown" : "own estimate of it") }),
    recall: () => Inputs.range([0, 50], { label: "Max. recall error (points)", step: 1, value: params.recall ?? 50 }),
    med: () =>
      Inputs.select(pairs, { label: "Mediator sessions", value: params.med.join(","), format: (d: string) => d.replace(",", " → ") }),
    out: () =>
      Inputs.select(pairs, { label: "Outcome sessions", value: params.out.join(","), format: (d: string) => d.replace(",", " → ") }),
    range: () => Inputs.range([0, 50], { label: "Exclude estimates below (%)", step: 1, value: params.range[0] }),
    mintrials: () => Inputs.range([1, 20], { label: "Min. trials per valence", step: 1, value: params.mintrials }),
    cov: () => Inputs.checkbox(design.covariates.map((c) => c.name), { label: "LMM covariates", value: params.cov }),
    level: () => Inputs.radio(["cells", "trials"], { label: "LMM data level", value: params.level }),
    re: () =>
      Inputs.select(["int", "slope", "event", "slope-event"], {
        label: "LMM random effects",
        value: params.re,
        format: (d: string) => ({ int: "intercept per participant", slope: "+ valence slope", event: "+ event intercept (trials)", "slope-event": "+ slope and event intercept" })[d] ?? d,
      }),
    lmm: () => Inputs.checkbox(meta.sessions, { label: "LMM sessions", value: params.lmm }),
    boot: () => Inputs.select([0, 500, 1000, 2000, 5000, 10000], { label: "Bootstrap resamples", value: params.boot }),
    seed: () => Inputs.number([0, 2 ** 31 - 1], { label: "Seed", step: 1, value: params.seed }),
    group: () => Inputs.select(["all", ...design.groups], { label: "Group shown", value: params.group }),
  };
  const inputs: Record<string, HTMLElement & { value: unknown }> = {};
  for (const k of keys) inputs[k] = named(make[k](), k);
  const form = Inputs.form(inputs) as HTMLElement & { value: Record<string, unknown> };
  form.classList.add("parameter-controls");
  // Translate the raw control values into AnalysisParams fields.
  const read = (): Partial<AnalysisParams> => {
    const v = form.value;
    const out: Partial<AnalysisParams> = {};
    for (const k of keys) {
      const x = v[k];
      if (k === "med" || k === "out") out[k] = String(x).split(",") as [string, string];
      else if (k === "range") out.range = [Number(x), params.range[1]];
      else if (k === "lmm") out.lmm = meta.sessions.filter((s) => (x as string[]).includes(s));
      else if (k === "seed") out.seed = Number.isFinite(Number(x)) ? Math.max(0, Math.round(Number(x))) : params.seed;
      else if (k === "recall") out.recall = Number(x) >= 50 ? null : Number(x);
      else (out as Record<string, unknown>)[k] = x;
    }
    // A mixed model needs a session; keep the previous choice otherwise.
    if (out.lmm && out.lmm.length < 1) out.lmm = params.lmm;
    return out;
  };
  const wrapper = document.createElement("div") as unknown as HTMLElement & { value: Partial<AnalysisParams> };
  wrapper.className = "controls";
  if (options.legend) {
    const legend = document.createElement("div");
    legend.className = "controls-legend";
    legend.textContent = options.legend;
    wrapper.append(legend);
  }
  wrapper.append(form);
  Object.defineProperty(wrapper, "value", { get: read });
  form.addEventListener("input", (e) => {
    if (e.target !== wrapper) {
      e.stopPropagation();
      wrapper.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  return wrapper;
}

/**
 * What a page shows instead of its controls when there is nothing to control yet (e.g. no study
 * uploaded): an empty element whose value is {}. (A view of an element whose value is undefined
 * never yields, and would leave every cell that reads it pending.)
 */
export function noControls(): HTMLElement & { value: Partial<AnalysisParams> } {
  const span = document.createElement("span") as unknown as HTMLElement & { value: Partial<AnalysisParams> };
  span.value = {};
  return span;
}
