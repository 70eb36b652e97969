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
import { updateCells, summariseUpdates, type UpdateCell, type UpdateSummary } from "../task/summary.js";
import { computeStats, fitForReport, type ModelFit, type SufficientStats } from "../models/index.js";
import { BAYES_KIT_MODELS, DEFAULT_MODEL, isBayesKitModel, type BayesKitModelName, type LsModelName } from "../models/names.js";
import { bayesModelSelection, bayesSessions, fitBayesModel, priorOf, type ModelSelection } from "../models/bayes-fits.js";
import type { ModelComparison } from "../models/comparison.js";
import type { HierarchicalResult } from "../models/hierarchical/index.js";
import { fitLmm, fitLmmColumns, fitMixed, type AnovaRow, type LmmResult, type LmmRow, type VarCorrRow } from "../lmm/index.js";
import { mixedFrame } from "../lmm/mframe.js";
import { anovaTable } from "../lmm/anova.js";
import { withinSubjectMediation, mediationPointEstimate, type MediationRow, type MediationResult, type MediationPoint } from "../mediation/index.js";
import type { AnalysisParams } from "./params.js";
import { summariseRates, type LearningRateSummary } from "../models/summary.js";
import type { Study } from "../study/types.js";
import type { ScoredTrial } from "../task/types.js";
import { cellsOfColumns, scoreColumns, scoredTrialsOf, statsOfColumns, type ScoreColumns } from "../task/columnar.js";
import { describeDesign, mediationUnavailable, type StudyDesignInfo } from "./design.js";
import { lmmColumns, lmmFactors, lmmFormula, lmmKeyTerm, lmmNotes, lmmRows } from "./lmm-data.js";

export { lmmFormula } from "./lmm-data.js";

/** The design of a study (design.ts), computed once per study object. */
const designs = new WeakMap<Study, StudyDesignInfo>();
export function designOf(study: Study): StudyDesignInfo {
  let d = designs.get(study);
  if (!d) designs.set(study, (d = describeDesign(study)));
  return d;
}

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
export function scorePhase(study: Study, params: Pick<AnalysisParams, "range" | "mintrials"> & Partial<Pick<AnalysisParams, "ref" | "recall">>): Scored {
  const cols = scoreColumns(study.trials, {
    validRange: params.range ?? [0, 100],
    positiveEvents: designOf(study).positive_events,
    reference: params.ref === "ebr" ? "estimated_base_rate" : "base_rate",
    maxRecallError: params.recall ?? null,
  });
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
  /** The prior in force when the reported model is Bayesian. */
  bayes_prior: ReturnType<typeof priorOf> | null;
  /** Random-effects Bayesian model selection over the Bayesian models (with a Bayesian model or bmc). */
  model_selection: ModelSelection | null;
  summary: LearningRateSummary[];
  warnings: string[];
}

function groupMap(study: Study): Map<string, string> {
  return new Map(study.participants.map((p) => [p.participant_id, p.group]));
}

/**
 * Fit the chosen model (least squares flat or hierarchical, or a Bayesian model by variational Laplace)
 * and, unless `compare` is false, compare the least-squares models by BIC; with a Bayesian model or
 * `bmc`, also the Bayesian models by random-effects Bayesian model selection.
 */
export function fitPhase(
  scored: Scored,
  study: Study,
  params: Pick<AnalysisParams, "model" | "hier"> & Partial<Pick<AnalysisParams, "bmc" | "prior">>,
  options: { compare?: boolean } = {},
): FitPhase {
  const groupOf = groupMap(study);
  const compare = options.compare !== false;
  const prior = params.prior ?? "kit";
  const bayes = isBayesKitModel(params.model);
  const warnings: string[] = [];
  let fits: ModelFit[] = [];
  let comparison: ModelComparison | null = null;
  let priors: HierarchicalResult["priors"] | null = null;
  if (bayes) {
    if (params.hier) warnings.push(`${params.model}: a Bayesian model is fitted per participant-session under its prior (variational Laplace); the hierarchical option applies to the least-squares models`);
    if (compare) {
      const all = fitForReport(statsOf(scored), DEFAULT_MODEL, { model: "all", hierarchical: false, groupOf });
      comparison = all.comparison ?? null;
      warnings.push(...all.warnings);
    }
  } else {
    const all = fitForReport(statsOf(scored), params.model as LsModelName, { model: compare ? "all" : params.model, hierarchical: params.hier, groupOf });
    comparison = all.comparison ?? null;
    priors = all.hierarchical?.[params.model as LsModelName]?.priors ?? null;
    fits = all.fits;
    warnings.push(...all.warnings);
  }
  let model_selection: ModelSelection | null = null;
  const bayesFits: Partial<Record<BayesKitModelName, ModelFit[]>> = {};
  if (bayes || (compare && params.bmc)) {
    const sessions = bayesSessions(scored.trials);
    // A prior of one's own is a prior of the reported model's parameters; the other models of the
    // selection keep the kit's preset.
    const priorFor = (m: BayesKitModelName) => (typeof prior === "string" || m === params.model ? prior : "kit");
    if (typeof prior !== "string" && compare) warnings.push(`Bayesian model selection: the prior given applies to ${params.model}; the other Bayesian models use the kit's preset prior`);
    for (const m of bayes && !compare ? [params.model as BayesKitModelName] : BAYES_KIT_MODELS) bayesFits[m] = fitBayesModel(sessions, m, priorFor(m));
    if (compare) model_selection = bayesModelSelection(bayesFits, (id) => groupOf.get(id) ?? "");
  }
  if (bayes) fits = bayesFits[params.model as BayesKitModelName]!;
  return {
    model: params.model,
    hierarchical: params.hier && !bayes,
    fits,
    comparison,
    priors,
    bayes_prior: bayes ? priorOf(params.model as BayesKitModelName, prior) : null,
    model_selection,
    summary: summariseRates(fits, study.participants, designOf(study).groups, study.meta.sessions),
    warnings: [...new Set(warnings)],
  };
}

export interface DescribePhase {
  cells: UpdateCell[];
  summary: UpdateSummary[];
}

export function describePhase(scored: Scored, study: Study): DescribePhase {
  const pass = passOf(scored);
  const cells = pass ? cellsOfColumns(pass.cols, study.participants, pass.dropped) : updateCells(scored.trials, study.participants);
  return { cells, summary: summariseUpdates(cells, designOf(study).groups, study.meta.sessions) };
}

export interface LmmPhase extends Partial<LmmResult> {
  formula: string;
  level: AnalysisParams["level"];
  sessions: string[];
  /** The highest interaction of valence with the design's factors (lmmKeyTerm), e.g. the group x time x valence term. */
  key_term: string | null;
  /** Factors of the design the default formula leaves out for these sessions, and why. */
  notes: string[];
  /** F tests of every term, type III (lmerTest's default) then type II, Satterthwaite denominator df. */
  anova?: AnovaRow[];
  /** Variance components as R's as.data.frame(VarCorr(fit)). */
  varcorr?: VarCorrRow[];
  error: string | null;
}

/** A formula with one random intercept per participant and nothing else random: the closed-form fast path. */
function randomInterceptOnly(formula: string): boolean {
  const random = formula.match(/\([^()|]*\|\|?[^()]*\)/g) ?? [];
  return random.length === 1 && /^\(\s*1\s*\|\s*participant_id\s*\)$/.test(random[0]);
}

/**
 * The study's mixed model (the formula of its design, lmmFormula; any lme4 formula of one's own) on
 * cell means (default) or trials. A random intercept per participant is fitted by the closed-form
 * REML profile (lmm/reml.ts); any other random-effects structure by the general engine (lmm/mixed.ts).
 * Both give lmerTest's Satterthwaite tests; the F tests (anova) and variance components come from the
 * general engine's frame.
 */
export function lmmPhase(
  scored: Scored,
  cells: readonly UpdateCell[],
  study: Study,
  params: Pick<AnalysisParams, "cov" | "level" | "lmm"> & Partial<Pick<AnalysisParams, "re">>,
  /** A formula of one's own over the columns update, group, session, valence, participant_id, the covariates (and event_id at trial level). */
  formulaOverride?: string,
): LmmPhase {
  const d = designOf(study);
  const formula = formulaOverride ?? lmmFormula(d, params);
  const sessions = params.lmm;
  const key_term = lmmKeyTerm(d, params);
  const notes = formulaOverride === undefined ? lmmNotes(d, params) : [];
  const f = lmmFactors(d, params);
  const factors = { group: f.groups, session: sessions, valence: ["bad", "good"] };
  const pass = passOf(scored);
  const trials = () => scored.trials;
  try {
    let rows: LmmRow[] | null = null;
    const rowsOf = () => (rows ??= lmmRows(trials, cells, study, d, params));
    if (randomInterceptOnly(formula)) {
      // Fast path: typed columns straight from the cells (or scored trials), no row objects. When it
      // cannot represent the data (or fails), the row path below gives the result or the error message.
      let fit: LmmResult | null = null;
      try {
        const cols = lmmColumns(pass, trials, cells, study, d, params);
        fit = cols && fitLmmColumns(cols, formula, { factors });
      } catch {
        fit = null;
      }
      fit ??= fitLmm(rowsOf(), formula, { factors });
      const { vcov: _v, varpar: _vp, ...rest } = fit;
      // The F tests from the closed-form fit (contestMD takes its covariance and varpar Jacobian, as
      // lmerTest does), with the general engine's model frame for the terms' contrasts: no second fit.
      const frame = mixedFrame(rowsOf(), formula, { factors });
      const names = frame.columns.map((c) => c.name);
      const anova =
        names.length === fit.fixed.length && names.every((n, j) => n === fit.fixed[j].term)
          ? [...anovaTable(fit, frame, 3), ...anovaTable(fit, frame, 2)]
          : fitMixed(rowsOf(), formula, { factors }).anova;
      const sd = fit.random.participant_sd;
      const varcorr: VarCorrRow[] = [
        { grp: frame.groupNames[0] ?? "participant_id", var1: "(Intercept)", var2: null, vcov: sd * sd, sdcor: sd },
        { grp: "Residual", var1: null, var2: null, vcov: fit.random.residual_sd ** 2, sdcor: fit.random.residual_sd },
      ];
      return { ...rest, formula, level: params.level, sessions, key_term, notes, anova, varcorr, error: null };
    }
    const m = fitMixed(rowsOf(), formula, { factors });
    const sd = (grp: string) => m.varcorr.find((v) => v.grp === grp && v.var1 === "(Intercept)" && v.var2 === null)?.sdcor ?? null;
    return {
      formula,
      response: m.response,
      group: "participant_id",
      fixed: m.fixed,
      random: { participant_sd: sd("participant_id") ?? 0, residual_sd: m.sigma },
      theta: m.theta[0],
      reml_criterion: m.reml_criterion ?? undefined,
      n_obs: m.n_obs,
      n_groups: m.groups.participant_id,
      singular: m.singular,
      rank_deficient: m.rank_deficient,
      dropped_rows: m.dropped_rows,
      levels: m.levels,
      messages: m.messages,
      level: params.level,
      sessions,
      key_term,
      notes,
      anova: m.anova,
      varcorr: m.varcorr,
      error: null,
    };
  } catch (e) {
    return { formula, level: params.level, sessions, key_term, notes, error: (e as Error).message };
  }
}

export interface MediationSpec {
  group: string | null;
  mediator: { measure: string; from: string; to: string };
  outcome: { measure: string; from: string; to: string };
}

export function mediationRows(fits: readonly ModelFit[], study: Study, params: Pick<AnalysisParams, "med" | "out" | "medgroup">): { spec: MediationSpec; rows: MediationRow[] } {
  const group = params.medgroup;
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
      outcome: { measure: study.meta.clinical_scale?.name ?? "clinical score", from: params.out[0], to: params.out[1] },
    },
    rows,
  };
}

export type MediationPhase = MediationSpec & {
  rows: MediationRow[];
  error: string | null;
  /** Why the design has no mediation (no clinical scores, no group with two sessions): not an error. */
  not_applicable: string | null;
} & (
    | ({ bootstrapped: true } & MediationResult)
    | ({ bootstrapped: false } & MediationPoint)
    | { bootstrapped: false }
  );

/** Mediation of the clinical change by the change in asymmetry; with params.boot > 0, bootstrap CIs too. */
export function mediationPhase(
  fits: readonly ModelFit[],
  study: Study,
  params: Pick<AnalysisParams, "med" | "out" | "boot" | "seed" | "medgroup">,
  options: { bootstrap?: boolean; onProgress?: (done: number, total: number) => void } = {},
): MediationPhase {
  const unavailable = mediationUnavailable(designOf(study));
  if (unavailable !== null || params.medgroup === null) {
    const spec: MediationSpec = { group: null, mediator: { measure: "learning-rate asymmetry (alpha_good - alpha_bad)", from: params.med[0], to: params.med[1] }, outcome: { measure: study.meta.clinical_scale?.name ?? "clinical score", from: params.out[0], to: params.out[1] } };
    return { ...spec, rows: [], bootstrapped: false, error: null, not_applicable: unavailable ?? "no group has trials and clinical scores in two sessions" };
  }
  const { spec, rows } = mediationRows(fits, study, params);
  if (fits.length > 0 && fits.every((f) => f.model === "single"))
    return {
      ...spec,
      rows,
      bootstrapped: false,
      not_applicable: null,
      error: "the single model has one learning rate for good and bad news, so no asymmetry to mediate: choose the valence, scaling-asymmetry or ee-weighted model",
    };
  try {
    if (options.bootstrap !== false && params.boot > 0) {
      const r = withinSubjectMediation(rows, { resamples: params.boot, seed: params.seed, onProgress: options.onProgress });
      return { ...spec, rows, error: null, not_applicable: null, bootstrapped: true, ...r };
    }
    return { ...spec, rows, error: null, not_applicable: null, bootstrapped: false, ...mediationPointEstimate(rows) };
  } catch (e) {
    return { ...spec, rows, error: (e as Error).message, not_applicable: null, bootstrapped: false };
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

/** Which sessions each group has trials in. */
export function sessionsByGroup(study: Study): Record<string, string[]> {
  return designOf(study).sessions_by_group;
}
