/**
 * The Report button of a study's dashboard: the methods and results report (src/lib/report) of the
 * analysis with the parameters shown, with its figures, as one self-contained HTML file. The
 * analysis runs when the button is pressed (the bootstrap included), so the file is what
 * `belief-kit report <study> --params "<this page's URL>"` writes.
 */
import { html } from "htl";
import type { AnalysisParams } from "../lib/analysis/params.js";
import { analyzeStudy } from "../lib/analysis/pipeline.js";
import { analysisDocument, designDocument } from "../lib/analysis/report.js";
import { analyzeDesign } from "../lib/designs/analyze.js";
import { reportBlob } from "../lib/report/report.js";
import { analysisFigures, designReportFigures } from "../figures/report-figures.js";
import type { PageStudy } from "./state.js";

/** The report as a Blob, for the study and parameters (the dashboard's document draws the figures). */
export function studyReport(page: Pick<PageStudy, "study">, params: AnalysisParams, command: string): Blob {
  const study = page.study;
  const design = study.meta.design ?? "belief-updating";
  if (design === "crossover" || design === "parallel") {
    const analysis = analyzeDesign(study);
    const { figures } = designReportFigures(study, analysis, document);
    return reportBlob(designDocument(study, analysis), { figures, command });
  }
  const result = analyzeStudy(study, params);
  const { figures } = analysisFigures(study, result, document);
  return reportBlob(analysisDocument(study, result), { figures, command });
}

export function reportButton(page: Pick<PageStudy, "study">, params: AnalysisParams): HTMLElement {
  const status = html`<span class="report-status" role="status"></span>` as HTMLElement;
  const button = html`<button type="button" data-report="html">Report (HTML)</button>` as HTMLButtonElement;
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = " building the methods and results report…";
    // Let the status paint before the analysis runs.
    setTimeout(() => {
      try {
        const t0 = performance.now();
        const blob = studyReport(page, params, `dashboard: ${location.href}`);
        const a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = `${page.study.meta.id}-report.html`;
        document.body.append(a);
        a.click();
        a.remove();
        status.textContent = ` ${a.download} (${((performance.now() - t0) / 1000).toFixed(1)} s); the R script that reproduces it: belief-kit report`;
      } catch (e) {
        status.textContent = ` the report could not be built: ${(e as Error).message}`;
      } finally {
        button.disabled = false;
      }
    }, 30);
  });
  return html`<span class="report-button">${button}${status}</span>` as HTMLElement;
}
