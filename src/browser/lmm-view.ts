/** The mixed model of a study as the dashboard shows it: formula, coefficient table, random effects, notes. */
import { html } from "htl";
import type { LmmPhase } from "../lib/analysis/pipeline.js";
import { PUBLISHED } from "../lib/study/published.js";
import { coefTable } from "../components/coef-table.js";
import { fmt, pText } from "../components/theme.js";
import type { StudyPage } from "./page.js";

export function lmmView(page: Pick<StudyPage, "study" | "note">, lmm: LmmPhase): HTMLElement {
  const meta = page.study.meta;
  const pub = PUBLISHED[meta.id];
  const published = pub && lmm.key_term === "groupTRD:sessionpost1:valencegood" ? { [lmm.key_term]: { estimate: pub.lmm.beta, t: pub.lmm.t, df: pub.lmm.df, p: pub.lmm.p } } : undefined;
  const levels = [...(lmm.formula.includes("group") ? [meta.groups.reference] : []), ...(lmm.formula.includes("session") ? [lmm.sessions[0]] : []), "bad news"];
  return html`<div class="lmm-view">
    <p><code>${lmm.formula}</code>, fitted by REML on ${lmm.level === "cells" ? "participants' mean update per session and valence" : "single trials"} of ${lmm.sessions.length > 1 ? "sessions" : "session"} ${lmm.sessions.join(", ")}; degrees of freedom by Satterthwaite's method (as lmerTest).</p>
    ${lmm.notes.length ? html`<p class="note-small">${lmm.notes.join("; ")}.</p>` : ""}
    ${lmm.error
      ? html`<p class="warning">The model could not be fitted: ${lmm.error}</p>`
      : html`${coefTable(lmm.fixed!, { highlight: lmm.key_term ?? undefined, published, caption: `Fixed effects (treatment contrasts: ${levels.join(", ")} ${levels.length > 1 ? "are the reference levels" : "is the reference level"}). ${page.note}` })}
        ${lmm.anova?.length ? anovaTable(lmm) : ""}
        ${lmm.varcorr?.length ? varcorrTable(lmm) : ""}
        <p>REML criterion ${fmt(lmm.reml_criterion, 2)}; ${lmm.n_obs} observations of ${lmm.n_groups} participants.${lmm.singular ? html` <strong>Singular fit</strong>: a variance component is estimated at (or near) zero or a correlation at ±1 (isSingular, tolerance 1e-4).` : ""}${lmm.rank_deficient!.length ? html` <strong>Rank deficient</strong>: no data for ${lmm.rank_deficient!.join(", ")} (dropped, as lme4 does).` : ""}</p>
        ${published ? html`<p class="note-small">${pub!.lmm.note}</p>` : ""}`}
  </div>`;
}

/** The type III F tests (lmerTest's default), Satterthwaite denominator df. */
function anovaTable(lmm: LmmPhase): HTMLElement {
  const rows = lmm.anova!.filter((r) => r.type === 3);
  return html`<div class="table-scroll"><table data-table="anova">
    <caption>Type III F tests with Satterthwaite denominator df (as lmerTest's anova()); type II is in the downloaded JSON.</caption>
    <thead><tr><th>Term</th><th>num df</th><th>den df</th><th>F</th><th>p</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr><td>${r.term}</td><td>${r.num_df}</td><td>${fmt(r.den_df, 1)}</td><td>${fmt(r.F, 2)}</td><td>${pText(r.p)}</td></tr>`)}</tbody>
  </table></div>`;
}

/** Variance components as R's as.data.frame(VarCorr(fit)). */
function varcorrTable(lmm: LmmPhase): HTMLElement {
  return html`<div class="table-scroll"><table data-table="varcorr">
    <caption>Random effects (variance components, as VarCorr).</caption>
    <thead><tr><th>Group</th><th>Term</th><th></th><th>Variance / covariance</th><th>SD / correlation</th></tr></thead>
    <tbody>${lmm.varcorr!.map((v) => html`<tr><td>${v.grp}</td><td>${v.var1 ?? ""}</td><td>${v.var2 ?? ""}</td><td>${fmt(v.vcov)}</td><td>${fmt(v.sdcor)}</td></tr>`)}</tbody>
  </table></div>`;
}
