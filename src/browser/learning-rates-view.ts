/** The model comparison and the parameter recovery of the Learning-rates page. */
import { html } from "htl";
import type { FitPhase } from "../lib/analysis/pipeline.js";
import { groupComparison } from "../lib/models/comparison.js";
import type { RecoveryReport } from "../lib/models/recovery.js";
import { bestModelTable, modelComparisonChart } from "../components/model-comparison.js";
import { recoveryChart } from "../components/recovery-chart.js";
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
    <p>${cmp.notes.join(" ")}${fit.hierarchical ? ` Integrated BIC (hierarchical): ${cmp.totals.map((t) => `${t.model} ${t.ibic?.toFixed(1) ?? "–"}`).join(", ")}.` : ""}</p>
  </div>`;
}

export function recoveryView(page: StudyPage, report: RecoveryReport): HTMLElement {
  const rec = report.parameters.filter((p) => p.model === "valence" && p.method === "ml");
  const points = report.points.filter((p) => p.model === "valence" && p.method === "ml");
  const d = report.design;
  return html`<div data-recovery=${rec.map((p) => `${p.parameter}:${p.r?.toFixed(2)}`).join(",")}>
    ${responsive((width) => recoveryChart(points, rec, { width, parameters: ["alpha_good", "alpha_bad", "asymmetry", "sigma"], note: `Simulated from known parameters with this study's design (its first estimates and base rates), refitted with the valence model; seed ${report.seed}, ${report.n} simulated participant-sessions per model.` }))}
    <p>With this study's trial designs (${d.trials_mean.toFixed(1)} scored trials per session on average, mean |EE| ${d.abs_ee_mean.toFixed(1)} points), the correlation between true and recovered parameters is ${rec.map((p) => `${p.parameter} ${p.r?.toFixed(2)}`).join(", ")}. Model recovery (share of simulated participant-sessions for which each model has the lowest BIC): ${report.confusion.map((c) => `${c.generating}-generated data → ${Object.entries(c.proportion).map(([m, x]) => `${m} ${(100 * x).toFixed(0)}%`).join(", ")}`).join("; ")}. The same numbers come from <code>belief-kit recovery data/${page.study.meta.id} --n ${report.n} --seed ${report.seed}</code>.</p>
  </div>`;
}
