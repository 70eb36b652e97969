/**
 * The methods-and-results report of an analysis: one self-contained HTML page (no script, no
 * external resource; figures as inline SVG) built from the analyze document alone, for the
 * command line (`belief-kit report`) and the dashboard's Report button alike. Pure: no DOM, no
 * Node API (reportBlob uses the Blob of browsers and Node ≥ 18).
 *
 *   reportHtml(doc, { figures, command })  -> string
 *   reportBlob(doc, options)                -> Blob (text/html)
 *   reportText(doc)                         -> the paragraphs as plain text
 *   buildReport(doc)                        -> the parts (paragraphs, tables, warnings) as data
 */
import type { AnalysisDocument, DesignDocument } from "../analysis/report.js";
import { designMethodsParagraphs, designResultsParagraphs } from "./design-paragraphs.js";
import { KIT_NAME, methodsParagraphs, resultsParagraphs } from "./paragraphs.js";
import { escapeHtml, paragraphHtml, paragraphText, type Paragraph } from "./parts.js";
import { analysisTables, designTables, tableToHtml, type ReportTable } from "./tables.js";

export type AnyDocument = AnalysisDocument | DesignDocument;

export function isDesignDocument(doc: AnyDocument): doc is DesignDocument {
  return "outcomes" in doc && (doc.design === "crossover" || doc.design === "parallel");
}

/** A figure of the report: an SVG from the kit's figure registry (src/figures/report-figures.ts). */
export interface ReportFigure {
  name: string;
  title: string;
  caption: string;
  /** The SVG document (an XML declaration, if any, is dropped). */
  svg: string;
}

export interface ReportOptions {
  /** Figures to include (inline SVG); without them the report says it has tables only. */
  figures?: readonly ReportFigure[];
  /** Why there are no figures (shown when `figures` is empty). */
  figuresNote?: string;
  /** The command (or dashboard link) that reproduces the analysis, quoted in the methods. */
  command?: string;
  /** The files of the R reproduction bundle shipped with the report (report/r-script.ts), listed in its section. */
  rFiles?: readonly string[];
  /** Date of the report (ISO), shown in the footer; default: none (the report is then byte-stable). */
  generated?: string;
}

export interface BuiltReport {
  title: string;
  synthetic: boolean;
  design: "belief-updating" | "crossover" | "parallel";
  methods: Paragraph[];
  results: Paragraph[];
  tables: ReportTable[];
  warnings: string[];
}

export function buildReport(doc: AnyDocument, options: Pick<ReportOptions, "command"> = {}): BuiltReport {
  if (isDesignDocument(doc))
    return {
      title: doc.study.title,
      synthetic: doc.study.synthetic,
      design: doc.design,
      methods: designMethodsParagraphs(doc, options),
      results: designResultsParagraphs(doc),
      tables: designTables(doc),
      warnings: doc.warnings,
    };
  const d = doc as AnalysisDocument;
  return {
    title: d.study.title,
    synthetic: d.study.synthetic,
    design: "belief-updating",
    methods: methodsParagraphs(d, options),
    results: resultsParagraphs(d),
    tables: analysisTables(d),
    warnings: [...d.lmm.notes.map((n) => `lmm: ${n}`), ...d.warnings],
  };
}

/** The methods and results as plain text (paragraph titles as run-in headings). */
export function reportText(doc: AnyDocument, options: Pick<ReportOptions, "command"> = {}): string {
  const r = buildReport(doc, options);
  const para = (p: Paragraph) => `${p.title}. ${paragraphText(p)}`;
  return [r.title, "", "Methods", ...r.methods.map(para), "", "Results", ...r.results.map(para), ""].join("\n");
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Serif", "Times New Roman", Georgia, serif; font-size: 11pt; line-height: 1.45; color: #111; background: #fff; max-width: 180mm; margin: 12mm auto; padding: 0 6mm; }
h1 { font-size: 17pt; line-height: 1.2; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 18pt 0 6pt; border-bottom: 1px solid #bbb; padding-bottom: 2pt; }
p { margin: 0 0 8pt; text-align: justify; hyphens: auto; }
p .run-in { font-weight: bold; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 9pt; background: #f3f3f3; padding: 0 2px; overflow-wrap: anywhere; }
.banner { border: 2px solid #b00; color: #b00; font-family: "DejaVu Sans", Arial, sans-serif; font-weight: bold; padding: 6pt 8pt; margin: 8pt 0 12pt; }
.meta { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9pt; color: #444; }
figure { margin: 12pt 0; break-inside: avoid; page-break-inside: avoid; }
figure.table figcaption, figure.chart figcaption { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; margin-bottom: 4pt; }
table { border-collapse: collapse; font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; width: 100%; }
thead th { border-top: 1.5px solid #000; border-bottom: 1px solid #000; text-align: left; padding: 2pt 4pt; font-weight: normal; }
tbody tr:last-child td { border-bottom: 1.5px solid #000; }
td { padding: 1.5pt 4pt; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.note { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; margin-top: 3pt; text-align: left; }
figure.chart svg { width: 100%; height: auto; display: block; }
ul.warnings { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; padding-left: 14pt; }
ul.files { font-size: 10pt; }
footer { margin-top: 20pt; font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.5pt; color: #444; border-top: 1px solid #bbb; padding-top: 4pt; }
@page { size: A4; margin: 16mm 14mm; }
@media print { body { margin: 0 auto; padding: 0; max-width: none; } h2 { break-after: avoid; page-break-after: avoid; } }
`;

const MAX_WARNINGS = 200;

/** Inline SVG: the XML declaration and any script or event attribute removed (the figure exporter writes none). */
function inlineSvg(svg: string): string {
  return svg
    .replace(/^\s*<\?xml[^>]*>\s*/, "")
    .replace(/<!DOCTYPE[^>]*>/i, "")
    .replace(/<script[\s\S]*?<\/script\s*>/gi, "")
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, "");
}

/** The self-contained HTML page of the report. */
export function reportHtml(doc: AnyDocument, options: ReportOptions = {}): string {
  const r = buildReport(doc, options);
  const para = (p: Paragraph) => (p.sentences.length ? `<p id="${escapeHtml(p.id)}"><span class="run-in">${escapeHtml(p.title)}.</span> ${paragraphHtml(p)}</p>` : "");
  const shown = r.tables.filter((t) => t.inReport);
  const tables = shown.map((t, i) => tableToHtml(t, i + 1)).join("\n");
  const csvOnly = r.tables.filter((t) => !t.inReport);
  const figures = options.figures ?? [];
  const figureHtml = figures.length
    ? figures
        .map(
          (f, i) =>
            `<figure class="chart" id="figure-${escapeHtml(f.name)}" aria-label="${escapeHtml(f.title)}"><figcaption><b>Figure ${i + 1}.</b></figcaption>${inlineSvg(f.svg)}</figure>`,
        )
        .join("\n")
    : `<p>${escapeHtml(options.figuresNote ?? "This report has tables only: no figure was drawn.")}</p>`;
  const warnings = r.warnings.length
    ? `<ul class="warnings">${r.warnings
        .slice(0, MAX_WARNINGS)
        .map((w) => `<li>${escapeHtml(w)}</li>`)
        .join("")}${r.warnings.length > MAX_WARNINGS ? `<li>… and ${r.warnings.length - MAX_WARNINGS} more (in the analysis JSON)</li>` : ""}</ul>`
    : "<p>The analysis gave no warnings.</p>";
  const rFiles = options.rFiles?.length
    ? `<h2>Reproduce in R</h2><p>The script <code>reproduce.R</code>, shipped with this report, reruns ${
        r.design === "belief-updating" ? "the least-squares learning rates, the mixed model (lme4 and lmerTest) and the mediation (Montoya &amp; Hayes, 2017, with the kit's bootstrap resamples)" : "the mixed models or ANCOVAs (lme4, lmerTest, lm), the response intervals and the exact tests"
      } from the files below and prints each number beside the kit's, with the difference: <code>Rscript reproduce.R</code> in the folder of the files.</p><ul class="files">${options.rFiles.map((f) => `<li><code>${escapeHtml(f)}</code></li>`).join("")}</ul>`
    : "";
  const synthetic = r.synthetic ? `<div class="banner">SYNTHETIC DATA: a simulated cohort calibrated to published summary statistics, not patient data.</div>` : "";
  const kit = (doc as { kit_version: string }).kit_version;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(`${KIT_NAME} ${kit}`)}">
<title>${escapeHtml(`Report: ${r.title}`)}</title>
<style>${CSS}</style></head>
<body>
<header><h1>${escapeHtml(r.title)}</h1>
<p class="meta">Methods and results report of the ${escapeHtml(r.design)} analysis · ${escapeHtml(`${KIT_NAME} ${kit}`)}${options.generated ? ` · ${escapeHtml(options.generated)}` : ""}</p>
${synthetic}</header>
<main>
<h2>Methods</h2>
${r.methods.map(para).join("\n")}
<h2>Results</h2>
${r.results.map(para).join("\n")}
<h2>Tables</h2>
${tables}
${csvOnly.length ? `<p class="note">Also as CSV only: ${csvOnly.map((t) => escapeHtml(t.title)).join("; ")}.</p>` : ""}
<h2>Figures</h2>
${figureHtml}
<h2>Warnings</h2>
${warnings}
${rFiles}
</main>
<footer>Every sentence and number of this report was generated from the analysis document by ${escapeHtml(`${KIT_NAME} ${kit}`)}${r.synthetic ? "; the data are synthetic" : ""}.</footer>
</body></html>
`;
}

/** The report as a Blob (text/html), for the dashboard's Report button. */
export function reportBlob(doc: AnyDocument, options: ReportOptions = {}): Blob {
  return new Blob([reportHtml(doc, options)], { type: "text/html;charset=utf-8" });
}
