/**
 * Analyses of the two clinical-trial designs the kit loads besides the belief-updating task
 * (docs/designs.md): a two-period, two-condition crossover trial and a two-arm parallel-group
 * trial. Pure: no DOM, no file system; every number is JSON-serialisable (undefined quantities
 * are null; an infinite odds ratio or interval bound is Infinity, which JSON writes as null).
 *
 * Definitions (one place, used by the command line, the report and the pages):
 *  - change            = score - baseline score (negative = improvement on a severity scale);
 *    in a crossover study the baseline is the one of the same condition (each period has its own).
 *  - percent_reduction = 100 (baseline - score) / baseline; null when the baseline is 0.
 *  - responder         = (baseline - score) >= threshold * baseline at a time point after the
 *    baseline (threshold from study.json, default 0.5), compared with a relative tolerance of
 *    1e-9 so that 7 points off a baseline of 25 count as a 28 % reduction (0.28 * 25 is
 *    7.000000000000001 in floating point); null when the score
 *    or baseline is missing or the baseline is 0.
 *
 * Crossover (Jones & Kenward 2014, Design and Analysis of Cross-Over Trials, 3rd ed., ch. 2):
 *  - per time point and scale, the mixed model `change ~ condition + period + (1 | participant_id)`
 *    (REML, Satterthwaite df; lmm.ts = lme4 + lmerTest), treatment contrasts: the first condition
 *    and period 1 are the reference levels. The period term is always in the table. Every
 *    participant with a change is used (incomplete participants too).
 *  - the exact McNemar test of paired response at the response time point (exact-tests.ts);
 *    A = the first (reference) condition, B = the other; odds ratio = b / c = (responders under
 *    A only) / (responders under B only). Participants without a known response under both are
 *    left out (counted in n_incomplete).
 *  - carry-over: Grizzle's (1965) test, as Jones & Kenward (2014, sec. 2.5) give it: the
 *    participant totals T = change(A) + change(B) of the completers are compared between the two
 *    sequences with a two-sample t test (pooled variance, df = n1 + n2 - 2). In the 2x2 design a
 *    carry-over difference is aliased with the sequence effect and with the sequence x period
 *    interaction; the test is between participants and has little power. It is shown so that a
 *    reader sees it, not to choose the analysis (the two-stage procedure is biased: Freeman 1989,
 *    Stat Med 8:1421-1432).
 * Parallel (Senn 2006; EMA 2015 guideline on baseline covariates):
 *  - per time point and scale, the ANCOVA `lm(score ~ arm + baseline)` (ols.ts), arm with the
 *    reference arm first; adjusted means at the mean baseline;
 *  - response rates per arm with Clopper-Pearson intervals, and Fisher's exact test on the
 *    (treatment, reference) x (responder, non-responder) table: conditional ML odds ratio with its
 *    exact interval (as R's fisher.test) and the sample odds ratio with Woolf's interval.
 */
import type { Coefficient, TestedEstimate } from "../stats/coefficient.js";
import { mean as meanOf, sampleSd } from "../stats/describe.js";
import { fitLmm } from "../lmm/index.js";
import { ancova, ols, type AdjustedMean, type OlsCoefficient } from "../stats/ols.js";
import { clopperPearson } from "../stats/binomial.js";
import { fisherExact, type FisherResult } from "../stats/fisher.js";
import { mcnemarExact, type McNemarResult } from "../stats/mcnemar.js";
import { responseMatrix, responseTable } from "./responses.js";
import type { LmmFixedEffect } from "../lmm/index.js";
import { asTrialStudy, type Study, type StudyMeta, type TrialStudy, type TrialStudyMeta } from "../study/types.js";

/** The meta of a crossover or parallel study with its two arms and clinical scale typed as present. */
function trialMeta(meta: StudyMeta): TrialStudyMeta {
  return asTrialStudy({ meta, participants: [], trials: [], clinical: [] }).meta;
}

/** Relative tolerance of the responder rule (see the header). */
export const RESPONSE_TOLERANCE = 1e-9;

export type TrialDesign = "crossover" | "parallel";

/** One row per participant x condition (or arm) x scale x time point, baseline included. */
export interface ParticipantOutcome {
  participant_id: string;
  /** Crossover: the sequence (participants.csv group); parallel: the arm. */
  group: string;
  /** Crossover: the condition; parallel: the arm. */
  condition: string;
  /** Crossover: the period (1-based) of the condition; parallel: null. */
  period: number | null;
  /** Scale name (the clinical_scale first, then the secondary scales). */
  scale: string;
  session: string;
  baseline: number | null;
  score: number | null;
  change: number | null;
  percent_reduction: number | null;
  /** null at the baseline itself, and when the score or baseline is missing or the baseline is 0. */
  responder: boolean | null;
}

export interface OutcomeSummary {
  scale: string;
  condition: string;
  session: string;
  /** Participants with a score. */
  n: number;
  mean_score: number | null;
  sd_score: number | null;
  /** Participants with a change from baseline. */
  n_change: number;
  mean_change: number | null;
  sd_change: number | null;
  sem_change: number | null;
  mean_percent_reduction: number | null;
}

export interface ResponseRateRow {
  /** The condition (crossover) or arm (parallel). */
  condition: string;
  scale: string;
  session: string;
  responders: number;
  /** Participants with a known response. */
  n: number;
  rate: number | null;
  /** Participants of the condition / arm without a known response. */
  missing: number;
  /** Clopper-Pearson interval of the rate (binom.test), null when n = 0. */
  ci: [number, number] | null;
}

/** A coefficient table row, the same shape for mixed models and ANCOVA. */
export type ModelTerm = Coefficient;

export interface ModelTable {
  scale: string;
  session: string;
  kind: "lmm" | "ancova";
  formula: string;
  /** The term of the treatment comparison (conditionX or armX). */
  key_term: string;
  /** Crossover: the period term (period2); parallel: null. */
  period_term: string | null;
  fixed: ModelTerm[];
  n_obs: number | null;
  /** Mixed model: participants; ANCOVA: null. */
  n_groups: number | null;
  /** Mixed model: random-intercept and residual SD; ANCOVA: residual SD only. */
  random: { participant_sd: number | null; residual_sd: number | null } | null;
  reml_criterion: number | null;
  singular: boolean | null;
  r2: number | null;
  messages: string[];
  error: string | null;
}

export interface CarryoverTest extends TestedEstimate<number | null> {
  scale: string;
  session: string;
  test: string;
  sequences: { sequence: string; n: number; mean_total: number | null; sd_total: number | null }[];
  /** estimate: mean total of the second sequence minus that of the first (sequence order of study.json). */
  error: string | null;
}

export type McNemarOutcome = McNemarResult & { scale: string; session: string; condition_a: string; condition_b: string };

export type FisherOutcome = FisherResult & { scale: string; session: string; rows: [string, string]; columns: ["responder", "non-responder"] };

export interface AncovaOutcome {
  scale: string;
  session: string;
  formula: string;
  reference: string;
  treatment: string;
  n: number;
  n_excluded: number;
  /** Mean baseline of the analysed participants (null when not fitted). */
  baseline_mean: number | null;
  coefficients: OlsCoefficient[];
  /** Adjusted difference treatment - reference (the arm coefficient); null when not fitted. */
  difference: OlsCoefficient | null;
  adjusted_means: AdjustedMean[];
  sigma: number | null;
  r2: number | null;
  adj_r2: number | null;
  df_residual: number;
  error: string | null;
}

export interface DesignAnalysis {
  design: TrialDesign;
  response_definition: { scale: string; session: string; threshold: number; rule: string };
  per_participant: ParticipantOutcome[];
  summary: OutcomeSummary[];
  response: ResponseRateRow[];
  models: ModelTable[];
  /** Crossover only. */
  mcnemar: McNemarOutcome | null;
  /** Crossover only: one per scale and time point after the baseline. */
  carryover: CarryoverTest[] | null;
  /** Parallel only. */
  fisher: FisherOutcome | null;
  /** Parallel only: one per scale and time point after the baseline. */
  ancova: AncovaOutcome[] | null;
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------

function designOf(meta: TrialStudyMeta): TrialDesign {
  if (meta.design !== "crossover" && meta.design !== "parallel")
    throw new Error(`trial-designs: study ${JSON.stringify(meta.id)} has design ${JSON.stringify(meta.design ?? "belief-updating")}, expected "crossover" or "parallel"`);
  return meta.design;
}

/** The analysed scales: the primary scale (column "score") first, then the secondary ones. */
export function designScales(studyMeta: StudyMeta): { column: string; name: string }[] {
  const meta = trialMeta(studyMeta);
  return [{ column: "score", name: meta.clinical_scale.name }, ...(meta.secondary_scales ?? []).map((s) => ({ column: s.column, name: s.name }))];
}

/** The conditions (crossover) or arms, reference first. */
export function designConditions(studyMeta: StudyMeta): [string, string] {
  const meta = trialMeta(studyMeta);
  if (designOf(meta) === "crossover") return [meta.conditions![0], meta.conditions![1]];
  return [meta.groups.reference, meta.groups.treatment];
}

/** Responder threshold and time point (study.json "response", with the defaults). */
export function responseDefinition(studyMeta: StudyMeta): { threshold: number; session: string } {
  const meta = studyMeta;
  return { threshold: meta.response?.threshold ?? 0.5, session: meta.response?.session ?? meta.sessions[1] };
}

/** Change, percent reduction and responder status of one score against its baseline. */
export function outcomeOf(baseline: number | null, score: number | null, threshold: number, isBaseline = false): Pick<ParticipantOutcome, "change" | "percent_reduction" | "responder"> {
  if (baseline === null || score === null) return { change: null, percent_reduction: null, responder: null };
  const change = score - baseline;
  if (baseline === 0) return { change, percent_reduction: null, responder: null };
  const reduction = baseline - score;
  return {
    change,
    percent_reduction: (100 * reduction) / baseline,
    responder: isBaseline ? null : reduction >= threshold * baseline - RESPONSE_TOLERANCE * Math.abs(baseline),
  };
}

/** Per participant, condition (or arm), scale and time point: scores, change, percent reduction, response. */
export function participantOutcomes(anyStudy: Study): ParticipantOutcome[] {
  const study = asTrialStudy(anyStudy);
  const meta = study.meta;
  const design = designOf(meta);
  const { threshold } = responseDefinition(meta);
  const scales = designScales(meta);
  const [baseline] = meta.sessions;
  const value = new Map<string, number | null>();
  const periodOf = new Map<string, number>();
  for (const r of study.clinical) {
    const cond = design === "crossover" ? r.condition! : "";
    for (const s of scales) {
      const v = s.column === "score" ? r.score : (r.secondary?.[s.column] ?? null);
      value.set(`${r.participant_id}\u0000${cond}\u0000${s.column}\u0000${r.session}`, v);
    }
    if (design === "crossover" && r.period !== undefined) periodOf.set(`${r.participant_id}\u0000${cond}`, r.period);
  }
  const out: ParticipantOutcome[] = [];
  for (const p of study.participants) {
    const conditions = design === "crossover" ? designConditions(meta) : [p.group];
    for (const condition of conditions) {
      const cond = design === "crossover" ? condition : "";
      const period = design === "crossover" ? (periodOf.get(`${p.participant_id}\u0000${cond}`) ?? null) : null;
      // A crossover participant without any score under a condition has no rows for it.
      if (design === "crossover" && period === null) continue;
      for (const s of scales) {
        const get = (session: string) => value.get(`${p.participant_id}\u0000${cond}\u0000${s.column}\u0000${session}`) ?? null;
        const base = get(baseline);
        for (const session of meta.sessions) {
          const score = get(session);
          out.push({
            participant_id: p.participant_id,
            group: p.group,
            condition,
            period,
            scale: s.name,
            session,
            baseline: base,
            score,
            ...outcomeOf(base, score, threshold, session === baseline),
          });
        }
      }
    }
  }
  return out;
}

/** Mean of a sample, null when it is empty. */
const mean = (xs: readonly number[]): number | null => (xs.length ? meanOf(xs) : null);
const sd = (xs: readonly number[]): number | null => sampleSd(xs);

const known = <T>(xs: readonly (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

/** Mean (SD) score, change and percent reduction per scale, condition (or arm) and time point. */
export function summariseOutcomes(rows: readonly ParticipantOutcome[], meta: TrialStudyMeta): OutcomeSummary[] {
  const out: OutcomeSummary[] = [];
  for (const s of designScales(meta))
    for (const condition of designConditions(meta))
      for (const session of meta.sessions) {
        const cell = rows.filter((r) => r.scale === s.name && r.condition === condition && r.session === session);
        const scores = known(cell.map((r) => r.score));
        const changes = known(cell.map((r) => r.change));
        const sdc = sd(changes);
        out.push({
          scale: s.name,
          condition,
          session,
          n: scores.length,
          mean_score: mean(scores),
          sd_score: sd(scores),
          n_change: changes.length,
          mean_change: mean(changes),
          sd_change: sdc,
          sem_change: sdc === null ? null : sdc / Math.sqrt(changes.length),
          mean_percent_reduction: mean(known(cell.map((r) => r.percent_reduction))),
        });
      }
  return out;
}

/** Responders, n and rate per condition (or arm) on the primary scale at the response time point. */
export function responseRates(rows: readonly ParticipantOutcome[], meta: TrialStudyMeta): ResponseRateRow[] {
  const { session } = responseDefinition(meta);
  const scale = meta.clinical_scale.name;
  const conditions = designConditions(meta);
  const cell = rows.filter((r) => r.scale === scale && r.session === session);
  return responseTable(
    cell.map((r) => ({ arm: r.condition, responder: r.responder })),
    conditions,
  ).map((r) => ({
    condition: r.arm,
    scale,
    session,
    responders: r.responders,
    n: r.n,
    rate: r.rate,
    missing: r.missing,
    ci: r.n > 0 ? clopperPearson(r.responders, r.n) : null,
  }));
}

function emptyModel(scale: string, session: string, kind: ModelTable["kind"], formula: string, key_term: string, period_term: string | null, error: string): ModelTable {
  return { scale, session, kind, formula, key_term, period_term, fixed: [], n_obs: null, n_groups: null, random: null, reml_criterion: null, singular: null, r2: null, messages: [], error };
}

export const CROSSOVER_FORMULA = "change ~ condition + period + (1 | participant_id)";

/** The crossover mixed model per scale and time point after the baseline. */
export function crossoverModels(rows: readonly ParticipantOutcome[], meta: TrialStudyMeta, confLevel = 0.95): ModelTable[] {
  const conditions = designConditions(meta);
  const periods = conditions.map((_, i) => String(i + 1));
  const keyTerm = `condition${conditions[1]}`;
  const out: ModelTable[] = [];
  for (const s of designScales(meta))
    for (const session of meta.sessions.slice(1)) {
      const data = rows
        .filter((r) => r.scale === s.name && r.session === session && r.change !== null && r.period !== null)
        .map((r) => ({ participant_id: r.participant_id, condition: r.condition, period: String(r.period), change: r.change }));
      try {
        const fit = fitLmm(data, CROSSOVER_FORMULA, { factors: { condition: conditions, period: periods }, level: confLevel });
        out.push({
          scale: s.name,
          session,
          kind: "lmm",
          formula: fit.formula,
          key_term: keyTerm,
          period_term: "period2",
          fixed: fit.fixed.map((f: LmmFixedEffect) => ({ ...f })),
          n_obs: fit.n_obs,
          n_groups: fit.n_groups,
          random: fit.random,
          reml_criterion: fit.reml_criterion,
          singular: fit.singular,
          r2: null,
          messages: fit.messages,
          error: null,
        });
      } catch (e) {
        out.push(emptyModel(s.name, session, "lmm", CROSSOVER_FORMULA, keyTerm, "period2", (e as Error).message));
      }
    }
  return out;
}

/** Exact McNemar test of paired response (primary scale, response time point). */
export function crossoverMcnemar(rows: readonly ParticipantOutcome[], meta: TrialStudyMeta, participants: readonly { participant_id: string }[], confLevel = 0.95): McNemarOutcome {
  const [a, b] = designConditions(meta);
  const { session } = responseDefinition(meta);
  const scale = meta.clinical_scale.name;
  const resp = new Map<string, boolean | null>();
  for (const r of rows) if (r.scale === scale && r.session === session) resp.set(`${r.participant_id}\u0000${r.condition}`, r.responder);
  const ra = participants.map((p) => resp.get(`${p.participant_id}\u0000${a}`) ?? null);
  const rb = participants.map((p) => resp.get(`${p.participant_id}\u0000${b}`) ?? null);
  return { scale, session, condition_a: a, condition_b: b, ...mcnemarExact(ra, rb, { confLevel }) };
}

export const CARRYOVER_TEST = "Grizzle (1965) carry-over test: two-sample t test (pooled variance) of the participant totals change(A) + change(B) between sequences";

/** Grizzle's carry-over (sequence) test per scale and time point after the baseline. */
export function carryoverTests(rows: readonly ParticipantOutcome[], meta: TrialStudyMeta, confLevel = 0.95): CarryoverTest[] {
  const [a, b] = designConditions(meta);
  const seqs = Object.keys(meta.sequences ?? {});
  const out: CarryoverTest[] = [];
  for (const s of designScales(meta))
    for (const session of meta.sessions.slice(1)) {
      const changes = new Map<string, { group: string; a: number | null; b: number | null }>();
      for (const r of rows) {
        if (r.scale !== s.name || r.session !== session) continue;
        let e = changes.get(r.participant_id);
        if (!e) changes.set(r.participant_id, (e = { group: r.group, a: null, b: null }));
        if (r.condition === a) e.a = r.change;
        else if (r.condition === b) e.b = r.change;
      }
      const totals = [...changes.values()].filter((e) => e.a !== null && e.b !== null).map((e) => ({ group: e.group, total: e.a! + e.b! }));
      const bySeq = seqs.map((q) => {
        const xs = totals.filter((t) => t.group === q).map((t) => t.total);
        return { sequence: q, n: xs.length, mean_total: mean(xs), sd_total: sd(xs) };
      });
      const base: CarryoverTest = { scale: s.name, session, test: CARRYOVER_TEST, sequences: bySeq, estimate: null, se: null, df: null, t: null, p: null, ci: null, error: null };
      const used = bySeq.filter((q) => q.n > 0);
      if (used.length !== 2) {
        out.push({ ...base, error: `needs completers in two sequences, got ${used.map((q) => `${q.sequence} (${q.n})`).join(", ") || "none"}` });
        continue;
      }
      if (used[0].n + used[1].n < 3) {
        out.push({ ...base, error: `needs at least 3 completers, got ${used[0].n + used[1].n}` });
        continue;
      }
      const data = totals.filter((t) => t.group === used[0].sequence || t.group === used[1].sequence);
      try {
        const fit = ols(
          data.map((t) => t.total),
          data.map((t) => [1, t.group === used[1].sequence ? 1 : 0]),
          ["(Intercept)", `sequence${used[1].sequence}`],
          { confLevel },
        );
        const d = fit.coefficients[1];
        out.push({ ...base, estimate: d.estimate, se: d.se, df: d.df, t: d.t, p: d.p, ci: d.ci });
      } catch (e) {
        out.push({ ...base, error: (e as Error).message });
      }
    }
  return out;
}

export const ANCOVA_FORMULA = "score ~ arm + baseline";

/** The baseline-adjusted ANCOVA per scale and time point after the baseline (parallel design). */
export function parallelAncova(rows: readonly ParticipantOutcome[], meta: TrialStudyMeta, confLevel = 0.95): AncovaOutcome[] {
  const [reference, treatment] = designConditions(meta);
  const out: AncovaOutcome[] = [];
  for (const s of designScales(meta))
    for (const session of meta.sessions.slice(1)) {
      const data = rows.filter((r) => r.scale === s.name && r.session === session).map((r) => ({ arm: r.condition, baseline: r.baseline, post: r.score }));
      try {
        const fit = ancova(data, { reference, treatment }, { confLevel });
        out.push({
          scale: s.name,
          session,
          formula: ANCOVA_FORMULA,
          reference,
          treatment,
          n: fit.n,
          n_excluded: fit.n_excluded,
          baseline_mean: fit.baseline_mean,
          coefficients: fit.coefficients,
          difference: fit.difference,
          adjusted_means: fit.adjusted_means,
          sigma: fit.sigma,
          r2: fit.r2,
          adj_r2: fit.adj_r2,
          df_residual: fit.df_residual,
          error: null,
        });
      } catch (e) {
        out.push({ scale: s.name, session, formula: ANCOVA_FORMULA, reference, treatment, n: 0, n_excluded: data.length, baseline_mean: null, coefficients: [], difference: null, adjusted_means: [], sigma: null, r2: null, adj_r2: null, df_residual: 0, error: (e as Error).message });
      }
    }
  return out;
}

/** The ANCOVA fits as coefficient tables of the same shape as the mixed models. */
export function ancovaModelTables(fits: readonly AncovaOutcome[]): ModelTable[] {
  return fits.map((f) => {
    const key = `arm${f.treatment}`;
    if (f.error) return emptyModel(f.scale, f.session, "ancova", f.formula, key, null, f.error);
    return {
      scale: f.scale,
      session: f.session,
      kind: "ancova",
      formula: f.formula,
      key_term: key,
      period_term: null,
      fixed: f.coefficients.map((c) => ({ term: c.term, estimate: c.estimate, se: c.se, df: c.df, t: c.t, p: c.p, ci: c.ci })),
      n_obs: f.n,
      n_groups: null,
      random: { participant_sd: null, residual_sd: f.sigma },
      reml_criterion: null,
      singular: null,
      r2: f.r2,
      messages: [],
      error: null,
    };
  });
}

/** Fisher's exact test of response, treatment arm vs reference arm (primary scale, response time point). */
export function parallelFisher(response: readonly ResponseRateRow[], meta: TrialStudyMeta, confLevel = 0.95): FisherOutcome {
  const [reference, treatment] = designConditions(meta);
  const byArm = new Map(response.map((r) => [r.condition, r]));
  const rates = [treatment, reference].map((arm) => {
    const r = byArm.get(arm);
    return { arm, responders: r?.responders ?? 0, n: r?.n ?? 0, rate: r?.rate ?? null, missing: r?.missing ?? 0 };
  });
  const { session } = responseDefinition(meta);
  return {
    scale: meta.clinical_scale.name,
    session,
    rows: [treatment, reference],
    columns: ["responder", "non-responder"],
    ...fisherExact(responseMatrix(rates), { confLevel }),
  };
}

/** Every analysis of a crossover or parallel study. */
export function analyzeDesign(anyStudy: Study, options: { confLevel?: number } = {}): DesignAnalysis {
  const study = asTrialStudy(anyStudy);
  const meta = study.meta;
  const design = designOf(meta);
  const confLevel = options.confLevel ?? 0.95;
  const { threshold, session } = responseDefinition(meta);
  const per_participant = participantOutcomes(study);
  const summary = summariseOutcomes(per_participant, meta);
  const response = responseRates(per_participant, meta);
  const warnings: string[] = [];
  const response_definition = {
    scale: meta.clinical_scale.name,
    session,
    threshold,
    rule: `responder: (baseline - score) >= ${threshold} x baseline at ${session} (at least ${+(100 * threshold).toPrecision(6)} % reduction of ${meta.clinical_scale.name})`,
  };
  if (design === "crossover") {
    const models = crossoverModels(per_participant, meta, confLevel);
    const carryover = carryoverTests(per_participant, meta, confLevel);
    const mcnemar = crossoverMcnemar(per_participant, meta, study.participants, confLevel);
    for (const m of models) {
      if (m.error) warnings.push(`model ${m.scale} ${m.session}: ${m.error}`);
      for (const msg of m.messages) warnings.push(`model ${m.scale} ${m.session}: ${msg}`);
    }
    for (const c of carryover) if (c.error) warnings.push(`carry-over ${c.scale} ${c.session}: ${c.error}`);
    if (mcnemar.n_incomplete > 0) warnings.push(`McNemar: ${mcnemar.n_incomplete} participant(s) without a known response under both conditions left out`);
    return { design, response_definition, per_participant, summary, response, models, mcnemar, carryover, fisher: null, ancova: null, warnings };
  }
  const ancovaFits = parallelAncova(per_participant, meta, confLevel);
  for (const a of ancovaFits) {
    if (a.error) warnings.push(`ANCOVA ${a.scale} ${a.session}: ${a.error}`);
    else if (a.n_excluded > 0) warnings.push(`ANCOVA ${a.scale} ${a.session}: ${a.n_excluded} participant(s) without a baseline or post score left out`);
  }
  const fisher = parallelFisher(response, meta, confLevel);
  return { design, response_definition, per_participant, summary, response, models: ancovaModelTables(ancovaFits), mcnemar: null, carryover: null, fisher, ancova: ancovaFits, warnings };
}
