/**
 * The whole analysis of a belief-updating study for one set of parameters, as phases that
 * the command line, the dashboard (main thread and Web Worker), the figure exporter and the
 * benchmarks share:
 *
 *   score -> fit learning-rate models -> describe -> mixed model -> mediation
 *
 * Pure: no DOM, no file system. Every number is JSON-serialisable.
 */
import { scoreTrials, type ScoringCounts } from "./scoring.js";
import { updateCells, summariseUpdates, type UpdateCell, type UpdateSummary } from "./summary.js";
import { fitAll, type ModelFit } from "./models/index.js";
import type { ModelComparison } from "./comparison.js";
import type { HierarchicalResult } from "./hierarchical.js";
import { fitLmm, type LmmResult } from "./lmm.js";
import { withinSubjectMediation, mediationPointEstimate, type MediationRow, type MediationResult, type MediationPoint } from "./mediation.js";
import type { AnalysisParams } from "./params.js";
import type { ScoredTrial, Study } from "./types.js";

export interface Scored {
  trials: ScoredTrial[];
  counts: ScoringCounts;
  /** Participant-sessions left out of the model fits by the minimum-trials rule. */
  excluded: { participant_id: string; session: string; reason: string }[];
}

/** Score trials with the valid range, then drop participant-sessions with too few trials of a valence. */
export function scorePhase(study: Study, params: Pick<AnalysisParams, "range" | "mintrials">): Scored {
  const { trials, counts } = scoreTrials(study.trials, { validRange: params.range });
  const n = new Map<string, { good: number; bad: number }>();
  for (const t of trials) {
    const key = `${t.participant_id}\u0000${t.session}`;
    let c = n.get(key);
    if (!c) n.set(key, (c = { good: 0, bad: 0 }));
    c[t.valence]++;
  }
  const excluded: Scored["excluded"] = [];
  const drop = new Set<string>();
  for (const [key, c] of n) {
    if (c.good < params.mintrials || c.bad < params.mintrials) {
      const [participant_id, session] = key.split("\u0000");
      drop.add(key);
      excluded.push({ participant_id, session, reason: `${c.good} good-news and ${c.bad} bad-news trials (minimum ${params.mintrials} of each)` });
    }
  }
  return { trials: drop.size ? trials.filter((t) => !drop.has(`${t.participant_id}\u0000${t.session}`)) : trials, counts, excluded };
}

export interface LearningRateSummary {
  group: string;
  session: string;
  valence: "good" | "bad";
  mean: number;
  sem: number | null;
  n: number;
}

export interface FitPhase {
  model: AnalysisParams["model"];
  hierarchical: boolean;
  fits: ModelFit[];
  comparison: ModelComparison | null;
  priors: HierarchicalResult["priors"] | null;
  summary: LearningRateSummary[];
  warnings: string[];
}

function groupMap(study: Study): Map<string, string> {
  return new Map(study.participants.map((p) => [p.participant_id, p.group]));
}

function meanSem(xs: number[]): { mean: number; sem: number | null } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  if (xs.length < 2) return { mean, sem: null };
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sem: sd / Math.sqrt(xs.length) };
}

/** Learning-rate group means with SEM, per group, session and valence (nulls left out). */
export function summariseRates(fits: readonly ModelFit[], study: Study): LearningRateSummary[] {
  const groupOf = groupMap(study);
  const groups = [study.meta.groups.reference, study.meta.groups.treatment];
  const out: LearningRateSummary[] = [];
  for (const group of groups)
    for (const session of study.meta.sessions)
      for (const valence of ["good", "bad"] as const) {
        const xs = fits
          .filter((f) => f.session === session && groupOf.get(f.participant_id) === group)
          .map((f) => (valence === "good" ? f.alpha_good : f.alpha_bad))
          .filter((x): x is number => x !== null);
        if (xs.length) out.push({ group, session, valence, ...meanSem(xs), n: xs.length });
      }
  return out;
}

/** Fit the chosen model (flat or hierarchical) and, unless `compare` is false, compare all models. */
export function fitPhase(scored: Scored, study: Study, params: Pick<AnalysisParams, "model" | "hier">, options: { compare?: boolean } = {}): FitPhase {
  const groupOf = groupMap(study);
  const all = fitAll(scored.trials, { model: options.compare === false ? params.model : "all", hierarchical: params.hier, groupOf });
  const fits = all.byModel[params.model] ?? [];
  return {
    model: params.model,
    hierarchical: params.hier,
    fits,
    comparison: all.comparison ?? null,
    priors: all.hierarchical?.[params.model]?.priors ?? null,
    summary: summariseRates(fits, study),
    warnings: all.warnings,
  };
}

export interface DescribePhase {
  cells: UpdateCell[];
  summary: UpdateSummary[];
}

export function describePhase(scored: Scored, study: Study): DescribePhase {
  const cells = updateCells(scored.trials, study.participants);
  const groups = [study.meta.groups.reference, study.meta.groups.treatment];
  return { cells, summary: summariseUpdates(cells, groups, study.meta.sessions) };
}

export interface LmmPhase extends Partial<LmmResult> {
  formula: string;
  level: AnalysisParams["level"];
  sessions: string[];
  /** The group x time x valence term, when the design has one. */
  key_term: string | null;
  error: string | null;
}

export function lmmFormula(params: Pick<AnalysisParams, "cov">): string {
  return `update ~ group * session * valence${params.cov.map((c) => ` + ${c}`).join("")} + (1 | participant_id)`;
}

/** The group x session x valence mixed model on cell means (default) or trials. */
export function lmmPhase(
  scored: Scored,
  cells: readonly UpdateCell[],
  study: Study,
  params: Pick<AnalysisParams, "cov" | "level" | "lmm">,
  /** A formula of one's own over the columns update, group, session, valence, age, education, participant_id. */
  formulaOverride?: string,
): LmmPhase {
  const formula = formulaOverride ?? lmmFormula(params);
  const sessions = params.lmm;
  const { reference, treatment } = study.meta.groups;
  const demo = new Map(study.participants.map((p) => [p.participant_id, p]));
  const inSessions = new Set(sessions);
  const rows: Record<string, string | number>[] = [];
  const push = (participant_id: string, session: string, valence: string, update: number) => {
    const p = demo.get(participant_id);
    if (!p || !inSessions.has(session)) return;
    rows.push({ participant_id, group: p.group, session, valence, update, age: p.age, education: p.education_years });
  };
  if (params.level === "trials") for (const t of scored.trials) push(t.participant_id, t.session, t.valence, t.update);
  else for (const c of cells) push(c.participant_id, c.session, c.valence, c.update);
  const key_term = sessions.length >= 2 ? `group${treatment}:session${sessions[sessions.length - 1]}:valencegood` : null;
  try {
    const fit = fitLmm(rows, formula, { factors: { group: [reference, treatment], session: sessions, valence: ["bad", "good"] } });
    const { vcov: _v, varpar: _vp, ...rest } = fit;
    return { ...rest, formula, level: params.level, sessions, key_term, error: null };
  } catch (e) {
    return { formula, level: params.level, sessions, key_term, error: (e as Error).message };
  }
}

export interface MediationSpec {
  group: string;
  mediator: { measure: string; from: string; to: string };
  outcome: { measure: string; from: string; to: string };
}

export function mediationRows(fits: readonly ModelFit[], study: Study, params: Pick<AnalysisParams, "med" | "out">): { spec: MediationSpec; rows: MediationRow[] } {
  const group = study.meta.groups.treatment;
  const asym = new Map(fits.map((f) => [`${f.participant_id}\u0000${f.session}`, f.asymmetry]));
  const score = new Map(study.clinical.map((c) => [`${c.participant_id}\u0000${c.session}`, c.score]));
  const get = <T>(m: Map<string, T | null>, id: string, s: string) => m.get(`${id}\u0000${s}`) ?? null;
  const rows = study.participants
    .filter((p) => p.group === group)
    .map((p) => ({
      participant_id: p.participant_id,
      m_from: get(asym, p.participant_id, params.med[0]),
      m_to: get(asym, p.participant_id, params.med[1]),
      y_from: get(score, p.participant_id, params.out[0]),
      y_to: get(score, p.participant_id, params.out[1]),
    }));
  return {
    spec: {
      group,
      mediator: { measure: "learning-rate asymmetry (alpha_good - alpha_bad)", from: params.med[0], to: params.med[1] },
      outcome: { measure: study.meta.clinical_scale.name, from: params.out[0], to: params.out[1] },
    },
    rows,
  };
}

export type MediationPhase = MediationSpec & { rows: MediationRow[]; error: string | null } & (
    | ({ bootstrapped: true } & MediationResult)
    | ({ bootstrapped: false } & MediationPoint)
    | { bootstrapped: false }
  );

/** Mediation of the clinical change by the change in asymmetry; with params.boot > 0, bootstrap CIs too. */
export function mediationPhase(
  fits: readonly ModelFit[],
  study: Study,
  params: Pick<AnalysisParams, "med" | "out" | "boot" | "seed">,
  options: { bootstrap?: boolean; onProgress?: (done: number, total: number) => void } = {},
): MediationPhase {
  const { spec, rows } = mediationRows(fits, study, params);
  if (fits.length > 0 && fits.every((f) => f.model === "single"))
    return {
      ...spec,
      rows,
      bootstrapped: false,
      error: "the single model has one learning rate for good and bad news, so no asymmetry to mediate: choose the valence, scaling-asymmetry or ee-weighted model",
    };
  try {
    if (options.bootstrap !== false && params.boot > 0) {
      const r = withinSubjectMediation(rows, { resamples: params.boot, seed: params.seed, onProgress: options.onProgress });
      return { ...spec, rows, error: null, bootstrapped: true, ...r };
    }
    return { ...spec, rows, error: null, bootstrapped: false, ...mediationPointEstimate(rows) };
  } catch (e) {
    return { ...spec, rows, error: (e as Error).message, bootstrapped: false };
  }
}

export interface AnalysisResult {
  params: AnalysisParams;
  scored: Scored;
  fit: FitPhase;
  describe: DescribePhase;
  lmm: LmmPhase;
  mediation: MediationPhase;
}

/** Run every phase. */
export function analyzeStudy(
  study: Study,
  params: AnalysisParams,
  options: { bootstrap?: boolean; onProgress?: (done: number, total: number) => void; lmmFormula?: string } = {},
): AnalysisResult {
  const scored = scorePhase(study, params);
  const fit = fitPhase(scored, study, params);
  const describe = describePhase(scored, study);
  const lmm = lmmPhase(scored, describe.cells, study, params, options.lmmFormula);
  const mediation = mediationPhase(fit.fits, study, params, options);
  return { params, scored, fit, describe, lmm, mediation };
}

/** Which sessions each group has trials in (for parameter defaults). */
export function sessionsByGroup(study: Study): Record<string, string[]> {
  const groupOf = groupMap(study);
  const seen = new Map<string, Set<string>>();
  for (const t of study.trials) {
    const g = groupOf.get(t.participant_id);
    if (g === undefined) continue;
    let s = seen.get(g);
    if (!s) seen.set(g, (s = new Set()));
    s.add(t.session);
  }
  const out: Record<string, string[]> = {};
  for (const g of [study.meta.groups.reference, study.meta.groups.treatment]) out[g] = study.meta.sessions.filter((s) => seen.get(g)?.has(s));
  return out;
}
