/** The model comparison and the parameter recovery of the Learning-rates page. */
import { html } from "htl";
import type { FitPhase } from "../lib/analysis/pipeline.js";
import { groupComparison } from "../lib/models/comparison.js";
import type { RecoveryReport } from "../lib/models/recovery.js";
import { bestModelTable, modelComparisonChart } from "../components/model-comparison.js";
import { recoveryChart } from "../components/recovery-chart.js";
import { modelSelectionChart } from "../components/model-selection.js";
import { posteriorIntervalsChart } from "../components/posterior-intervals.js";
import { posteriorRateIntervals } from "../lib/models/bayes-fits.js";
import { withDownloads } from "./download.js";
import type { StudyPage } from "./page.js";
import { responsive } from "./responsive.js";

export function modelComparisonView(page: StudyPage, fit: FitPhase): HTMLElement {
  const cmp = fit.comparison;
  if (!cmp) return html`<p>No comparison.</p>`;
  const groups = page.design.groups;
  const rows = groupComparison(cmp, groups);
  return html`<div>
    ${withDownloads(responsive((width) => modelComparisonChart(rows, { width, groups, models: cmp.models, note: page.note })), "model-comparison")}
    ${bestModelTable(rows, { groups, models: cmp.models, caption: "Participants best described by each model (lowest BIC summed over their sessions). A tie between models is shared equally among them, as the command line counts it; ties within 1e-6 × |BIC| count as ties (valence and scaling-asymmetry always tie in flat fits: they are the same model)." })}
    ${bayesView(page, fit)}
    <p>${cmp.notes.join(" ")}${fit.hierarchical ? ` Integrated BIC (hierarchical): ${cmp.totals.map((t) => `${t.model} ${t.ibic?.toFixed(1) ?? "–"}`).join(", ")}.` : ""}</p>
  </div>`;
}

export function recoveryView(page: StudyPage, report: RecoveryReport): HTMLElement {
  const rec = report.parameters.filter((p) => p.model === "valence" && p.method === "ml");
  const points = report.points.filter((p) => p.model === "valence" && p.method === "ml");
  const d = report.design;
  return html`<div data-recovery=${rec.map((p) => `${p.parameter}:${p.r?.toFixed(2)}`).join(",")}>
    ${responsive((width) => recoveryChart(points, rec, { width, parameters: ["alpha_good", "alpha_bad", "asymmetry", "sigma"], note: `Simulated from known parameters with this study's design (its first estimates and base rates), refitted with the valence model; seed ${report.seed}, ${report.n} simulated participant-sessions per model.` }))}
    <p>With this study's trial designs (${d.trials_mean.toFixed(1)} scored trials per session on average, mean |EE| ${d.abs_ee_mean.toFixed(1)} points), the correlation between true and recovered parameters is ${rec.map((p) => `${p.parameter} ${p.r?.toFixed(2)}`).join(", ")}. Model recovery (share of simulated participant-sessions for which each model has the lowest BIC): ${report.confusion.map((c) => `${c.generating}-generated data → ${Object.entries(c.proportion).map(([m, x]) => `${m} ${(100 * x).toFixed(0)}%`).join(", ")}`).join("; ")}. The same numbers come from <code>belief-kit recovery data/${page.study.meta.id} --n ${report.n} --seed ${report.seed} --bayes</code>.</p>
    ${report.bayes ? bayesConfusion(report) : ""}
  </div>`;
}

/** Model recovery by Bayesian model selection beside BIC's: which Bayesian model the data of each generating model favour. */
function bayesConfusion(report: RecoveryReport): HTMLElement {
  const b = report.bayes!;
  const models = [...new Set(b.confusion.flatMap((c) => Object.keys(c.frequency)))];
  const pct = (x: number | undefined) => (x === undefined ? "–" : `${(100 * x).toFixed(0)}%`);
  return html`<div class="table-scroll"><table data-table="bmc-recovery">
    <caption>Model recovery by random-effects Bayesian model selection (variational Laplace fits, ${b.prior} priors): posterior model frequencies on each generating model's simulated participant-sessions, and the model with the highest protected exceedance probability.</caption>
    <thead><tr><th>Generating model</th>${models.map((m) => html`<th>${m}</th>`)}<th>Best (pxp)</th></tr></thead>
    <tbody>${b.confusion.map((c) => html`<tr><td>${c.generating}</td>${models.map((m) => html`<td>${pct(c.frequency[m])}</td>`)}<td>${c.best}</td></tr>`)}</tbody>
  </table></div>`;
}

/** Bayesian model selection (when asked for) and the posterior intervals of a Bayesian model's fits. */
export function bayesView(page: StudyPage, fit: FitPhase): HTMLElement | string {
  const groups = page.design.groups;
  const groupOf = page.groupOf;
  const parts: (HTMLElement | string)[] = [];
  const ms = fit.model_selection;
  if (ms) {
    const pxp = ms.overall.protected_exceedance ?? ms.overall.exceedance;
    const best = Object.entries(pxp).sort((a, b) => b[1] - a[1])[0];
    const fam = ms.families;
    parts.push(html`<h3>Bayesian model selection</h3>
      ${withDownloads(responsive((width) => modelSelectionChart(ms.by_group_session, { width, models: ms.models, note: page.note })), "model-selection")}
      <p data-bmc-best=${best?.[0] ?? ""}>Over all ${ms.by_group_session.reduce((s, c) => s + c.n, 0)} participant-sessions, ${best ? html`<b>${best[0]}</b> has the highest ${ms.overall.protected_exceedance ? "protected " : ""}exceedance probability (${best[1].toFixed(2)}; Bayesian omnibus risk ${ms.overall.bor.toFixed(2)})` : "no model stands out"}.${fam ? ` Family comparison, models with an asymmetry against the single rate: protected exceedance ${fam.names.map((n, i) => `${n} ${(fam.protected_exceedance ?? fam.exceedance)[i].toFixed(2)}`).join(", ")}.` : ""} ${ms.notes.join(" ")}</p>`);
  }
  if (fit.fits.some((f) => f.method === "vb")) {
    const rows = fit.fits.flatMap((f) => {
      const iv = posteriorRateIntervals(f)?.asymmetry;
      return iv ? [{ participant_id: f.participant_id, group: groupOf.get(f.participant_id) ?? "", session: f.session, ...iv }] : [];
    });
    if (rows.length) parts.push(withDownloads(responsive((width) => posteriorIntervalsChart(rows, { width, groups, sessions: page.study.meta.sessions, note: page.note })), "posterior-intervals"));
  }
  return parts.length ? html`<div>${parts}</div>` : "";
}
