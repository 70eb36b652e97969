/**
 * The analysis parameters that the dashboard's controls set, the figure exporter takes
 * (--params) and the URL query stores. Each control's `name` is its query key, so a link
 * reproduces exactly what one sees. Pure: no DOM.
 */
import type { StudyMeta } from "../study/types.js";
import { DEFAULT_MODEL, MODELS, isModelName, type ModelName } from "../models/names.js";

export const COVARIATES = ["age", "education"] as const;
export type Covariate = (typeof COVARIATES)[number];

export interface AnalysisParams {
  /** Learning-rate model. */
  model: ModelName;
  /** Hierarchical (empirical-Bayes) fitting. */
  hier: boolean;
  /** Mediator sessions (earlier, later). */
  med: [string, string];
  /** Outcome sessions (earlier, later). */
  out: [string, string];
  /** Valid range of estimates and base rates; trials outside are excluded. */
  range: [number, number];
  /** Participant-sessions with fewer scored trials of either valence are excluded from the model fits. */
  mintrials: number;
  /** Covariates of the mixed model. */
  cov: Covariate[];
  /** Data level of the mixed model. */
  level: "cells" | "trials";
  /** Sessions entered in the mixed model. */
  lmm: string[];
  /** Bootstrap resamples (0: no bootstrap). */
  boot: number;
  seed: number;
  /** Group shown in per-participant views ("all" or a group label). */
  group: string;
  /** Selected participants. */
  sel: string[];
}

/** Sessions that every group has trials in (the default sessions of the mixed model). */
export function sharedSessions(meta: StudyMeta, sessionsByGroup?: Record<string, string[]>): string[] {
  if (!sessionsByGroup) return meta.sessions.slice(0, 2);
  const groups = Object.values(sessionsByGroup);
  return meta.sessions.filter((s) => groups.every((g) => g.includes(s)));
}

export function defaultParams(meta: StudyMeta, sessionsByGroup?: Record<string, string[]>): AnalysisParams {
  const s = meta.sessions;
  const treatmentSessions = sessionsByGroup?.[meta.groups.treatment] ?? s;
  const last = treatmentSessions[treatmentSessions.length - 1] ?? s[s.length - 1];
  return {
    model: DEFAULT_MODEL,
    hier: false,
    med: [s[0], s[1] ?? s[0]],
    out: [s[0], last],
    range: [0, 100],
    mintrials: 1,
    cov: ["age", "education"],
    level: "cells",
    lmm: sharedSessions(meta, sessionsByGroup),
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
export function parseParams(
  input: string | URLSearchParams | Record<string, unknown>,
  meta: StudyMeta,
  sessionsByGroup?: Record<string, string[]>,
): ParsedParams {
  const d = defaultParams(meta, sessionsByGroup);
  const p: AnalysisParams = { ...d, med: [...d.med], out: [...d.out], range: [...d.range], cov: [...d.cov], lmm: [...d.lmm], sel: [] };
  const errors: string[] = [];
  const entries: [string, string][] = [];
  if (typeof input === "string" || input instanceof URLSearchParams) {
    const q = typeof input === "string" ? new URLSearchParams(input.replace(/^[^?]*\?/, "").replace(/^\?/, "")) : input;
    q.forEach((v, k) => entries.push([k, v]));
  } else {
    for (const [k, v] of Object.entries(input)) entries.push([k, Array.isArray(v) ? v.join(",") : String(v)]);
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
  for (const [key, v] of entries) {
    switch (key) {
      case "model":
        if (isModelName(v)) p.model = v;
        else errors.push(`model: expected one of ${MODELS.join(", ")}, got ${JSON.stringify(v)}`);
        break;
      case "hier":
        if (v === "1" || v === "true") p.hier = true;
        else if (v === "0" || v === "false") p.hier = false;
        else errors.push(`hier: expected 1 or 0, got ${JSON.stringify(v)}`);
        break;
      case "med":
      case "out": {
        const r = pair(key, v);
        if (r) p[key] = r;
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
      case "cov": {
        const xs = list(v);
        if (xs.every((x) => (COVARIATES as readonly string[]).includes(x))) p.cov = xs as Covariate[];
        else errors.push(`cov: expected covariates among ${COVARIATES.join(", ")}, got ${JSON.stringify(v)}`);
        break;
      }
      case "level":
        if (v === "cells" || v === "trials") p.level = v;
        else errors.push(`level: expected cells or trials, got ${JSON.stringify(v)}`);
        break;
      case "lmm": {
        const xs = list(v);
        if (xs.length >= 2 && xs.every((x) => sessions.has(x))) p.lmm = meta.sessions.filter((s) => xs.includes(s));
        else errors.push(`lmm: expected at least two sessions of ${meta.sessions.join(", ")}, got ${JSON.stringify(v)}`);
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
        if (v === "all" || v === meta.groups.reference || v === meta.groups.treatment) p.group = v;
        else errors.push(`group: expected all, ${meta.groups.reference} or ${meta.groups.treatment}, got ${JSON.stringify(v)}`);
        break;
      case "sel":
        p.sel = list(v).filter((x) => x !== "");
        break;
      case "study":
      case "theme":
        break; // read by the page, not an analysis parameter
      default:
        errors.push(`${key}: unknown parameter (known: model, hier, med, out, range, mintrials, cov, level, lmm, boot, seed, group, sel)`);
    }
  }
  return { params: p, errors };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The query string of the parameters that differ from the defaults ("" when none do). */
export function serializeParams(params: AnalysisParams, meta: StudyMeta, sessionsByGroup?: Record<string, string[]>): string {
  const d = defaultParams(meta, sessionsByGroup);
  const q = new URLSearchParams();
  const put = (k: keyof AnalysisParams, v: string) => {
    if (!same(params[k], d[k])) q.set(k, v);
  };
  put("model", params.model);
  put("hier", params.hier ? "1" : "0");
  put("med", params.med.join(","));
  put("out", params.out.join(","));
  put("range", params.range.join(","));
  put("mintrials", String(params.mintrials));
  put("cov", params.cov.join(","));
  put("level", params.level);
  put("lmm", params.lmm.join(","));
  put("boot", String(params.boot));
  put("seed", String(params.seed));
  put("group", params.group);
  put("sel", params.sel.join(","));
  return q.toString().replace(/%2C/g, ",");
}
