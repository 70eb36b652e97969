/**
 * The analysis parameters that the dashboard's controls set, the figure exporter takes
 * (--params) and the URL query stores. Each control's `name` is its query key, so a link
 * reproduces exactly what one sees. Defaults and allowed values follow the study's design
 * (design.ts): its groups, sessions, covariates and optional columns. Pure: no DOM.
 */
import { ALL_MODELS, DEFAULT_MODEL, isModelName, type ModelName } from "../models/names.js";
import { defaultMediationGroup, type StudyDesignInfo } from "./design.js";
import type { PriorChoice } from "../models/bayes-fits.js";
import { RANDOM_STRUCTURES, type RandomStructure } from "./lmm-data.js";

export interface AnalysisParams {
  /** Learning-rate model. */
  model: ModelName;
  /** Hierarchical (empirical-Bayes) fitting of the least-squares models. */
  hier: boolean;
  /** Bayesian model selection over the Bayesian (vb-) models, also when a least-squares model is reported. */
  bmc: boolean;
  /** Prior of the Bayesian models: a preset ("kit", "greaves") or, from the command line's --prior FILE, a prior of the model's parameters. */
  prior: PriorChoice;
  /** Group whose change the mediation follows (null when no group has what it needs). */
  medgroup: string | null;
  /** Mediator sessions (earlier, later). */
  med: [string, string];
  /** Outcome sessions (earlier, later). */
  out: [string, string];
  /** Valid range of estimates and base rates; trials outside are excluded. */
  range: [number, number];
  /** Participant-sessions with fewer scored trials of either valence are excluded from the model fits. */
  mintrials: number;
  /** What the first estimate is compared with: the base rate shown, or the participant's own estimate of it. */
  ref: "br" | "ebr";
  /** Memory test: trials whose recalled base rate is more than this many points off are excluded (null: no such rule). */
  recall: number | null;
  /** Covariates of the mixed model (names of design.covariates). */
  cov: string[];
  /** Data level of the mixed model. */
  level: "cells" | "trials";
  /** Random effects of the mixed model: intercept per participant ("int"), plus a valence slope ("slope"), plus an intercept per event ("event", trials only), or both ("slope-event"). */
  re: RandomStructure;
  /** Sessions entered in the mixed model (one or more). */
  lmm: string[];
  /** Bootstrap resamples (0: no bootstrap). */
  boot: number;
  seed: number;
  /** Group shown in per-participant views ("all" or a group label). */
  group: string;
  /** Selected participants. */
  sel: string[];
}

/** The keys a query may hold (the dashboard's controls, in their URL order). */
export const PARAM_KEYS = ["model", "hier", "bmc", "prior", "medgroup", "med", "out", "range", "mintrials", "ref", "recall", "cov", "level", "re", "lmm", "boot", "seed", "group", "sel"] as const;

/** Sessions that every group has trials in (the default sessions of the mixed model; all sessions when none is shared). */
export function sharedSessions(d: StudyDesignInfo): string[] {
  const shared = d.sessions.filter((s) => d.groups.every((g) => d.sessions_by_group[g].includes(s)));
  return shared.length ? shared : d.sessions.slice();
}

/** Mediator and outcome sessions of a group: first and second session (mediator), first and last (outcome). */
function mediationSessions(d: StudyDesignInfo, group: string | null): { med: [string, string]; out: [string, string] } {
  const s = group ? d.sessions_by_group[group] : d.meta.sessions;
  const list = s.length ? s : d.meta.sessions;
  const first = list[0];
  return { med: [first, list[1] ?? first], out: [first, list[list.length - 1]] };
}

export function defaultParams(d: StudyDesignInfo): AnalysisParams {
  const medgroup = defaultMediationGroup(d);
  return {
    model: DEFAULT_MODEL,
    hier: false,
    bmc: false,
    prior: "kit",
    medgroup,
    ...mediationSessions(d, medgroup),
    range: [0, 100],
    mintrials: 1,
    ref: "br",
    recall: null,
    cov: d.covariates.filter((c) => c.name === "age" || c.name === "education").map((c) => c.name),
    level: "cells",
    re: "int",
    lmm: sharedSessions(d),
    boot: 5000,
    seed: 1,
    group: "all",
    sel: [],
  };
}

export interface ParsedParams {
  params: AnalysisParams;
  /** Keys that could not be read, with what was expected; their defaults are used. */
  errors: string[];
}

/**
 * Read parameters from a URL query string (`?model=single&med=pre,post1`), a URLSearchParams,
 * or a plain object (the JSON form of --params). Unknown keys are reported, invalid values fall
 * back to defaults with an error message, never throw.
 */
export function parseParams(input: string | URLSearchParams | Record<string, unknown>, d: StudyDesignInfo): ParsedParams {
  const def = defaultParams(d);
  const p: AnalysisParams = { ...def, med: [...def.med], out: [...def.out], range: [...def.range], cov: [...def.cov], lmm: [...def.lmm], sel: [] };
  const meta = d.meta;
  const errors: string[] = [];
  const entries: [string, string][] = [];
  if (typeof input === "string" || input instanceof URLSearchParams) {
    const q = typeof input === "string" ? new URLSearchParams(input.replace(/^[^?]*\?/, "").replace(/^\?/, "")) : input;
    q.forEach((v, k) => entries.push([k, v]));
  } else {
    for (const [k, v] of Object.entries(input)) entries.push([k, Array.isArray(v) ? v.join(",") : v === null ? "" : String(v)]);
  }
  const sessions = new Set(meta.sessions);
  const list = (v: string) => (v === "" ? [] : v.split(",").map((x) => x.trim()));
  const pair = (key: string, v: string): [string, string] | null => {
    const xs = list(v);
    if (xs.length !== 2 || !xs.every((x) => sessions.has(x)) || xs[0] === xs[1]) {
      errors.push(`${key}: expected two different sessions of ${meta.sessions.join(", ")} separated by a comma, got ${JSON.stringify(v)}`);
      return null;
    }
    return [xs[0], xs[1]];
  };
  const int = (key: string, v: string, lo: number, hi: number): number | null => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < lo || n > hi) {
      errors.push(`${key}: expected a whole number from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
      return null;
    }
    return n;
  };
  let medSet = false;
  let outSet = false;
  for (const [key, v] of entries) {
    switch (key) {
      case "model":
        if (isModelName(v)) p.model = v;
        else errors.push(`model: expected one of ${ALL_MODELS.join(", ")}, got ${JSON.stringify(v)}`);
        break;
      case "hier":
        if (v === "1" || v === "true") p.hier = true;
        else if (v === "0" || v === "false") p.hier = false;
        else errors.push(`hier: expected 1 or 0, got ${JSON.stringify(v)}`);
        break;
      case "bmc":
        if (v === "1" || v === "true") p.bmc = true;
        else if (v === "0" || v === "false") p.bmc = false;
        else errors.push(`bmc: expected 1 or 0, got ${JSON.stringify(v)}`);
        break;
      case "prior":
        if (v === "kit" || v === "greaves") p.prior = v;
        else errors.push(`prior: expected kit (the kit's weakly informative priors) or greaves (Greaves' upd_invert.m), got ${JSON.stringify(v)}; a prior of one's own is given with belief-kit analyze --prior FILE`);
        break;
      case "medgroup":
        if (d.mediation_groups.includes(v)) p.medgroup = v;
        else
          errors.push(
            d.mediation_groups.length
              ? `medgroup: expected one of ${d.mediation_groups.join(", ")} (the groups with trials and clinical scores in two sessions), got ${JSON.stringify(v)}`
              : `medgroup: no group of this study has trials and clinical scores in two sessions, got ${JSON.stringify(v)}`,
          );
        break;
      case "med":
      case "out": {
        const r = pair(key, v);
        if (r) {
          p[key] = r;
          if (key === "med") medSet = true;
          else outSet = true;
        }
        break;
      }
      case "range": {
        const xs = list(v).map(Number);
        if (xs.length === 2 && xs.every((x) => Number.isFinite(x) && x >= 0 && x <= 100) && xs[0] < xs[1]) p.range = [xs[0], xs[1]];
        else errors.push(`range: expected two numbers from 0 to 100 (low,high), got ${JSON.stringify(v)}`);
        break;
      }
      case "mintrials": {
        const n = int(key, v, 1, 40);
        if (n !== null) p.mintrials = n;
        break;
      }
      case "ref":
        if (v === "br") p.ref = "br";
        else if (v === "ebr" && d.has_estimated_base_rate) p.ref = "ebr";
        else if (v === "ebr") errors.push("ref: ebr needs the participants' own estimates of the base rate (trials.csv estimated_base_rate), which this study does not have");
        else errors.push(`ref: expected br (the base rate shown) or ebr (the participant's estimate of it), got ${JSON.stringify(v)}`);
        break;
      case "recall": {
        if (v === "" || v === "off") {
          p.recall = null;
          break;
        }
        const x = Number(v);
        if (!d.has_recalled_base_rate) errors.push("recall: needs a memory test of the base rates (trials.csv recalled_base_rate), which this study does not have");
        else if (Number.isFinite(x) && x >= 0 && x <= 100 && v.trim() !== "") p.recall = x;
        else errors.push(`recall: expected the largest recall error kept, in points from 0 to 100 (or off), got ${JSON.stringify(v)}`);
        break;
      }
      case "cov": {
        const xs = list(v);
        const known = d.covariates.map((c) => c.name);
        if (xs.every((x) => known.includes(x))) p.cov = known.filter((c) => xs.includes(c));
        else errors.push(known.length ? `cov: expected covariates among ${known.join(", ")}, got ${JSON.stringify(v)}` : `cov: this study's participants.csv has no numeric covariate, got ${JSON.stringify(v)}`);
        break;
      }
      case "level":
        if (v === "cells" || v === "trials") p.level = v;
        else errors.push(`level: expected cells or trials, got ${JSON.stringify(v)}`);
        break;
      case "re":
        if ((RANDOM_STRUCTURES as readonly string[]).includes(v)) p.re = v as RandomStructure;
        else errors.push(`re: expected ${RANDOM_STRUCTURES.join(", ")} (random intercept; + valence slope; + event intercept; both), got ${JSON.stringify(v)}`);
        break;
      case "lmm": {
        const xs = list(v);
        if (xs.length >= 1 && xs.every((x) => sessions.has(x))) p.lmm = meta.sessions.filter((s) => xs.includes(s));
        else errors.push(`lmm: expected one or more sessions of ${meta.sessions.join(", ")}, got ${JSON.stringify(v)}`);
        break;
      }
      case "boot": {
        const n = int(key, v, 0, 100000);
        if (n !== null) p.boot = n;
        break;
      }
      case "seed": {
        const n = int(key, v, 0, 2 ** 31 - 1);
        if (n !== null) p.seed = n;
        break;
      }
      case "group":
        if (v === "all" || d.groups.includes(v)) p.group = v;
        else errors.push(`group: expected all or one of ${d.groups.join(", ")}, got ${JSON.stringify(v)}`);
        break;
      case "sel":
        p.sel = list(v).filter((x) => x !== "");
        break;
      case "study":
      case "theme":
      case "id":
        break; // read by the page, not an analysis parameter
      default:
        errors.push(`${key}: unknown parameter (known: ${PARAM_KEYS.join(", ")})`);
    }
  }
  // A mediation group of its own brings its own default sessions, unless they were given.
  if (p.medgroup !== def.medgroup) {
    const s = mediationSessions(d, p.medgroup);
    if (!medSet) p.med = s.med;
    if (!outSet) p.out = s.out;
  }
  return { params: p, errors };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The query string of the parameters that differ from the defaults ("" when none do). */
export function serializeParams(params: AnalysisParams, d: StudyDesignInfo): string {
  const def = defaultParams(d);
  const q = new URLSearchParams();
  const put = (k: keyof AnalysisParams, v: string) => {
    if (!same(params[k], def[k])) q.set(k, v);
  };
  put("model", params.model);
  put("hier", params.hier ? "1" : "0");
  put("bmc", params.bmc ? "1" : "0");
  if (typeof params.prior === "string") put("prior", params.prior);
  put("medgroup", params.medgroup ?? "");
  put("med", params.med.join(","));
  put("out", params.out.join(","));
  put("range", params.range.join(","));
  put("mintrials", String(params.mintrials));
  put("ref", params.ref);
  put("recall", params.recall === null ? "off" : String(params.recall));
  put("cov", params.cov.join(","));
  put("level", params.level);
  put("re", params.re);
  put("lmm", params.lmm.join(","));
  put("boot", String(params.boot));
  put("seed", String(params.seed));
  put("group", params.group);
  put("sel", params.sel.join(","));
  return q.toString().replace(/%2C/g, ",");
}
