/**
 * The whole analysis of a belief-updating study for one set of parameters, as phases that
 * the command line, the dashboard (main thread and Web Worker), the figure exporter and the
 * benchmarks share:
 *
 *   score -> fit learning-rate models -> describe -> mixed model -> mediation
 *
 * Pure: no DOM, no file system. Every number is JSON-serialisable.
 */
import { type ScoringCounts } from "../task/scoring.js";
import { updateOfCode } from "../task/news.js";
import { updateCells, summariseUpdates, type UpdateCell, type UpdateSummary } from "../task/summary.js";
import { computeStats, fitForReport, type ModelFit, type SufficientStats } from "../models/index.js";
import type { ModelComparison } from "../models/comparison.js";
import type { HierarchicalResult } from "../models/hierarchical/index.js";
import { fitLmm, fitLmmColumns, type LmmColumns, type LmmResult } from "../lmm/index.js";
import { withinSubjectMediation, mediationPointEstimate, type MediationRow, type MediationResult, type MediationPoint } from "../mediation/index.js";
import type { AnalysisParams } from "./params.js";
import { summariseRates, type LearningRateSummary } from "../models/summary.js";
import type { Study } from "../study/types.js";
import type { ScoredTrial } from "../task/types.js";
import { cellsOfColumns, scoreColumns, scoredTrialIndex, scoredTrialsOf, statsOfColumns, type ScoreColumns } from "../task/columnar.js";

export interface Scored {
  trials: ScoredTrial[];
  counts: ScoringCounts;
  /** Participant-sessions left out of the model fits by the minimum-trials rule. */
  excluded: { participant_id: string; session: string; reason: string }[];
}

/**
 * What scorePhase computed in its one pass over the trials (columnar.ts), for the later phases of
 * the same Scored object: the fits take the sufficient statistics and describePhase the cells from
 * it instead of re-reading the trials. Kept outside the object (a Scored stays a plain, serialisable
 * object) and dropped when its `trials` are replaced, so a Scored built or changed by hand (e.g.
 * `{...scored, trials: mine}`) is analysed from its trials as before.
 */
interface ScorePass {
  cols: ScoreColumns;
  /** Participant-sessions left out by the minimum-trials rule. */
  dropped: Uint8Array;
  /** Sufficient statistics of the participant-sessions kept (computeStats order). */
  stats: SufficientStats[];
}
const passes = new WeakMap<Scored, ScorePass>();

function passOf(scored: Scored): ScorePass | undefined {
  return passes.get(scored);
}

/**
 * Score trials with the valid range, then drop participant-sessions with too few trials of a valence.
 * One pass over the trials, no per-trial object: `trials` (the scored trials as objects) is built on
 * first access, which the analysis itself never needs.
 */
export function scorePhase(study: Study, params: Pick<AnalysisParams, "range" | "mintrials">): Scored {
  const cols = scoreColumns(study.trials, params.range ?? [0, 100]);
  const excluded: Scored["excluded"] = [];
  const dropped = new Uint8Array(cols.nPs);
  for (let ps = 0; ps < cols.nPs; ps++) {
    const good = cols.cellN[2 * ps + 1];
    const bad = cols.cellN[2 * ps];
    if (good < params.mintrials || bad < params.mintrials) {
      dropped[ps] = 1;
      excluded.push({ participant_id: cols.psParticipant[ps], session: cols.psSession[ps], reason: `${good} good-news and ${bad} bad-news trials (minimum ${params.mintrials} of each)` });
    }
  }
  const source = study.trials;
  const scored = {} as Scored;
  let trials: ScoredTrial[] | null = null;
  Object.defineProperty(scored, "trials", {
    enumerable: true,
    configurable: true,
    get: () => (trials ??= scoredTrialsOf(cols, source, dropped)),
    set: (value: ScoredTrial[]) => {
      passes.delete(scored);
      Object.defineProperty(scored, "trials", { value, writable: true, enumerable: true, configurable: true });
    },
  });
  scored.counts = cols.counts;
  scored.excluded = excluded;
  passes.set(scored, { cols, dropped, stats: statsOfColumns(cols, dropped) });
  return scored;
}

/** Sufficient statistics of the scored trials of every participant-session (first-seen order). */
function statsOf(scored: Scored): SufficientStats[] {
  const pass = passOf(scored);
  if (!pass) return computeStats(scored.trials);
  return pass.stats;
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

/** Fit the chosen model (flat or hierarchical) and, unless `compare` is false, compare all models. */
export function fitPhase(scored: Scored, study: Study, params: Pick<AnalysisParams, "model" | "hier">, options: { compare?: boolean } = {}): FitPhase {
  const groupOf = groupMap(study);
  const all = fitForReport(statsOf(scored), params.model, { model: options.compare === false ? params.model : "all", hierarchical: params.hier, groupOf });
  const fits = all.fits;
  return {
    model: params.model,
    hierarchical: params.hier,
    fits,
    comparison: all.comparison ?? null,
    priors: all.hierarchical?.[params.model]?.priors ?? null,
    summary: summariseRates(fits, study.participants, study.meta),
    warnings: all.warnings,
  };
}

export interface DescribePhase {
  cells: UpdateCell[];
  summary: UpdateSummary[];
}

export function describePhase(scored: Scored, study: Study): DescribePhase {
  const pass = passOf(scored);
  const cells = pass ? cellsOfColumns(pass.cols, study.participants, pass.dropped) : updateCells(scored.trials, study.participants);
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
  const key_term = sessions.length >= 2 ? `group${treatment}:session${sessions[sessions.length - 1]}:valencegood` : null;
  const factors = { group: [reference, treatment], session: sessions, valence: ["bad", "good"] };
  try {
    // Fast path: typed columns straight from the cells (or scored trials), no row objects. When it
    // cannot represent the data (or fails), the row path below gives the result or the error message.
    let fit: LmmResult | null = null;
    try {
      const cols = lmmColumns(scored, cells, study, params);
      fit = cols && fitLmmColumns(cols, formula, { factors });
    } catch {
      fit = null;
    }
    fit ??= fitLmm(lmmRows(scored, cells, study, params), formula, { factors });
    const { vcov: _v, varpar: _vp, ...rest } = fit;
    return { ...rest, formula, level: params.level, sessions, key_term, error: null };
  } catch (e) {
    return { formula, level: params.level, sessions, key_term, error: (e as Error).message };
  }
}

/** The rows of the mixed model: one per cell (or scored trial) of a known participant in the model's sessions. */
function lmmRows(scored: Scored, cells: readonly UpdateCell[], study: Study, params: Pick<AnalysisParams, "level" | "lmm">): Record<string, string | number>[] {
  const demo = new Map(study.participants.map((p) => [p.participant_id, p]));
  const inSessions = new Set(params.lmm);
  const rows: Record<string, string | number>[] = [];
  const push = (participant_id: string, session: string, valence: string, update: number) => {
    const p = demo.get(participant_id);
    if (!p || !inSessions.has(session)) return;
    rows.push({ participant_id, group: p.group, session, valence, update, age: p.age, education: p.education_years });
  };
  if (params.level === "trials") for (const t of scored.trials) push(t.participant_id, t.session, t.valence, t.update);
  else for (const c of cells) push(c.participant_id, c.session, c.valence, c.update);
  return rows;
}

/** The same rows as lmmRows, as typed columns (see LmmColumns). */
function lmmColumns(scored: Scored, cells: readonly UpdateCell[], study: Study, params: Pick<AnalysisParams, "level" | "lmm">): LmmColumns | null {
  const { reference, treatment } = study.meta.groups;
  // A covariate that is not a number (or missing) would make the row path treat it as a factor.
  const numberOrMissing = (v: unknown) => typeof v === "number" || v === null || v === undefined;
  if (!study.participants.every((p) => numberOrMissing(p.age) && numberOrMissing(p.education_years) && typeof p.group === "string" && typeof p.participant_id === "string")) return null;
  const sessionCode = new Map<string, number>();
  params.lmm.forEach((s, j) => {
    if (!sessionCode.has(s)) sessionCode.set(s, j);
  });
  // Per participant (the last of duplicate ids, as a Map of all would keep): index, group code, covariates.
  const participants = study.participants;
  const nP = participants.length;
  const index = new Map<string, number>();
  const groupCode = new Int32Array(nP);
  const age = new Float64Array(nP);
  const edu = new Float64Array(nP);
  for (let i = 0; i < nP; i++) {
    const p = participants[i];
    index.set(p.participant_id, i);
    groupCode[i] = p.group === "" ? -2 : p.group === reference ? 0 : p.group === treatment ? 1 : -1;
    age[i] = p.age ?? NaN;
    edu[i] = p.education_years ?? NaN;
  }
  const pass = params.level === "trials" ? passOf(scored) : undefined;
  const cap = params.level === "trials" ? (pass ? pass.cols.nScored : scored.trials.length) : cells.length;
  const y = new Float64Array(cap);
  const cAge = new Float64Array(cap);
  const cEdu = new Float64Array(cap);
  const cGroup = new Int32Array(cap);
  const cSession = new Int32Array(cap);
  const cValence = new Int32Array(cap);
  const cId = new Int32Array(cap);
  let n = 0;
  let lastId: string | null = null;
  let lastIndex = -1;
  let lastSession: string | null = null;
  let lastSessionCode = -1;
  // One row per cell (or scored trial) of a known participant in the model's sessions, as lmmRows.
  const row = (participant_id: string, session: string, good: boolean, update: number): void => {
    if (participant_id !== lastId) {
      lastId = participant_id;
      lastIndex = index.get(participant_id) ?? -1;
    }
    if (session !== lastSession) {
      lastSession = session;
      lastSessionCode = sessionCode.get(session) ?? -1;
    }
    const i = lastIndex;
    if (i < 0 || lastSessionCode < 0) return;
    y[n] = update;
    cAge[n] = age[i];
    cEdu[n] = edu[i];
    cGroup[n] = groupCode[i];
    cSession[n] = session === "" ? -2 : lastSessionCode;
    cValence[n] = good ? 1 : 0;
    cId[n] = participant_id === "" ? -1 : i;
    n++;
  };
  if (params.level === "trials") {
    if (pass) {
      const { index: at, ps, good } = scoredTrialIndex(study.trials, pass.cols);
      for (let k = 0; k < at.length; k++) {
        if (pass.dropped[ps[k]]) continue;
        const t = study.trials[at[k]];
        const g = good[k] === 1;
        const e1 = t.first_estimate as number;
        const e2 = t.second_estimate as number;
        row(t.participant_id, t.session, g, updateOfCode(good[k], e1, e2));
      }
    } else for (const t of scored.trials) row(t.participant_id, t.session, t.valence === "good", t.update);
  } else {
    // The common case, written out (no call per cell).
    for (let k = 0; k < cells.length; k++) {
      const c = cells[k];
      const participant_id = c.participant_id;
      const session = c.session;
      if (participant_id !== lastId) {
        lastId = participant_id;
        lastIndex = index.get(participant_id) ?? -1;
      }
      if (session !== lastSession) {
        lastSession = session;
        lastSessionCode = sessionCode.get(session) ?? -1;
      }
      const i = lastIndex;
      if (i < 0 || lastSessionCode < 0) continue;
      y[n] = c.update;
      cAge[n] = age[i];
      cEdu[n] = edu[i];
      cGroup[n] = groupCode[i];
      cSession[n] = session === "" ? -2 : lastSessionCode;
      cValence[n] = c.valence === "good" ? 1 : 0;
      cId[n] = participant_id === "" ? -1 : i;
      n++;
    }
  }
  return {
    n,
    numeric: { update: y.subarray(0, n), age: cAge.subarray(0, n), education: cEdu.subarray(0, n) },
    factors: {
      group: { codes: cGroup.subarray(0, n), levels: [reference, treatment] },
      session: { codes: cSession.subarray(0, n), levels: params.lmm },
      valence: { codes: cValence.subarray(0, n), levels: ["bad", "good"] },
    },
    group: { name: "participant_id", codes: cId.subarray(0, n), count: nP },
  };
}

export interface MediationSpec {
  group: string;
  mediator: { measure: string; from: string; to: string };
  outcome: { measure: string; from: string; to: string };
}

export function mediationRows(fits: readonly ModelFit[], study: Study, params: Pick<AnalysisParams, "med" | "out">): { spec: MediationSpec; rows: MediationRow[] } {
  const group = study.meta.groups.treatment;
  const [mFrom, mTo] = params.med;
  const [yFrom, yTo] = params.out;
  // By participant, for the two sessions needed (the last of duplicates, as a Map of all would keep).
  const asymFrom = new Map<string, number | null>();
  const asymTo = new Map<string, number | null>();
  for (const f of fits) {
    if (f.session === mFrom) asymFrom.set(f.participant_id, f.asymmetry);
    if (f.session === mTo) asymTo.set(f.participant_id, f.asymmetry);
  }
  const scoreFrom = new Map<string, number | null>();
  const scoreTo = new Map<string, number | null>();
  for (const c of study.clinical) {
    if (c.session === yFrom) scoreFrom.set(c.participant_id, c.score);
    if (c.session === yTo) scoreTo.set(c.participant_id, c.score);
  }
  const rows: MediationRow[] = [];
  for (const p of study.participants) {
    if (p.group !== group) continue;
    const id = p.participant_id;
    rows.push({ participant_id: id, m_from: asymFrom.get(id) ?? null, m_to: asymTo.get(id) ?? null, y_from: scoreFrom.get(id) ?? null, y_to: scoreTo.get(id) ?? null });
  }
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
  let lastId: string | null = null;
  let lastSession: string | null = null;
  for (const t of study.trials) {
    if (t.participant_id === lastId && t.session === lastSession) continue; // nothing new
    lastId = t.participant_id;
    lastSession = t.session;
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
