/**
 * The analysis as the documented JSON document (README, "The analyze JSON") and as a
 * readable plain-text report. Shared by `npm run analyze` and the dashboard's downloads.
 */
import type { AnalysisResult } from "./pipeline.js";
import type { Study } from "./types.js";
import { PUBLISHED } from "./published.js";
import { lmmFormula } from "./pipeline.js";

export const KIT_VERSION = "0.1.0";

function round(x: number | null | undefined, digits = 10): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  return Number(x.toPrecision(digits));
}

export function analysisDocument(study: Study, result: AnalysisResult, extraWarnings: string[] = []) {
  const { params, fit, lmm, mediation, scored } = result;
  const groups = [study.meta.groups.reference, study.meta.groups.treatment];
  return {
    kit_version: KIT_VERSION,
    study: {
      id: study.meta.id,
      title: study.meta.title,
      synthetic: study.meta.synthetic,
      citation: study.meta.citation,
      groups: study.meta.groups,
      sessions: study.meta.sessions,
      clinical_scale: study.meta.clinical_scale,
      n_participants: Object.fromEntries(groups.map((g) => [g, study.participants.filter((p) => p.group === g).length])),
      n_trials: scored.counts.total,
    },
    options: {
      model: params.model,
      hierarchical: params.hier,
      valid_range: params.range,
      min_trials_per_valence: params.mintrials,
      lmm_formula: lmm.formula,
      lmm_level: params.level,
      lmm_sessions: params.lmm,
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
    })),
    learning_rate_summary: fit.summary,
    model_comparison: fit.comparison
      ? { totals: fit.comparison.totals, by_group_session: fit.comparison.by_group_session, best_by_participant: fit.comparison.best_by_participant.map((b) => ({ participant_id: b.participant_id, group: b.group, best_model: b.best_model, tied: b.tied })), notes: fit.comparison.notes }
      : null,
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

/** A readable report of the same document. */
export function formatReport(doc: AnalysisDocument): string {
  const out: string[] = [];
  const s = doc.study;
  out.push(`${s.title}`);
  if (s.synthetic) out.push("SYNTHETIC DATA: simulated cohort, calibrated to published summary statistics; not patient data.");
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
  if (doc.warnings.length) {
    out.push("");
    out.push(`Warnings (${doc.warnings.length}):`);
    for (const w of doc.warnings.slice(0, 30)) out.push(`  ${w}`);
    if (doc.warnings.length > 30) out.push(`  … and ${doc.warnings.length - 30} more (see --json)`);
  }
  return out.join("\n");
}

export { lmmFormula };
