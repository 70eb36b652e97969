/**
 * The overview of a study's dashboard: its design, headline results and the update chart (a
 * belief-updating study), or its scores, response and models (a crossover or parallel trial).
 * Built with htl, so every string from a study's files is shown as text.
 */
import { html } from "htl";
import { analyzeStudy } from "../lib/analysis/pipeline.js";
import { analyzeDesign } from "../lib/designs/analyze.js";
import { rateContrasts } from "../lib/models/summary.js";
import { PUBLISHED } from "../lib/study/published.js";
import { updatesChart } from "../components/updates-chart.js";
import { designTrajectories } from "../components/design-trajectories.js";
import { responseBars } from "../components/response-bars.js";
import { fmt, pText } from "../components/theme.js";
import { withDownloads } from "./download.js";
import { conditionsOf, exactTests, modelTables, scalesOf } from "./design-view.js";
import type { StudyPage } from "./page.js";
import { responsive } from "./responsive.js";

/** Role of a group in the study: the reference level, the mediation's group, or neither. */
function roleOf(page: StudyPage, group: string): string {
  const m = page.study.meta;
  if (group === m.groups.reference) return "reference";
  if (group === page.initial.medgroup) return "mediation group";
  return "group";
}

export function overviewView(page: StudyPage): HTMLElement {
  const { study, design, initial: params, note } = page;
  const meta = study.meta;
  const result = analyzeStudy(study, params);
  const counts = result.scored.counts;
  const events = new Set(study.trials.map((t) => t.event_id)).size;
  const positive = design.positive_events?.size ?? 0;
  const perSession = Math.round(study.trials.length / Math.max(1, new Set(study.trials.map((t) => `${t.participant_id}|${t.session}`)).size));
  const contrasts = rateContrasts(result.fit.fits, study.participants, design.groups, design.sessions);
  const pub = PUBLISHED[meta.id];
  const key = result.lmm.fixed?.find((f) => f.term === result.lmm.key_term);
  const med = result.mediation;
  const exclusions = [
    `${counts.missing} with a missing value`,
    `${counts.zeroError} with the first estimate equal to the base rate`,
    `${counts.outOfRange} out of range`,
    ...(counts.recallError ? [`${counts.recallError} by the memory test`] : []),
  ];
  const publishedRate = (g: string, s: string) => (pub && pub.learning_rates.group === g && pub.learning_rates.session === s ? pub.learning_rates : null);
  return html`<div class="overview">
    <h2>Design</h2>
    <div class="table-scroll"><table data-table="design">
      <thead><tr><th>Group</th><th>Role</th><th>N</th><th>Sessions</th></tr></thead>
      <tbody>${design.groups.map((g) => html`<tr><td>${g}</td><td>${roleOf(page, g)}</td><td>${design.n_by_group[g]}</td><td>${design.sessions_by_group[g].join(" → ")}</td></tr>`)}</tbody>
    </table></div>
    <p>${study.participants.length} participants; ${perSession} events per session (${events} distinct events${positive ? `, ${positive} of them positive` : ", all negative"});
      ${meta.clinical_scale ? `clinical scale ${meta.clinical_scale.name} (${meta.clinical_scale.min}–${meta.clinical_scale.max})` : "no clinical scale"}${design.covariates.length ? `; covariates ${design.covariates.map((c) => c.name).join(", ")}` : "; no demographic covariate"}.
      Scored trials: ${counts.scored.toLocaleString("en-US")} of ${counts.total.toLocaleString("en-US")} (excluded: ${exclusions.join(", ")}).</p>
    <h2>Headline results</h2>
    <div class="table-scroll"><table class="headline" data-table="headline">
      <thead><tr><th>Result</th><th>Computed here</th>${pub ? html`<th>Published (Bottemanne et al. 2022)</th>` : ""}</tr></thead>
      <tbody>
        ${contrasts.map((c) => {
          const p = publishedRate(c.group, c.session);
          return html`<tr data-contrast=${`${c.group}|${c.session}`}><td>${c.group}, ${c.session}: learning rate after good vs bad news, mean (SEM)</td>
            <td>${fmt(c.good?.mean, 2)} (${fmt(c.good?.sem, 2)}) vs ${fmt(c.bad?.mean, 2)} (${fmt(c.bad?.sem, 2)}); paired t(${c.paired.df}) = ${fmt(c.paired.t, 2)}, ${pText(c.paired.p)}</td>
            ${pub ? html`<td>${p ? `${p.good.mean} (${p.good.sem}) vs ${p.bad.mean} (${p.bad.sem}); t(${p.df}) = ${p.paired_t}, p < .001` : "–"}</td>` : ""}</tr>`;
        })}
        <tr><td>Mixed model, <code>${result.lmm.key_term}</code>${params.cov.length ? ` (covariates ${params.cov.join(", ")})` : ""}</td>
          <td>${key ? html`β = ${fmt(key.estimate, 2)} [${fmt(key.ci?.[0], 2)}, ${fmt(key.ci?.[1], 2)}], t(${fmt(key.df, 1)}) = ${fmt(key.t, 2)}, ${pText(key.p)}` : (result.lmm.error ?? "–")}</td>
          ${pub ? html`<td>β = ${pub.lmm.beta} [${pub.lmm.ci95.join(", ")}], t(${pub.lmm.df}) = ${pub.lmm.t}, p = ${pub.lmm.p}</td>` : ""}</tr>
        <tr><td>Indirect effect a·b of Δ asymmetry on Δ ${meta.clinical_scale?.name ?? "clinical score"}${med.group ? ` (${med.group})` : ""}</td>
          <td data-metric="indirect-overview">${med.not_applicable ? `Not applicable: ${med.not_applicable}.` : med.error ? med.error : "indirect" in med ? html`${fmt(med.indirect, 2)} (Sobel SE ${fmt(med.sobel_se, 2)}, z = ${fmt(med.sobel_z, 2)}, ${pText(med.sobel_p)})${med.bootstrapped ? html`; 95% BCa CI [${fmt(med.boot.bca?.[0], 2)}, ${fmt(med.boot.bca?.[1], 2)}]` : ""}` : "–"}</td>
          ${pub ? html`<td>${fmt(pub.mediation.indirect, 2)} (SEM ${pub.mediation.sem}, z = ${pub.mediation.z}, p = ${pub.mediation.p})</td>` : ""}</tr>
      </tbody>
    </table></div>
    ${pub ? html`<p class="note-small">${pub.lmm.note} The published β is in the paper's own update units; the kit's synthetic updates are in percentage points, so compare t and p. Degrees of freedom here are Satterthwaite's (as lmerTest); the paper reports the residual df (216).</p>` : ""}
    ${result.lmm.notes.length ? html`<p class="note-small">${result.lmm.notes.join("; ")}.</p>` : ""}
    <h2>Mean update by news valence</h2>
    ${withDownloads(responsive((width) => updatesChart(result.describe.summary, { width, groups: design.groups, sessions: design.sessions, note })), "updates")}
    <p>An update is the change from the first to the second estimate toward the base rate: <em>E1 − E2</em> when the base rate is below the first estimate, <em>E2 − E1</em> when it is above. Good news is a lower risk than feared for a negative event${positive ? ", a higher chance than hoped for a positive one" : ""}.</p>
  </div>`;
}

/** A crossover or parallel trial: scores by condition or arm, response with exact intervals, models and exact tests. */
export function designOverviewView(page: StudyPage): HTMLElement {
  const { study, note } = page;
  const meta = study.meta;
  const analysis = analyzeDesign(study);
  const conditions = conditionsOf(study);
  const crossover = meta.design === "crossover";
  const label = crossover ? "condition" : "arm";
  const d = analysis.response_definition;
  const rows = analysis.response.filter((r) => r.scale === d.scale && r.session === d.session);
  const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(0)}%`);
  return html`<div class="overview">
    <h2>Scores by ${label}</h2>
    ${scalesOf(study).map((scale) => responsive((width) => designTrajectories(analysis.per_participant.filter((r) => r.scale === scale.name), { width, sessions: meta.sessions, conditions, scale, conditionLabel: label, note })))}
    <h2>Response</h2>
    ${responsive((width) => responseBars(rows, { width: Math.min(width, 520), conditions, definition: d.rule, note }))}
    <div class="table-scroll"><table data-table="response"><thead><tr><th>${crossover ? "Condition" : "Arm"}</th><th>Responders</th><th>n</th><th>Rate</th><th>95% CI (Clopper–Pearson)</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr><td>${r.condition}</td><td>${r.responders}</td><td>${r.n}</td><td>${pct(r.rate)}</td><td>${r.ci ? `${pct(r.ci[0])}–${pct(r.ci[1])}` : "–"}</td></tr>`)}</tbody></table></div>
    ${exactTests(analysis)}
    <h2>Models</h2>
    ${modelTables(analysis)}
  </div>`;
}
