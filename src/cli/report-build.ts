/**
 * Node only: the report of a study folder written to disk — report.html (figures as inline SVG,
 * drawn with jsdom), report.pdf (headless Chromium, as the figures' PDFs), analysis.json, one CSV
 * per table (tables/), and the R reproduction bundle (r/: reproduce.R and the CSV files it reads).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { analyzeStudy, designOf, type AnalysisResult } from "../lib/analysis/pipeline.js";
import { analysisDocument, designDocument, type AnalysisDocument, type DesignDocument } from "../lib/analysis/report.js";
import type { AnalysisParams } from "../lib/analysis/params.js";
import { analyzeDesign, type DesignAnalysis } from "../lib/designs/analyze.js";
import type { Study } from "../lib/study/types.js";
import { analysisFigures, designReportFigures } from "../figures/report-figures.js";
import { designRBundle } from "../lib/report/r-design.js";
import { analysisRBundle } from "../lib/report/r-script.js";
import { buildReport, reportHtml, type ReportFigure } from "../lib/report/report.js";
import { tableToCsv } from "../lib/report/tables.js";

export interface ReportBuild {
  doc: AnalysisDocument | DesignDocument;
  html: string;
  /** Table id -> CSV. */
  csv: Record<string, string>;
  /** The R bundle: file name -> content. */
  r: Record<string, string>;
  figures: ReportFigure[];
  skipped: { name: string; reason: string }[];
  /** Milliseconds: analysis, figures, HTML + CSV + R bundle. */
  ms: { analysis: number; figures: number; report: number };
}

export interface ReportBuildOptions {
  /** Parameters of a belief-updating study (ignored for crossover / parallel studies). */
  params?: AnalysisParams;
  /** A formula of one's own for the mixed model. */
  lmmFormula?: string;
  /** Validation warnings to carry into the document. */
  warnings?: string[];
  /** Draw the figures (default true). */
  figures?: boolean;
  /** Quoted in the methods. */
  command?: string;
  /** A precomputed analysis (belief-updating) of `study` with `params`. */
  analysis?: AnalysisResult;
}

/** Analyse a study and build its report in memory (no file written). */
export function buildStudyReport(study: Study, options: ReportBuildOptions = {}): ReportBuild {
  const t0 = performance.now();
  const design = study.meta.design;
  const trial = design === "crossover" || design === "parallel";
  let doc: AnalysisDocument | DesignDocument;
  let result: AnalysisResult | null = null;
  let designAnalysis: DesignAnalysis | null = null;
  if (trial) {
    designAnalysis = analyzeDesign(study);
    doc = designDocument(study, designAnalysis, options.warnings ?? []);
  } else {
    if (!options.params) throw new Error("buildStudyReport: a belief-updating study needs its analysis parameters");
    result = options.analysis ?? analyzeStudy(study, options.params, { lmmFormula: options.lmmFormula });
    doc = analysisDocument(study, result, options.warnings ?? []);
  }
  const t1 = performance.now();
  let figures: ReportFigure[] = [];
  let skipped: { name: string; reason: string }[] = [];
  if (options.figures !== false) {
    const { document } = new JSDOM("<!doctype html><html><body></body></html>").window;
    const f = trial ? designReportFigures(study, designAnalysis!, document) : analysisFigures(study, result!, document);
    figures = f.figures;
    skipped = f.skipped;
  }
  const t2 = performance.now();
  const r = trial ? designRBundle(doc as DesignDocument).files : analysisRBundle(study, result!, doc as AnalysisDocument).files;
  const built = buildReport(doc, { command: options.command });
  const csv = Object.fromEntries(built.tables.map((t) => [t.id, tableToCsv(t)]));
  const figuresNote =
    options.figures === false
      ? "Figures were not drawn for this report (--no-figures)."
      : skipped.length
        ? `Left out: ${skipped.map((s) => `${s.name} (${s.reason})`).join("; ")}.`
        : undefined;
  const html = reportHtml(doc, { figures, figuresNote, command: options.command, rFiles: Object.keys(r).map((f) => `r/${f}`) });
  const t3 = performance.now();
  return { doc, html, csv, r, figures, skipped, ms: { analysis: t1 - t0, figures: t2 - t1, report: t3 - t2 } };
}

/** Fonts embedded for the PDF (DejaVu, shipped by dejavu-fonts-ttf) so that it does not depend on the machine's fonts. */
function pdfFontCss(fontDir: string): string {
  const faces: [string, string, string, string][] = [
    ["DejaVu Serif", "DejaVuSerif.ttf", "normal", "normal"],
    ["DejaVu Serif", "DejaVuSerif-Bold.ttf", "bold", "normal"],
    ["DejaVu Serif", "DejaVuSerif-Italic.ttf", "normal", "italic"],
    ["DejaVu Sans", "DejaVuSans.ttf", "normal", "normal"],
    ["DejaVu Sans", "DejaVuSans-Bold.ttf", "bold", "normal"],
    ["DejaVu Sans", "DejaVuSans-Oblique.ttf", "normal", "italic"],
    ["DejaVu Sans Mono", "DejaVuSansMono.ttf", "normal", "normal"],
  ];
  return faces
    .map(([family, file, weight, style]) => `@font-face { font-family: "${family}"; font-weight: ${weight}; font-style: ${style}; src: url(data:font/ttf;base64,${readFileSync(join(fontDir, file)).toString("base64")}) format("truetype"); }`)
    .join("\n");
}

/** Print the report's HTML to an A4 PDF with headless Chromium (throws when Chromium is missing). */
export async function reportPdf(html: string): Promise<Uint8Array> {
  const { chromium } = await import("playwright-core");
  const { CHROMIUM, chromiumAvailable } = await import("../figures/chromium.js");
  const { fontDir } = await import("../figures/png.js");
  if (!chromiumAvailable()) throw new Error(`Chromium not found at ${CHROMIUM}: run 'apt-get install -y chromium' (as root) or set CHROMIUM_PATH`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    await page.setContent(html.replace("</style>", `${pdfFontCss(fontDir())}\n</style>`), { waitUntil: "load" });
    await page.evaluate(async () => {
      await document.fonts.ready;
    });
    const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true, displayHeaderFooter: true, headerTemplate: "<span></span>", footerTemplate: '<div style="font-size:8px;width:100%;text-align:center;font-family:sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>', margin: { top: "16mm", bottom: "16mm", left: "14mm", right: "14mm" } });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}

export interface WrittenReport {
  files: string[];
  build: ReportBuild;
  pdfMs: number | null;
}

/** Write a built report into `out`: report.html, report.pdf (with `pdf`), analysis.json, tables/*.csv, r/*. */
export async function writeReport(build: ReportBuild, out: string, options: { pdf?: boolean } = {}): Promise<WrittenReport> {
  mkdirSync(join(out, "tables"), { recursive: true });
  mkdirSync(join(out, "r"), { recursive: true });
  const files: string[] = [];
  const put = (rel: string, data: string | Uint8Array) => {
    writeFileSync(join(out, rel), data);
    files.push(join(out, rel));
  };
  put("report.html", build.html);
  put("analysis.json", JSON.stringify(build.doc, null, 2) + "\n");
  for (const [id, text] of Object.entries(build.csv)) put(join("tables", `${id}.csv`), text);
  for (const [name, text] of Object.entries(build.r)) put(join("r", name), text);
  let pdfMs: number | null = null;
  if (options.pdf) {
    const t0 = performance.now();
    put("report.pdf", await reportPdf(build.html));
    pdfMs = performance.now() - t0;
  }
  return { files, build, pdfMs };
}

export { designOf };
