/** The mixed model of a study as the dashboard shows it: formula, coefficient table, random effects, notes. */
import { html } from "htl";
import type { LmmPhase } from "../lib/analysis/pipeline.js";
import { PUBLISHED } from "../lib/study/published.js";
import { coefTable } from "../components/coef-table.js";
import { fmt } from "../components/theme.js";
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
        <p>Random-intercept SD ${fmt(lmm.random!.participant_sd)}, residual SD ${fmt(lmm.random!.residual_sd)}; REML criterion ${fmt(lmm.reml_criterion, 2)}; ${lmm.n_obs} observations of ${lmm.n_groups} participants.${lmm.singular ? html` <strong>Singular fit</strong>: the random-intercept variance is estimated at zero.` : ""}${lmm.rank_deficient!.length ? html` <strong>Rank deficient</strong>: no data for ${lmm.rank_deficient!.join(", ")} (dropped, as lme4 does).` : ""}</p>
        ${published ? html`<p class="note-small">${pub!.lmm.note}</p>` : ""}`}
  </div>`;
}
