/**
 * Tables and texts of the trial-design pages (crossover, parallel), built with htl so every
 * value from a study's files is shown as text. The charts are the components'.
 */
import { html } from "htl";
import type { DesignAnalysis } from "../lib/designs/analyze.js";
import type { Study } from "../lib/study/types.js";
import { coefTable } from "../components/coef-table.js";
import { fmt, pText } from "../components/theme.js";

export function conditionsOf(study: Study): string[] {
  const m = study.meta;
  return m.design === "crossover" ? (m.conditions ?? []) : m.groups.levels;
}

export function scalesOf(study: Study): { name: string; min: number; max: number }[] {
  return [study.meta.clinical_scale!, ...(study.meta.secondary_scales ?? []).map((s) => ({ name: s.name, min: s.min, max: s.max }))];
}

/** One table per model (scale x time point): the treatment term highlighted, the period term shown. */
export function modelTables(analysis: DesignAnalysis): HTMLElement {
  return html`<div class="model-tables">${analysis.models.map(
    (m) => html`<section data-scale=${m.scale} data-session=${m.session}>
      <h3>${m.scale}, ${m.session}: <code>${m.formula}</code></h3>
      ${m.error
        ? html`<p class="warning">Not fitted: ${m.error}</p>`
        : html`${coefTable(m.fixed, { highlight: m.key_term, caption: `${m.kind === "lmm" ? "Mixed model, REML, Satterthwaite df" : "ANCOVA (ordinary least squares)"}; n = ${m.n_obs}${m.n_groups ? ` observations of ${m.n_groups} participants` : ""}.${m.period_term ? ` The period term (${m.period_term}) is shown, not hidden.` : ""}` })}
          ${m.messages.length ? html`<p class="note-small">${m.messages.join(" ")}</p>` : ""}`}
    </section>`,
  )}</div>`;
}

export function exactTests(analysis: DesignAnalysis): HTMLElement {
  const d = analysis.response_definition;
  const parts: HTMLElement[] = [html`<p>Response: ${d.rule}.</p>`];
  const mc = analysis.mcnemar;
  if (mc)
    parts.push(
      html`<p data-test="mcnemar">Exact McNemar test on paired response (${mc.condition_a} vs ${mc.condition_b}, ${mc.n_pairs} complete pairs): responders only under ${mc.condition_a} b = ${mc.b}, only under ${mc.condition_b} c = ${mc.c}, ${pText(mc.p)}; conditional odds ratio ${mc.odds_ratio === null ? "–" : mc.odds_ratio === Infinity ? "∞" : fmt(mc.odds_ratio, 2)}.</p>`,
    );
  const fi = analysis.fisher;
  if (fi)
    parts.push(
      html`<p data-test="fisher">Fisher's exact test (${fi.rows.join(" vs ")}): ${pText(fi.p)}; conditional ML odds ratio ${fi.conditional_or.estimate === null ? "–" : fmt(fi.conditional_or.estimate, 2)} [${fmt(fi.conditional_or.ci[0], 2)}, ${fi.conditional_or.ci[1] === Infinity ? "∞" : fmt(fi.conditional_or.ci[1], 2)}] (as R's fisher.test); sample odds ratio ${fmt(fi.sample_or.estimate, 2)} [${fmt(fi.sample_or.ci[0], 2)}, ${fmt(fi.sample_or.ci[1], 2)}] (Woolf).</p>`,
    );
  if (analysis.carryover?.length)
    parts.push(html`<div class="table-scroll"><table class="carryover">
      <caption>${analysis.carryover[0].test}.</caption>
      <thead><tr><th>Scale</th><th>Time point</th><th>Estimate</th><th>95% CI</th><th>t (df)</th><th>p</th></tr></thead>
      <tbody>${analysis.carryover.map((c) => html`<tr><td>${c.scale}</td><td>${c.session}</td><td>${fmt(c.estimate, 2)}</td><td>${c.ci ? `[${fmt(c.ci[0], 2)}, ${fmt(c.ci[1], 2)}]` : "–"}</td><td>${fmt(c.t, 2)} (${fmt(c.df, 0)})</td><td>${c.error ?? pText(c.p)}</td></tr>`)}</tbody>
    </table></div>`);
  if (analysis.ancova?.length)
    parts.push(html`<div class="table-scroll"><table class="ancova">
      <thead><tr><th>Scale</th><th>Time point</th><th>Adjusted difference (${analysis.ancova[0].treatment} − ${analysis.ancova[0].reference})</th><th>95% CI</th><th>p</th><th>Adjusted means</th></tr></thead>
      <tbody>${analysis.ancova.map((a) => html`<tr><td>${a.scale}</td><td>${a.session}</td><td>${a.difference ? fmt(a.difference.estimate, 2) : a.error}</td><td>${a.difference?.ci ? `[${fmt(a.difference.ci[0], 2)}, ${fmt(a.difference.ci[1], 2)}]` : "–"}</td><td>${a.difference ? pText(a.difference.p) : "–"}</td><td>${a.adjusted_means.map((m) => `${m.arm} ${fmt(m.mean, 1)} (n ${m.n})`).join("; ")}</td></tr>`)}</tbody>
    </table></div>`);
  if (analysis.warnings.length) parts.push(html`<details><summary>${analysis.warnings.length} warning(s)</summary><ul>${analysis.warnings.map((w) => html`<li>${w}</li>`)}</ul></details>`);
  return html`<div>${parts}</div>`;
}
