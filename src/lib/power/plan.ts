/**
 * The plan of a power analysis: the design of the study to run, the effects to simulate, the analyses
 * whose power is wanted, and the curves. One JSON document (docs/power.md, "The plan"), the same for
 * `belief-kit power --json`, the page "Plan a study" (whose URL holds it) and powerFromPlan().
 *
 * `checkPlan(json)` completes a partial plan from the defaults and validates it, returning every
 * problem with its path and what was expected ("design.groups[1].n: expected a whole number from 2 to
 * 5000, got 1"). Pure: no DOM.
 */
import { LS_MODELS, type ModelName } from "../models/names.js";

/** The metrics a plan can ask for (metrics.ts defines them). */
export const METRIC_IDS = ["asymmetry", "change", "contrast", "lmm", "sobel", "bootstrap"] as const;
export type MetricId = (typeof METRIC_IDS)[number];

export interface PlanGroup {
  label: string;
  /** Participants in this group. */
  n: number;
  /** Sessions this group attends (default: all). */
  sessions?: string[];
}

export interface PlanClinical {
  name: string;
  min: number;
  max: number;
  baseline_mean: number;
  baseline_sd: number;
  /** Mean change from the first session, per group and later session (absent: 0). */
  drop: Record<string, Record<string, number>>;
  /** Points of clinical change per unit of change in true learning-rate asymmetry (the mediation link). */
  link: number;
  /** SD of the clinical change not explained by the asymmetry. */
  change_sd: number;
  /** Session whose asymmetry change (from the first session) drives the clinical change at every later session; null: each session's own. */
  driver: string | null;
}

export interface PowerPlan {
  version: 1;
  seed: number;
  /** Simulated studies per point of the curves. */
  replicates: number;
  /** Significance level of every test (two-sided); the confidence intervals are at 1 − alpha. */
  alpha: number;
  design: {
    groups: PlanGroup[];
    sessions: string[];
    events_per_session: number;
    positive_events: number;
    /** Share of missed second estimates. */
    missing_rate: number;
  };
  effects: {
    /** Mean learning rates per group and session. */
    learning_rates: Record<string, Record<string, { good: number; bad: number }>>;
    /** SD of a participant's stable deviation of each rate. */
    between_sd: number;
    /** SD of a participant's session-to-session deviation of each rate. */
    session_sd: number;
    /** Range of the participants' response noise SD (points). */
    noise: [number, number];
    /** SD of first estimates around the base rate (points), and of participants' bias. */
    ee_sd: number;
    bias_sd: number;
    clinical: PlanClinical | null;
  };
  analysis: {
    model: ModelName;
    metrics: MetricId[];
    /** Bootstrap resamples per simulated study (the bootstrap metric). */
    boot_resamples: number;
    /** The asymmetry tested against zero (paired t of alpha_good vs alpha_bad). */
    asymmetry: { group: string; session: string };
    /** The change in asymmetry tested against zero (one-sample t). */
    change: { group: string; from: string; to: string } | null;
    /** The change in asymmetry compared between two groups (two-sample t, pooled variance). */
    contrast: { reference: string; treatment: string; from: string; to: string } | null;
    /** Sessions of the mixed model. */
    lmm_sessions: string[];
    mediation: { group: string; mediator: [string, string]; outcome: [string, string] } | null;
  };
  curves: {
    /** Participants per group at the points of the curve over N (every group the same size). */
    n: number[];
    /** Events per session at the points of the curve over events. */
    events: number[];
  };
}

export const LIMITS = {
  n: [2, 5000],
  events: [4, 400],
  replicates: [10, 100000],
  boot: [99, 99999],
  seed: [0, 1000000],
  points: 12,
} as const;

/** The bundled study's design and generating values (task/simulate.ts, DEFAULT_CONFIG). */
export const DEFAULT_PLAN: PowerPlan = {
  version: 1,
  seed: 1,
  replicates: 500,
  alpha: 0.05,
  design: {
    groups: [
      { label: "HC", n: 30, sessions: ["pre", "post1"] },
      { label: "TRD", n: 26, sessions: ["pre", "post1", "post3"] },
    ],
    sessions: ["pre", "post1", "post3"],
    events_per_session: 40,
    positive_events: 0,
    missing_rate: 0.01,
  },
  effects: {
    learning_rates: {
      HC: { pre: { good: 0.5, bad: 0.38 }, post1: { good: 0.48, bad: 0.4 } },
      TRD: { pre: { good: 0.4, bad: 0.43 }, post1: { good: 0.52, bad: 0.36 }, post3: { good: 0.5, bad: 0.36 } },
    },
    between_sd: 0.12,
    session_sd: 0.08,
    noise: [4, 8],
    ee_sd: 16,
    bias_sd: 5,
    clinical: {
      name: "MADRS",
      min: 0,
      max: 60,
      baseline_mean: 31,
      baseline_sd: 5,
      drop: { HC: {}, TRD: { post1: -8, post3: -13 } },
      link: -14,
      change_sd: 3,
      driver: "post1",
    },
  },
  analysis: {
    model: "valence",
    metrics: [...METRIC_IDS],
    boot_resamples: 499,
    asymmetry: { group: "TRD", session: "post1" },
    change: { group: "TRD", from: "pre", to: "post1" },
    contrast: { reference: "HC", treatment: "TRD", from: "pre", to: "post1" },
    lmm_sessions: ["pre", "post1"],
    mediation: { group: "TRD", mediator: ["pre", "post1"], outcome: ["pre", "post3"] },
  },
  curves: { n: [10, 15, 20, 30, 40, 60, 80], events: [10, 20, 30, 40, 60, 80] },
};

export class PlanError extends Error {
  constructor(readonly errors: string[]) {
    super(`the power plan is not valid:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
    this.name = "PlanError";
  }
}

/** Sessions a group attends. */
export function groupSessions(plan: Pick<PowerPlan, "design">, group: string): string[] {
  const g = plan.design.groups.find((x) => x.label === group);
  return g ? (g.sessions ?? plan.design.sessions) : [];
}

/** The analyses' targets that follow from a design: the treatment (last) group, its first sessions, the shared sessions. */
export function defaultAnalysis(design: PowerPlan["design"], clinical: boolean, model: ModelName = "valence"): PowerPlan["analysis"] {
  const sessionsOf = (g: PlanGroup) => g.sessions ?? design.sessions;
  const treatment = design.groups[design.groups.length - 1];
  const reference = design.groups[0];
  const ts = sessionsOf(treatment);
  const shared = design.sessions.filter((s) => design.groups.every((g) => sessionsOf(g).includes(s)));
  const both = design.sessions.filter((s) => sessionsOf(reference).includes(s) && ts.includes(s));
  const metrics: MetricId[] = ["asymmetry"];
  if (ts.length >= 2) metrics.push("change");
  if (design.groups.length >= 2 && both.length >= 2) metrics.push("contrast");
  metrics.push("lmm");
  if (clinical && ts.length >= 2) metrics.push("sobel", "bootstrap");
  return {
    model,
    metrics,
    boot_resamples: 499,
    asymmetry: { group: treatment.label, session: ts[1] ?? ts[0] },
    change: ts.length >= 2 ? { group: treatment.label, from: ts[0], to: ts[1] } : null,
    contrast: design.groups.length >= 2 && both.length >= 2 ? { reference: reference.label, treatment: treatment.label, from: both[0], to: both[1] } : null,
    lmm_sessions: shared.length ? shared : [...design.sessions],
    mediation: clinical && ts.length >= 2 ? { group: treatment.label, mediator: [ts[0], ts[1]], outcome: [ts[0], ts[ts.length - 1]] } : null,
  };
}

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const show = (x: unknown) => (x === undefined ? "nothing" : JSON.stringify(x));

/**
 * Complete a (partial) plan from the defaults and validate it. A plan that gives its own groups or
 * sessions takes none of the default's learning rates, clinical drops or analysis targets (they name
 * the default's groups): give them, or the targets follow from the design (defaultAnalysis) and a
 * missing learning rate is an error. Unknown keys are errors (a typo would otherwise be ignored).
 */
export function checkPlan(input: unknown): { plan: PowerPlan | null; errors: string[] } {
  const errors: string[] = [];
  const err = (path: string, expected: string, got: unknown) => errors.push(`${path}: expected ${expected}, got ${show(got)}`);
  if (!isObject(input)) return { plan: null, errors: [`plan: expected a JSON object, got ${show(input)}`] };
  const known: Record<string, string[]> = {
    "": ["version", "seed", "replicates", "alpha", "design", "effects", "analysis", "curves", "$schema", "note"],
    design: ["groups", "sessions", "events_per_session", "positive_events", "missing_rate"],
    effects: ["learning_rates", "between_sd", "session_sd", "noise", "ee_sd", "bias_sd", "clinical"],
    "effects.clinical": ["name", "min", "max", "baseline_mean", "baseline_sd", "drop", "link", "change_sd", "driver"],
    analysis: ["model", "metrics", "boot_resamples", "asymmetry", "change", "contrast", "lmm_sessions", "mediation"],
    curves: ["n", "events"],
  };
  const unknownKeys = (obj: Record<string, unknown>, path: string) => {
    for (const k of Object.keys(obj)) if (!known[path].includes(k)) errors.push(`${path ? `${path}.` : ""}${k}: unknown key (known: ${known[path].filter((x) => !x.startsWith("$") && x !== "note").join(", ")})`);
  };
  unknownKeys(input, "");
  const section = (key: "design" | "effects" | "analysis" | "curves"): Record<string, unknown> => {
    const v = input[key];
    if (v === undefined) return {};
    if (!isObject(v)) {
      err(key, "an object", v);
      return {};
    }
    unknownKeys(v, key);
    return v;
  };
  const D = DEFAULT_PLAN;
  const num = (path: string, v: unknown, fallback: number, lo: number, hi: number, opts: { int?: boolean; openLo?: boolean } = {}): number => {
    if (v === undefined) return fallback;
    const ok = typeof v === "number" && Number.isFinite(v) && (opts.openLo ? v > lo : v >= lo) && v <= hi && (!opts.int || Number.isInteger(v));
    if (!ok) {
      err(path, `${opts.int ? "a whole number" : "a number"} ${opts.openLo ? "above" : "from"} ${lo} ${opts.openLo ? "and up to" : "to"} ${hi}`, v);
      return fallback;
    }
    return v as number;
  };
  const str = (path: string, v: unknown, fallback: string, allowed?: readonly string[]): string => {
    if (v === undefined) return fallback;
    if (typeof v !== "string" || (allowed && !allowed.includes(v)) || (!allowed && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v))) {
      err(path, allowed ? `one of ${allowed.join(", ")}` : "a name of letters, digits, '.', '_' or '-'", v);
      return fallback;
    }
    return v;
  };
  const strList = (path: string, v: unknown, fallback: string[], allowed?: readonly string[], min = 1): string[] => {
    if (v === undefined) return fallback;
    if (!Array.isArray(v) || v.length < min || v.some((x) => typeof x !== "string" || (allowed ? !allowed.includes(x) : !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(x)))) {
      err(path, `a list of ${min > 0 ? `at least ${min} ` : ""}${allowed ? `of ${allowed.join(", ")}` : "names"}`, v);
      return fallback;
    }
    if (new Set(v).size !== v.length) {
      err(path, "no name twice", v);
      return fallback;
    }
    return v as string[];
  };

  const version = input.version === undefined ? 1 : input.version;
  if (version !== 1) err("version", "1", input.version);
  const seed = num("seed", input.seed, D.seed, LIMITS.seed[0], LIMITS.seed[1], { int: true });
  const replicates = num("replicates", input.replicates, D.replicates, LIMITS.replicates[0], LIMITS.replicates[1], { int: true });
  const alpha = num("alpha", input.alpha, D.alpha, 0, 0.5, { openLo: true });

  // Design
  const d = section("design");
  const ownStructure = d.groups !== undefined || d.sessions !== undefined;
  const sessions = strList("design.sessions", d.sessions, D.design.sessions);
  let groups: PlanGroup[] = D.design.groups.map((g) => ({ ...g, sessions: g.sessions?.filter((s) => sessions.includes(s)) }));
  if (d.groups !== undefined) {
    if (!Array.isArray(d.groups) || d.groups.length === 0 || d.groups.length > 6) err("design.groups", "a list of 1 to 6 groups, each {label, n, sessions?}", d.groups);
    else {
      groups = [];
      d.groups.forEach((g: unknown, i: number) => {
        const path = `design.groups[${i}]`;
        if (!isObject(g)) return err(path, "an object {label, n, sessions?}", g);
        for (const k of Object.keys(g)) if (!["label", "n", "sessions"].includes(k)) errors.push(`${path}.${k}: unknown key (known: label, n, sessions)`);
        const label = str(`${path}.label`, g.label ?? null, `G${i + 1}`);
        const n = num(`${path}.n`, g.n ?? null, 20, LIMITS.n[0], LIMITS.n[1], { int: true });
        const gs = g.sessions === undefined ? undefined : strList(`${path}.sessions`, g.sessions, sessions, sessions);
        groups.push(gs ? { label, n, sessions: sessions.filter((s) => gs.includes(s)) } : { label, n });
      });
      if (new Set(groups.map((g) => g.label)).size !== groups.length) err("design.groups", "groups with different labels", groups.map((g) => g.label));
    }
  } else if (d.sessions !== undefined) groups = D.design.groups.map((g) => ({ label: g.label, n: g.n }));
  for (const g of groups) if ((g.sessions ?? sessions).length === 0) errors.push(`design.groups (${g.label}): the group attends none of design.sessions`);
  const events = num("design.events_per_session", d.events_per_session, D.design.events_per_session, LIMITS.events[0], LIMITS.events[1], { int: true });
  const positive = num("design.positive_events", d.positive_events, D.design.positive_events, 0, events, { int: true });
  const missing = num("design.missing_rate", d.missing_rate, D.design.missing_rate, 0, 0.9);
  const design: PowerPlan["design"] = { groups, sessions, events_per_session: events, positive_events: positive, missing_rate: missing };
  const sessionsOf = (label: string) => groupSessions({ design }, label);
  const labels = groups.map((g) => g.label);

  // Effects
  const e = section("effects");
  const rate = (path: string, v: unknown): number | null => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) {
      err(path, "a learning rate from 0 to 1", v);
      return null;
    }
    return v;
  };
  const learning_rates: PowerPlan["effects"]["learning_rates"] = {};
  const lrIn = e.learning_rates === undefined ? (ownStructure ? {} : D.effects.learning_rates) : e.learning_rates;
  if (!isObject(lrIn)) err("effects.learning_rates", "an object {group: {session: {good, bad}}}", lrIn);
  else {
    for (const k of Object.keys(lrIn)) if (!labels.includes(k)) errors.push(`effects.learning_rates.${k}: not a group of design.groups (${labels.join(", ")})`);
    for (const g of groups) {
      learning_rates[g.label] = {};
      const byS = lrIn[g.label];
      if (byS !== undefined && !isObject(byS)) {
        err(`effects.learning_rates.${g.label}`, "an object {session: {good, bad}}", byS);
        continue;
      }
      for (const s of sessionsOf(g.label)) {
        const path = `effects.learning_rates.${g.label}.${s}`;
        const v = isObject(byS) ? byS[s] : undefined;
        if (v === undefined) {
          errors.push(`${path}: missing; give the mean learning rates {"good": …, "bad": …} of ${g.label} at ${s}`);
          continue;
        }
        if (!isObject(v)) {
          err(path, "an object {good, bad}", v);
          continue;
        }
        const good = rate(`${path}.good`, v.good);
        const bad = rate(`${path}.bad`, v.bad);
        if (good !== null && bad !== null) learning_rates[g.label][s] = { good, bad };
      }
      if (isObject(byS)) for (const s of Object.keys(byS)) if (!sessionsOf(g.label).includes(s)) errors.push(`effects.learning_rates.${g.label}.${s}: ${g.label} does not attend ${s} (its sessions: ${sessionsOf(g.label).join(", ")})`);
    }
  }
  let noise = D.effects.noise;
  if (e.noise !== undefined) {
    const v = e.noise;
    if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== "number" || !Number.isFinite(x) || x < 0 || x > 50) || v[0] > v[1]) err("effects.noise", "[lowest, highest] response-noise SD in points, 0 to 50", v);
    else noise = [v[0], v[1]];
  }
  let clinical: PlanClinical | null = ownStructure ? null : D.effects.clinical;
  if (e.clinical === null) clinical = null;
  else if (e.clinical !== undefined) {
    const c = e.clinical;
    if (!isObject(c)) err("effects.clinical", "an object or null", c);
    else {
      unknownKeys(c, "effects.clinical");
      const base = D.effects.clinical!;
      const min = num("effects.clinical.min", c.min, base.min, -1000, 1000);
      const max = num("effects.clinical.max", c.max, base.max, -1000, 1000);
      if (min >= max) errors.push(`effects.clinical: min (${min}) must be below max (${max})`);
      const drop: PlanClinical["drop"] = {};
      const dropIn = c.drop === undefined ? (ownStructure ? {} : base.drop) : c.drop;
      if (!isObject(dropIn)) err("effects.clinical.drop", "an object {group: {session: change}}", dropIn);
      else
        for (const [g, byS] of Object.entries(dropIn)) {
          if (!labels.includes(g)) {
            errors.push(`effects.clinical.drop.${g}: not a group of design.groups (${labels.join(", ")})`);
            continue;
          }
          if (!isObject(byS)) {
            err(`effects.clinical.drop.${g}`, "an object {session: change}", byS);
            continue;
          }
          drop[g] = {};
          for (const [s, v] of Object.entries(byS)) {
            if (!sessionsOf(g).includes(s) || s === sessionsOf(g)[0]) errors.push(`effects.clinical.drop.${g}.${s}: expected a later session of ${g} (${sessionsOf(g).slice(1).join(", ") || "none"})`);
            else drop[g][s] = num(`effects.clinical.drop.${g}.${s}`, v, 0, -1000, 1000);
          }
        }
      let driver: string | null = c.driver === undefined ? (ownStructure ? null : base.driver) : null;
      if (c.driver !== undefined && c.driver !== null) driver = str("effects.clinical.driver", c.driver, "", sessions);
      clinical = {
        name: typeof c.name === "string" && c.name.trim() ? c.name : base.name,
        min,
        max,
        baseline_mean: num("effects.clinical.baseline_mean", c.baseline_mean, base.baseline_mean, -1000, 1000),
        baseline_sd: num("effects.clinical.baseline_sd", c.baseline_sd, base.baseline_sd, 0, 1000),
        drop,
        link: num("effects.clinical.link", c.link, base.link, -1000, 1000),
        change_sd: num("effects.clinical.change_sd", c.change_sd, base.change_sd, 0, 1000),
        driver,
      };
    }
  }
  const effects: PowerPlan["effects"] = {
    learning_rates,
    between_sd: num("effects.between_sd", e.between_sd, D.effects.between_sd, 0, 1),
    session_sd: num("effects.session_sd", e.session_sd, D.effects.session_sd, 0, 1),
    noise,
    ee_sd: num("effects.ee_sd", e.ee_sd, D.effects.ee_sd, 0, 50),
    bias_sd: num("effects.bias_sd", e.bias_sd, D.effects.bias_sd, 0, 50),
    clinical,
  };

  // Analysis
  const a = section("analysis");
  const model = str("analysis.model", a.model, D.analysis.model, LS_MODELS.filter((m) => m !== "single")) as ModelName;
  const def = ownStructure ? defaultAnalysis(design, clinical !== null, model) : { ...D.analysis, model };
  const session = (path: string, v: unknown, group: string): string | null => {
    if (typeof v !== "string" || !sessionsOf(group).includes(v)) {
      err(path, `a session of ${group} (${sessionsOf(group).join(", ")})`, v);
      return null;
    }
    return v;
  };
  const groupName = (path: string, v: unknown): string | null => {
    if (typeof v !== "string" || !labels.includes(v)) {
      err(path, `a group of design.groups (${labels.join(", ")})`, v);
      return null;
    }
    return v;
  };
  const target = <T>(key: string, fallback: T, read: (v: Record<string, unknown>, path: string) => T): T => {
    const v = a[key];
    if (v === undefined) return fallback;
    if (v === null) return null as T;
    if (!isObject(v)) {
      err(`analysis.${key}`, "an object", v);
      return fallback;
    }
    return read(v, `analysis.${key}`);
  };
  const pair = (path: string, v: unknown, group: string): [string, string] | null => {
    if (!Array.isArray(v) || v.length !== 2 || v[0] === v[1] || v.some((s) => typeof s !== "string" || !sessionsOf(group).includes(s))) {
      err(path, `two different sessions of ${group} (${sessionsOf(group).join(", ")})`, v);
      return null;
    }
    return [v[0], v[1]];
  };
  const asymmetry = target("asymmetry", def.asymmetry, (v, p) => {
    const g = groupName(`${p}.group`, v.group) ?? def.asymmetry.group;
    return { group: g, session: session(`${p}.session`, v.session, g) ?? def.asymmetry.session };
  });
  const change = target("change", def.change, (v, p) => {
    const g = groupName(`${p}.group`, v.group);
    if (!g) return def.change;
    const from = session(`${p}.from`, v.from, g);
    const to = session(`${p}.to`, v.to, g);
    if (from && to && from === to) errors.push(`${p}: from and to must be different sessions`);
    return from && to ? { group: g, from, to } : def.change;
  });
  const contrast = target("contrast", def.contrast, (v, p) => {
    const r = groupName(`${p}.reference`, v.reference);
    const t = groupName(`${p}.treatment`, v.treatment);
    if (!r || !t) return def.contrast;
    if (r === t) errors.push(`${p}: reference and treatment must be different groups`);
    const from = session(`${p}.from`, v.from, r) && session(`${p}.from`, v.from, t);
    const to = session(`${p}.to`, v.to, r) && session(`${p}.to`, v.to, t);
    if (from && to && from === to) errors.push(`${p}: from and to must be different sessions`);
    return from && to ? { reference: r, treatment: t, from, to } : def.contrast;
  });
  const mediation = target("mediation", def.mediation, (v, p) => {
    const g = groupName(`${p}.group`, v.group);
    if (!g) return def.mediation;
    const mediator = pair(`${p}.mediator`, v.mediator, g);
    const outcome = pair(`${p}.outcome`, v.outcome, g);
    return mediator && outcome ? { group: g, mediator, outcome } : def.mediation;
  });
  const lmm_sessions = strList("analysis.lmm_sessions", a.lmm_sessions, def.lmm_sessions, sessions);
  const metrics = strList("analysis.metrics", a.metrics, def.metrics, METRIC_IDS) as MetricId[];
  const analysis: PowerPlan["analysis"] = {
    model,
    metrics: METRIC_IDS.filter((m) => metrics.includes(m)),
    boot_resamples: num("analysis.boot_resamples", a.boot_resamples, def.boot_resamples, LIMITS.boot[0], LIMITS.boot[1], { int: true }),
    asymmetry,
    change,
    contrast,
    lmm_sessions: sessions.filter((s) => lmm_sessions.includes(s)),
    mediation,
  };
  if (metrics.includes("change") && !change) errors.push("analysis.metrics: change needs analysis.change (a group with two sessions)");
  if (metrics.includes("contrast") && !contrast) errors.push("analysis.metrics: contrast needs analysis.contrast (two groups with two shared sessions)");
  if ((metrics.includes("sobel") || metrics.includes("bootstrap")) && (!mediation || !clinical))
    errors.push("analysis.metrics: sobel and bootstrap need effects.clinical and analysis.mediation (a group with clinical scores in two sessions)");
  if (clinical?.driver && mediation && !sessionsOf(mediation.group).includes(clinical.driver)) errors.push(`effects.clinical.driver: ${mediation.group} does not attend ${clinical.driver}`);

  // Curves
  const cv = section("curves");
  const grid = (path: string, v: unknown, fallback: number[], lo: number, hi: number): number[] => {
    if (v === undefined) return fallback;
    if (!Array.isArray(v) || v.length > LIMITS.points || v.some((x) => typeof x !== "number" || !Number.isInteger(x) || x < lo || x > hi)) {
      err(path, `a list of at most ${LIMITS.points} whole numbers from ${lo} to ${hi}`, v);
      return fallback;
    }
    return [...new Set(v as number[])].sort((x, y) => x - y);
  };
  const curves = {
    n: grid("curves.n", cv.n, D.curves.n, LIMITS.n[0], LIMITS.n[1]),
    events: grid("curves.events", cv.events, D.curves.events, Math.max(LIMITS.events[0], positive), LIMITS.events[1]),
  };
  if (errors.length) return { plan: null, errors };
  return { plan: { version: 1, seed, replicates, alpha, design, effects, analysis, curves }, errors };
}

/** The plan, or a PlanError listing every problem. */
export function parsePlan(input: unknown): PowerPlan {
  const { plan, errors } = checkPlan(typeof input === "string" ? readPlanText(input) : input);
  if (!plan) throw new PlanError(errors);
  return plan;
}

/** JSON text of a plan, parsed (a PlanError when it is not JSON). */
export function readPlanText(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new PlanError([`plan: not valid JSON (${(e as Error).message})`]);
  }
}

/** The plan with `n` participants in every group and `events` events per session (a point of a curve). */
export function atPoint(plan: PowerPlan, point: { n?: number | null; events?: number | null }): PowerPlan {
  const groups = point.n == null ? plan.design.groups : plan.design.groups.map((g) => ({ ...g, n: point.n! }));
  const events = point.events ?? plan.design.events_per_session;
  return { ...plan, design: { ...plan.design, groups, events_per_session: events, positive_events: Math.min(plan.design.positive_events, events) } };
}
