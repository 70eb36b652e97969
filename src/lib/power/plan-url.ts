/**
 * The Plan page's URL: a plan's differences from the default plan, as readable keys
 * (`design.groups.0.n=40&curves.n=10,20`), and back. Pure.
 */
import { DEFAULT_PLAN, checkPlan, isObject, type PowerPlan } from "./plan.js";


type Flat = Map<string, string>;

function flatten(value: unknown, path: string, out: Flat): void {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) out.set(path, "{}");
    for (const k of keys) flatten(value[k], path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(value) && value.every((x) => typeof x === "string" || typeof x === "number")) out.set(path, value.join(","));
  else if (typeof value === "string") out.set(path, value);
  else out.set(path, JSON.stringify(value));
}

/** Keys whose value is a list (comma-separated) of names or of numbers. */
const NAME_LISTS = new Set(["design.sessions", "analysis.metrics", "analysis.lmm_sessions", "analysis.mediation.mediator", "analysis.mediation.outcome"]);
const NUMBER_LISTS = new Set(["effects.noise", "curves.n", "curves.events"]);
const NAMES = new Set(["analysis.model", "analysis.asymmetry.group", "analysis.asymmetry.session", "analysis.change.group", "analysis.change.from", "analysis.change.to", "analysis.contrast.reference", "analysis.contrast.treatment", "analysis.contrast.from", "analysis.contrast.to", "analysis.mediation.group", "effects.clinical.name", "effects.clinical.driver"]);

/** The query string of a plan: every value that differs from DEFAULT_PLAN ("" for the default plan). */
export function planToQuery(plan: PowerPlan): string {
  const a: Flat = new Map();
  const b: Flat = new Map();
  flatten(plan, "", a);
  flatten(DEFAULT_PLAN, "", b);
  const q = new URLSearchParams();
  // With groups or sessions of its own, the maps keyed by them are written whole (planFromQuery clears them).
  const own = a.get("design.groups") !== b.get("design.groups") || a.get("design.sessions") !== b.get("design.sessions");
  if (own) q.set("design.groups", a.get("design.groups")!);
  for (const [k, v] of a) {
    const whole = own && (k.startsWith("effects.learning_rates.") || k.startsWith("effects.clinical.drop") || k.startsWith("analysis."));
    if (k === "design.groups" && own) continue;
    if (whole || b.get(k) !== v) q.set(k, v);
  }
  // A section the default has and this plan has not (null) is written as null.
  for (const k of ["effects.clinical", "analysis.change", "analysis.contrast", "analysis.mediation"])
    if (a.get(k) === "null" && !q.has(k)) q.set(k, "null");
  return q.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
}

/** Read a plan from a URL query (planToQuery's); unreadable keys are reported, the rest still applies. */
export function planFromQuery(search: string | URLSearchParams): { plan: PowerPlan; errors: string[] } {
  const q = typeof search === "string" ? new URLSearchParams(search.replace(/^[^?]*\?/, "")) : search;
  const json = JSON.parse(JSON.stringify(DEFAULT_PLAN)) as Record<string, unknown>;
  const errors: string[] = [];
  const setPath = (path: string, value: unknown) => {
    const parts = path.split(".");
    let o = json as Record<string, unknown>;
    for (let i = 0; i < parts.length - 1; i++) {
      if (!isObject(o[parts[i]])) o[parts[i]] = {};
      o = o[parts[i]] as Record<string, unknown>;
    }
    o[parts[parts.length - 1]] = value;
  };
  const own = q.has("design.groups") || q.has("design.sessions");
  if (own) {
    const eff = json.effects as Record<string, unknown>;
    eff.learning_rates = {};
    if (isObject(eff.clinical)) eff.clinical.drop = {};
    json.analysis = { model: "valence" };
  }
  const entries = [...q.entries()].sort(([x], [y]) => x.split(".").length - y.split(".").length);
  for (const [k, v] of entries) {
    if (k === "src" || k === "theme") continue; // read by the page
    if (!/^[a-z_]+(\.[A-Za-z0-9_.-]+)*$/.test(k)) {
      errors.push(`${k}: not a key of the plan`);
      continue;
    }
    let value: unknown;
    if (NAME_LISTS.has(k)) value = v === "" ? [] : v.split(",");
    else if (NUMBER_LISTS.has(k)) value = v === "" ? [] : v.split(",").map(Number);
    else if (NAMES.has(k) && v !== "null") value = v;
    else if (v === "{}") value = {};
    else
      try {
        value = JSON.parse(v);
      } catch {
        value = v;
      }
    setPath(k, value);
  }
  const { plan, errors: invalid } = checkPlan(json);
  if (plan) return { plan, errors };
  return { plan: DEFAULT_PLAN, errors: [...errors, ...invalid] };
}
