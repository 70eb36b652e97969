/** The Data and methods page: the study's tables with CSV downloads, and the equations (MathML made at build time). */
import * as Inputs from "@observablehq/inputs";
import { html } from "htl";
import { analyzeStudy } from "../lib/analysis/pipeline.js";
import { analysisDocument } from "../lib/analysis/report.js";
import { toCsv } from "../lib/study/csv.js";
import { analyzeDesign } from "../lib/designs/analyze.js";
import { designDocument } from "../lib/analysis/report.js";
import { analysisTables, designTables, tableToCsv, type ReportTable } from "../lib/report/tables.js";
import type { StudyPage } from "./page.js";

/** A link that downloads text as a file (the Blob is made when clicked). */
export function downloadLink(name: string, text: () => string, type = "text/csv"): HTMLAnchorElement {
  const a = html`<a class="download" href="#" download=${name}>Download ${name}</a>` as HTMLAnchorElement;
  a.addEventListener("click", () => {
    a.href = URL.createObjectURL(new Blob([text()], { type }));
  });
  return a;
}

/** CSV of rows of objects (nested values as JSON). */
export function csvOf(rows: readonly Record<string, unknown>[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return toCsv(cols, rows.map((r) => cols.map((c) => {
    const v = r[c];
    return typeof v === "object" && v !== null ? JSON.stringify(v) : (v as string | number | null | undefined);
  })));
}

/** A table with its CSV download; columns sized to their content (a header is never cut). */
function table(rows: readonly Record<string, unknown>[], file: string): HTMLElement {
  return html`<div class="data-table">${Inputs.table(rows as Record<string, unknown>[], { rows: 8, layout: "auto" })}${downloadLink(file, () => csvOf(rows))}</div>`;
}

export function dataTables(page: StudyPage): HTMLElement {
  const { study } = page;
  const meta = study.meta;
  const participants = study.participants.map((p) => ({ participant_id: p.participant_id, group: p.group, age: p.age, sex: p.sex, education_years: p.education_years, ...p.extra }));
  const parts: (HTMLElement | string)[] = [html`<h3>Participants (${study.participants.length})</h3>`, table(participants, `${meta.id}-participants.csv`)];
  const belief = (meta.design ?? "belief-updating") === "belief-updating";
  const result = belief ? analyzeStudy(study, page.initial) : null;
  const analysis = result ? analysisDocument(study, result) : null;
  if (result && analysis) {
    const fits = analysis.fits.map(({ params: _p, ...f }) => f);
    parts.push(
      html`<h3>Learning-rate fits (${analysis.options.model} model, one row per participant × session)</h3>`,
      table(fits, `${meta.id}-fits-${analysis.options.model}.csv`),
      html`<h3>Mean update per participant, session and valence (the mixed model's data)</h3>`,
      table(result.describe.cells as unknown as Record<string, unknown>[], `${meta.id}-update-cells.csv`),
    );
    if (study.events) parts.push(html`<h3>Events (${study.events.length})</h3>`, table(study.events.map((e) => ({ event_id: e.event_id, valence: e.valence, ...e.extra })), `${meta.id}-events.csv`));
    parts.push(
      html`<p>Trials (${study.trials.length.toLocaleString("en-US")}): ${downloadLink(`${meta.id}-trials.csv`, () => csvOf(study.trials as unknown as Record<string, unknown>[]))} · the whole analysis: ${downloadLink(`${meta.id}-analysis.json`, () => JSON.stringify(analysis, null, 2), "application/json")}</p>`,
    );
  }
  if (study.clinical.length) parts.push(html`<h3>Clinical scores</h3>`, table(study.clinical as unknown as Record<string, unknown>[], `${meta.id}-clinical.csv`));
  parts.push(analysisTableLinks(meta.id, analysis ? analysisTables(analysis) : designTables(designDocument(study, analyzeDesign(study)))));
  return html`<div>${parts}</div>`;
}

/**
 * The analysis's tables at full precision (the report's, src/lib/report/tables.ts): one CSV each,
 * intervals as <name>_low and <name>_high, for the parameters of the page's URL.
 */
function analysisTableLinks(id: string, tables: readonly ReportTable[]): HTMLElement {
  return html`<div data-analysis-tables><h3>The analysis's tables, at full precision</h3>
    <p>The tables of the report (the numbers unrounded, for a paper's supplement or another program):</p>
    <ul>${tables.map((t) => html`<li>${t.title}: ${downloadLink(`${id}-${t.id}.csv`, () => tableToCsv(t))}</li>`)}</ul></div>`;
}

/** The equations, each with its label (MathML from src/data/equations.json.ts, made from the kit's own TeX). */
export function equationList(equations: readonly { label: string; tex: string; mathml: string }[]): HTMLElement {
  const list = html`<div class="equations"></div>` as HTMLElement;
  for (const e of equations) {
    const item = html`<figure class="equation"><figcaption>${e.label}</figcaption><div class="math"></div></figure>` as HTMLElement;
    // Trusted markup: rendered at build time by KaTeX from the TeX in src/lib/analysis/equations.ts, never from a study's files.
    item.querySelector(".math")!.innerHTML = e.mathml;
    item.dataset.tex = e.tex;
    list.append(item);
  }
  return list;
}
