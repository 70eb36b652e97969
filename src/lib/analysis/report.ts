/**
 * The analysis as the documented JSON document (README, "The analyze JSON") and as a
 * readable plain-text report. Shared by `npm run analyze` and the dashboard's downloads.
 */
import { syntheticReportLine } from "../study/provenance.js";
import type { AnalysisResult } from "./pipeline.js";
import { asTrialStudy, type ClinicalScale, type SecondaryScale, type Study, type StudyMeta } from "../study/types.js";
import { PUBLISHED } from "../study/published.js";
import { designOf, lmmFormula } from "./pipeline.js";
import { ANCOVA_FORMULA, CARRYOVER_TEST, CROSSOVER_FORMULA, type AncovaOutcome, type CarryoverTest, type DesignAnalysis, type FisherOutcome, type McNemarOutcome } from "../designs/analyze.js";
import { DESIGN_PUBLISHED, type DesignPublished } from "../designs/simulate.js";

export const KIT_VERSION = "0.1.0";

function round(x: number | null | undefined, digits = 10): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  return Number(x.toPrecision(digits));
}

export function analysisDocument(study: Study, result: AnalysisResult, extraWarnings: string[] = []) {
  const { params, fit, lmm, mediation, scored } = result;
  const d = designOf(study);
  return {
    kit_version: KIT_VERSION,
    study: {
      id: study.meta.id,
      title: study.meta.title,
      synthetic: study.meta.synthetic,
      citation: study.meta.citation,
      groups: study.meta.groups,
      sessions: study.meta.sessions,
      clinical_scale: study.meta.clinical_scale ?? null,
      n_participants: Object.fromEntries(d.groups.map((g) => [g, d.n_by_group[g]])),
      n_trials: scored.counts.total,
    },
    design: {
      groups: d.groups,
      sessions_by_group: d.sessions_by_group,
      covariates: d.covariates.map((c) => ({ name: c.name, column: c.column, n_known: c.n_known })),
      positive_events: d.positive_events ? [...d.positive_events] : [],
      estimated_base_rate: d.has_estimated_base_rate,
      recalled_base_rate: d.has_recalled_base_rate,
      mediation_groups: d.mediation_groups,
    },
    options: {
      model: params.model,
      hierarchical: params.hier,
      bayesian_model_selection: params.bmc || fit.model_selection !== null,
      prior: fit.bayes_prior,
      valid_range: params.range,
      min_trials_per_valence: params.mintrials,
      news_reference: params.ref === "ebr" ? "estimated_base_rate" : "base_rate",
      max_recall_error: params.recall,
      lmm_formula: lmm.formula,
      lmm_level: params.level,
      lmm_random_effects: params.re,
      lmm_sessions: params.lmm,
      mediation_group: params.medgroup,
      mediator_sessions: params.med,
      outcome_sessions: params.out,
      boot: params.boot,
      seed: params.seed,
    },
    scoring: { ...scored.counts, excluded_participant_sessions: scored.excluded },
    fits: fit.fits.map((f) => ({
      participant_id: f.participant_id,
      session: f.session,
      model: f.model,
      method: f.method,
      alpha_good: round(f.alpha_good),
      alpha_bad: round(f.alpha_bad),
      asymmetry: round(f.asymmetry),
      n_good: f.n_good,
      n_bad: f.n_bad,
      sigma: round(f.sigma),
      loglik: round(f.loglik),
      aic: round(f.aic),
      bic: round(f.bic),
      params: Object.fromEntries(Object.entries(f.params).map(([k, v]) => [k, round(v)])),
      ...(f.posterior ? { posterior: f.posterior } : {}),
    })),
    learning_rate_summary: fit.summary,
    model_comparison: fit.comparison
      ? { totals: fit.comparison.totals, by_group_session: fit.comparison.by_group_session, best_by_participant: fit.comparison.best_by_participant.map((b) => ({ participant_id: b.participant_id, group: b.group, best_model: b.best_model, tied: b.tied })), notes: fit.comparison.notes }
      : null,
    model_selection: fit.model_selection,
    lmm: {
      formula: lmm.formula,
      level: lmm.level,
      sessions: lmm.sessions,
      fixed: lmm.fixed ?? [],
      random: lmm.random ?? null,
      reml_criterion: lmm.reml_criterion ?? null,
      n_obs: lmm.n_obs ?? null,
      n_groups: lmm.n_groups ?? null,
      singular: lmm.singular ?? null,
      rank_deficient: lmm.rank_deficient ?? [],
      key_term: lmm.key_term,
      anova: lmm.anova ?? [],
      varcorr: lmm.varcorr ?? [],
      notes: lmm.notes,
      error: lmm.error,
    },
    mediation: {
      group: mediation.group,
      mediator: mediation.mediator,
      outcome: mediation.outcome,
      n: "n" in mediation ? mediation.n : null,
      a: "a" in mediation ? mediation.a : null,
      b: "b" in mediation ? mediation.b : null,
      c: "c" in mediation ? mediation.c : null,
      c_prime: "c_prime" in mediation ? mediation.c_prime : null,
      indirect: "indirect" in mediation ? mediation.indirect : null,
      sobel_se: "sobel_se" in mediation ? mediation.sobel_se : null,
      sobel_z: "sobel_z" in mediation ? mediation.sobel_z : null,
      sobel_p: "sobel_p" in mediation ? mediation.sobel_p : null,
      paths: "paths" in mediation ? mediation.paths : null,
      boot:
        mediation.bootstrapped
          ? {
              resamples: mediation.boot.resamples,
              seed: mediation.boot.seed,
              valid: mediation.boot.valid,
              se: mediation.boot.se,
              percentile: mediation.boot.percentile,
              bca: mediation.boot.bca,
              bca_label: mediation.boot.bca_label,
            }
          : null,
      sensitivity: mediation.bootstrapped ? { rho_zero: mediation.sensitivity.rho_zero, curve: mediation.sensitivity.curve.filter((_, i) => i % 10 === 0) } : null,
      excluded: "excluded" in mediation ? mediation.excluded : [],
      error: mediation.error,
      not_applicable: mediation.not_applicable,
    },
    published: PUBLISHED[study.meta.id] ?? null,
    warnings: [...extraWarnings, ...fit.warnings, ...(lmm.error ? [`lmm: ${lmm.error}`] : []), ...(mediation.error ? [`mediation: ${mediation.error}`] : [])],
  };
}

export type AnalysisDocument = ReturnType<typeof analysisDocument>;

const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? "–" : x.toFixed(d));
const fp = (p: number | null | undefined) => (p === null || p === undefined ? "–" : p < 0.001 ? "<.001" : p.toFixed(3));

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

/** The warnings section of a readable report: the first 30, then a count. */
function pushWarnings(out: string[], warnings: readonly string[]): void {
  if (!warnings.length) return;
  out.push("");
  out.push(`Warnings (${warnings.length}):`);
  for (const w of warnings.slice(0, 30)) out.push(`  ${w}`);
  if (warnings.length > 30) out.push(`  … and ${warnings.length - 30} more (see --json)`);
}

/** A readable report of the same document. */
export function formatReport(doc: AnalysisDocument): string {
  const out: string[] = [];
  const s = doc.study;
  out.push(`${s.title}`);
  if (s.synthetic) out.push(syntheticReportLine(s)!);
  out.push(`Participants: ${Object.entries(s.n_participants).map(([g, n]) => `${g} ${n}`).join(", ")}; trials ${s.n_trials} (scored ${doc.scoring.scored}; excluded: ${doc.scoring.missing} missing, ${doc.scoring.zeroError} EE = 0, ${doc.scoring.outOfRange} out of range).`);
  out.push(`Model: ${doc.options.model}${doc.options.hierarchical ? " (hierarchical, empirical-Bayes MAP)" : " (maximum likelihood)"}.`);
  out.push("");
  out.push("Learning rates (group mean ± SEM)");
  const pub = doc.published;
  out.push(
    table(
      ["group", "session", "valence", "mean", "SEM", "n", "published"],
      doc.learning_rate_summary.map((r) => {
        const p = pub && pub.learning_rates.group === r.group && pub.learning_rates.session === r.session ? pub.learning_rates[r.valence] : null;
        return [r.group, r.session, r.valence, f(r.mean), f(r.sem), r.n, p ? `${p.mean.toFixed(2)} (${p.sem.toFixed(2)})` : ""];
      }),
    ),
  );
  if (doc.model_comparison) {
    out.push("");
    out.push("Model comparison (summed BIC over participant-sessions; lower is better)");
    out.push(table(["model", "sum BIC", "ΔBIC", "best (fits)", "best (participants)", "iBIC"], doc.model_comparison.totals.map((t) => [t.model, f(t.sum_bic, 1), f(t.delta_bic, 1), t.n_best, t.n_best_participants, f(t.ibic, 1)])));
  }
  out.push("");
  out.push(`Linear mixed model (REML, Satterthwaite df): ${doc.lmm.formula}`);
  out.push(`Level: ${doc.lmm.level}; sessions: ${doc.lmm.sessions.join(", ")}`);
  if (doc.lmm.error) out.push(`  not fitted: ${doc.lmm.error}`);
  else {
    out.push(table(["term", "estimate", "SE", "df", "t", "p", "95% CI"], doc.lmm.fixed.map((r) => [r.term, f(r.estimate), f(r.se), f(r.df, 1), f(r.t, 2), fp(r.p), r.ci ? `[${f(r.ci[0])}, ${f(r.ci[1])}]` : "–"])));
    out.push(`Random intercept SD ${f(doc.lmm.random?.participant_sd)}, residual SD ${f(doc.lmm.random?.residual_sd)}; REML criterion ${f(doc.lmm.reml_criterion, 2)}; ${doc.lmm.n_obs} observations, ${doc.lmm.n_groups} participants${doc.lmm.singular ? "; SINGULAR FIT (random-intercept variance at zero)" : ""}${doc.lmm.rank_deficient.length ? `; rank deficient, dropped: ${doc.lmm.rank_deficient.join(", ")}` : ""}.`);
    if (pub && doc.lmm.key_term) {
      const k = doc.lmm.fixed.find((r) => r.term === doc.lmm.key_term);
      if (k) out.push(`Published ${pub.lmm.term}: β = ${pub.lmm.beta} [${pub.lmm.ci95.join(", ")}], t(${pub.lmm.df}) = ${pub.lmm.t}, p = ${pub.lmm.p}; here ${k.term}: β = ${f(k.estimate, 2)}, t(${f(k.df, 1)}) = ${f(k.t, 2)}, p = ${fp(k.p)}. ${pub.lmm.note}`);
    }
  }
  out.push("");
  const m = doc.mediation;
  out.push(`Within-subject mediation (Montoya & Hayes 2017), group ${m.group}: mediator ${m.mediator.measure} ${m.mediator.from} → ${m.mediator.to}; outcome ${m.outcome.measure} ${m.outcome.from} → ${m.outcome.to}`);
  if (m.error) out.push(`  not computed: ${m.error}`);
  else {
    out.push(table(["path", "estimate"], [["a (mean ΔM)", f(m.a)], ["b (ΔY on ΔM)", f(m.b)], ["c (mean ΔY)", f(m.c)], ["c′ (direct)", f(m.c_prime)], ["a·b (indirect)", f(m.indirect)]]));
    out.push(`n = ${m.n}; Sobel SE ${f(m.sobel_se)}, z = ${f(m.sobel_z, 2)}, p = ${fp(m.sobel_p)}`);
    if (m.boot) out.push(`Bootstrap (${m.boot.resamples} resamples, seed ${m.boot.seed}): percentile 95% CI [${f(m.boot.percentile?.[0])}, ${f(m.boot.percentile?.[1])}]; ${m.boot.bca_label} [${f(m.boot.bca?.[0])}, ${f(m.boot.bca?.[1])}]`);
    if (pub) out.push(`Published: a·b = ${pub.mediation.indirect} (SEM ${pub.mediation.sem}), z = ${pub.mediation.z}, p = ${pub.mediation.p}`);
    if (m.excluded.length) out.push(`Excluded: ${m.excluded.map((e) => `${e.participant_id} (${e.reason})`).join("; ")}`);
  }
  pushWarnings(out, doc.warnings);
  return out.join("\n");
}

export { lmmFormula };

// ---------------------------------------------------------------------------------------------
// Crossover and parallel studies (docs/designs.md): the same kind of document and report.

/** The analyze document of a crossover or parallel study (docs/designs.md, "The analyze JSON"). */
export interface DesignDocument {
  kit_version: string;
  study: {
    id: string;
    title: string;
    synthetic: boolean;
    citation: string;
    design: DesignAnalysis["design"];
    /** Crossover only. */
    conditions?: string[];
    /** Crossover only. */
    sequences?: Record<string, string[]>;
    /** Parallel only: the arms. */
    groups?: { reference: string; treatment: string };
    sessions: string[];
    clinical_scale: ClinicalScale;
    secondary_scales: SecondaryScale[];
    response: DesignAnalysis["response_definition"];
    /** Participants per sequence (crossover) or arm (parallel). */
    n_participants: Record<string, number>;
    n_scores: number;
  };
  design: DesignAnalysis["design"];
  options: { conf_level: number; response_threshold: number; response_session: string; model: string; carryover_test?: string };
  outcomes: {
    per_participant: DesignAnalysis["per_participant"];
    summary: DesignAnalysis["summary"];
    response: DesignAnalysis["response"];
    models: DesignAnalysis["models"];
    /** Crossover only. */
    mcnemar?: McNemarOutcome;
    /** Crossover only. */
    carryover?: CarryoverTest[];
    /** Parallel only. */
    fisher?: FisherOutcome;
    /** Parallel only. */
    ancova?: AncovaOutcome[];
  };
  published: DesignPublished | null;
  warnings: string[];
}

/** The analyze document of a crossover or parallel study. */
export function designDocument(study: Study, analysis: DesignAnalysis, extraWarnings: string[] = []): DesignDocument {
  const meta = asTrialStudy(study).meta;
  const crossover = analysis.design === "crossover";
  const labels = crossover ? Object.keys(meta.sequences ?? {}) : [meta.groups.reference, meta.groups.treatment];
  const studyPart: DesignDocument["study"] = {
    id: meta.id,
    title: meta.title,
    synthetic: meta.synthetic,
    citation: meta.citation,
    design: analysis.design,
    ...(crossover ? { conditions: meta.conditions, sequences: meta.sequences } : { groups: meta.groups }),
    sessions: meta.sessions,
    clinical_scale: meta.clinical_scale,
    secondary_scales: meta.secondary_scales ?? [],
    response: analysis.response_definition,
    n_participants: Object.fromEntries(labels.map((g) => [g, study.participants.filter((p) => p.group === g).length])),
    n_scores: study.clinical.length,
  };
  const outcomes: DesignDocument["outcomes"] = {
    per_participant: analysis.per_participant,
    summary: analysis.summary,
    response: analysis.response,
    models: analysis.models,
  };
  if (crossover) {
    outcomes.mcnemar = analysis.mcnemar!;
    outcomes.carryover = analysis.carryover!;
  } else {
    outcomes.fisher = analysis.fisher!;
    outcomes.ancova = analysis.ancova!;
  }
  return {
    kit_version: KIT_VERSION,
    study: studyPart,
    design: analysis.design,
    options: {
      conf_level: 0.95,
      response_threshold: analysis.response_definition.threshold,
      response_session: analysis.response_definition.session,
      ...(crossover
        ? { model: `${CROSSOVER_FORMULA} (REML, Satterthwaite df)`, carryover_test: CARRYOVER_TEST }
        : { model: `ANCOVA ${ANCOVA_FORMULA} (OLS)` }),
    },
    outcomes,
    published: DESIGN_PUBLISHED[meta.id] ?? null,
    warnings: [...extraWarnings, ...analysis.warnings],
  };
}

const fci = (ci: readonly (number | null)[] | null | undefined, d = 3) => (ci ? `[${f(ci[0], d)}, ${ci[1] === Infinity ? "∞" : f(ci[1], d)}]` : "–");
const fx = (x: number | null | undefined, d = 3) => (x === Infinity ? "∞" : f(x, d));

/** A readable report of a crossover or parallel study's document. */
export function formatDesignReport(doc: DesignDocument): string {
  const out: string[] = [];
  const s = doc.study;
  const o = doc.outcomes;
  const crossover = doc.design === "crossover";
  out.push(s.title);
  if (s.synthetic) out.push(syntheticReportLine(s)!);
  out.push(
    `Design: ${crossover ? `crossover, conditions ${s.conditions!.join(" (reference), ")}; sequences ${Object.entries(s.sequences!).map(([k, v]) => `${k} = ${v.join(" → ")}`).join(", ")}` : `parallel groups, arms ${s.groups!.reference} (reference), ${s.groups!.treatment}`}.`,
  );
  out.push(`Participants: ${Object.entries(s.n_participants).map(([g, n]) => `${g} ${n}`).join(", ")}; time points ${s.sessions.join(", ")} (first = baseline); scales ${[s.clinical_scale.name, ...s.secondary_scales.map((x) => x.name)].join(", ")}.`);
  out.push(`Response: ${s.response.rule}.`);
  out.push("");
  out.push(`Mean score and change from baseline (${crossover ? "condition" : "arm"})`);
  out.push(
    table(
      ["scale", crossover ? "condition" : "arm", "time", "n", "score", "SD", "change", "SEM", "% reduction"],
      o.summary.map((r) => [r.scale, r.condition, r.session, r.n, f(r.mean_score, 2), f(r.sd_score, 2), r.session === s.sessions[0] ? "" : f(r.mean_change, 2), r.session === s.sessions[0] ? "" : f(r.sem_change, 2), r.session === s.sessions[0] ? "" : f(r.mean_percent_reduction, 1)]),
    ),
  );
  out.push("");
  out.push(`Response at ${s.response.session} (${s.response.scale})`);
  out.push(table([crossover ? "condition" : "arm", "responders", "n", "rate", "95% CI (exact)", "missing"], o.response.map((r) => [r.condition, r.responders, r.n, f(r.rate), fci(r.ci), r.missing])));
  const pub = doc.published;
  if (pub) for (const x of pub.figures) out.push(`  ${x.source === "published" ? "Published" : `Assumed (${x.source})`}: ${x.what}: ${x.value}`);
  if (o.mcnemar) {
    const m = o.mcnemar;
    out.push(
      `Exact McNemar test (${m.n_pairs} pairs${m.n_incomplete ? `, ${m.n_incomplete} incomplete left out` : ""}): both ${m.both}, ${m.condition_a} only ${m.b}, ${m.condition_b} only ${m.c}, neither ${m.neither}; ` +
        `p = ${fp(m.p)}; odds ratio b/c = ${fx(m.odds_ratio, 2)} ${fci(m.ci, 2)}`,
    );
  }
  if (o.fisher) {
    const fi = o.fisher;
    out.push(
      `Fisher's exact test (${fi.rows[0]} vs ${fi.rows[1]}): p = ${fp(fi.p)}; conditional ML odds ratio ${fx(fi.conditional_or.estimate, 2)} ${fci(fi.conditional_or.ci, 2)}; ` +
        `sample odds ratio ${fx(fi.sample_or.estimate, 2)} ${fci(fi.sample_or.ci, 2)} (Woolf${fi.sample_or.corrected ? ", 0.5 added to each cell" : ""})`,
    );
  }
  for (const m of o.models) {
    out.push("");
    out.push(`${m.kind === "lmm" ? "Mixed model (REML, Satterthwaite df)" : "ANCOVA (OLS)"}, ${m.scale} at ${m.session}: ${m.formula}`);
    if (m.error) {
      out.push(`  not fitted: ${m.error}`);
      continue;
    }
    out.push(table(["term", "estimate", "SE", "df", "t", "p", "95% CI"], m.fixed.map((r) => [r.term, f(r.estimate), f(r.se), f(r.df, 1), f(r.t, 2), fp(r.p), fci(r.ci)])));
    if (m.kind === "lmm")
      out.push(`Random intercept SD ${f(m.random?.participant_sd)}, residual SD ${f(m.random?.residual_sd)}; ${m.n_obs} observations, ${m.n_groups} participants${m.singular ? "; SINGULAR FIT (random-intercept variance at zero)" : ""}.`);
    else out.push(`Residual SD ${f(m.random?.residual_sd)}; R² ${f(m.r2)}; ${m.n_obs} participants.`);
    if (o.carryover) {
      const c = o.carryover.find((x) => x.scale === m.scale && x.session === m.session);
      if (c)
        out.push(
          c.error
            ? `Carry-over (Grizzle): not computed: ${c.error}`
            : `Carry-over (Grizzle, sequence on participant totals): ${c.sequences.map((q) => `${q.sequence} mean ${f(q.mean_total, 2)} (n ${q.n})`).join(", ")}; difference ${f(c.estimate, 2)}, t(${f(c.df, 0)}) = ${f(c.t, 2)}, p = ${fp(c.p)} (low power; shown, not used to choose the analysis).`,
        );
    }
    if (o.ancova) {
      const a = o.ancova.find((x) => x.scale === m.scale && x.session === m.session);
      if (a && !a.error)
        out.push(`Adjusted means at baseline ${f(a.baseline_mean, 2)}: ${a.adjusted_means.map((x) => `${x.arm} ${f(x.mean, 2)} ${fci(x.ci, 2)} (n ${x.n})`).join(", ")}${a.n_excluded ? `; ${a.n_excluded} left out (missing score)` : ""}.`);
    }
  }
  pushWarnings(out, doc.warnings);
  return out.join("\n");
}
