/**
 * The report's figures: the kit's own figures (src/figures/registry.ts, design-registry.ts) drawn
 * with a given Document and exported as SVG (src/figures/svg-export.ts), no Chromium needed. The
 * command line passes jsdom's document (src/cli/report-build.ts), the dashboard its own `document`.
 * A figure that the parameters cannot draw (e.g. the bootstrap with boot = 0, the mediation of a
 * design without one) is left out with its reason.
 */
import type { AnalysisResult } from "../lib/analysis/pipeline.js";
import type { DesignAnalysis } from "../lib/designs/analyze.js";
import type { Study } from "../lib/study/types.js";
import { FigureUnavailableError, figureByName, figureContext } from "./registry.js";
import { designFigureContext, designFigures } from "./design-registry.js";
import { exportFigureSvg } from "./svg-export.js";
import type { ReportFigure } from "../lib/report/report.js";

/** The belief-updating figures of a report, in order (the participant panel is the dashboard's, not a paper's). */
export const REPORT_FIGURES = ["updates", "lr-means", "learning-rates", "model-comparison", "mediation", "bootstrap", "sensitivity"] as const;

/** Width of the report's figures: one column of an A4 page (170 mm). */
export const REPORT_FIGURE_WIDTH_MM = 170;

const mmToPx = (mm: number) => Math.round((mm / 25.4) * 96);

export interface ReportFigures {
  figures: ReportFigure[];
  skipped: { name: string; reason: string }[];
}

function exportOne(element: Element, name: string, title: string, caption: string, widthMm: number): ReportFigure {
  const svg = exportFigureSvg(element, { theme: "light", width: mmToPx(widthMm), widthMm });
  return { name, title: svg.title || title, caption: svg.caption || caption, svg: svg.svg };
}

/** The figures of a belief-updating study's analysis (the same analysis the document was made from). */
export function analysisFigures(
  study: Study,
  analysis: AnalysisResult,
  document: Document,
  options: { names?: readonly string[]; widthMm?: number } = {},
): ReportFigures {
  const widthMm = options.widthMm ?? REPORT_FIGURE_WIDTH_MM;
  const ctx = figureContext(study, analysis.params, { document, width: mmToPx(widthMm), theme: "light", analysis });
  const figures: ReportFigure[] = [];
  const skipped: ReportFigures["skipped"] = [];
  for (const name of options.names ?? REPORT_FIGURES) {
    const spec = figureByName(name);
    if (!spec) {
      skipped.push({ name, reason: "unknown figure" });
      continue;
    }
    try {
      const built = spec.build(ctx);
      figures.push(exportOne(built.element, name, spec.title, built.caption, widthMm));
    } catch (e) {
      if (e instanceof FigureUnavailableError) skipped.push({ name, reason: e.message });
      else throw e;
    }
  }
  return { figures, skipped };
}

/** The figures of a crossover or parallel study (its core figures: trajectories, response). */
export function designReportFigures(study: Study, analysis: DesignAnalysis, document: Document, options: { widthMm?: number } = {}): ReportFigures {
  const widthMm = options.widthMm ?? REPORT_FIGURE_WIDTH_MM;
  const ctx = designFigureContext(study, { document, width: mmToPx(widthMm), theme: "light", analysis });
  const figures: ReportFigure[] = [];
  const skipped: ReportFigures["skipped"] = [];
  for (const spec of designFigures(study.meta).filter((f) => f.core)) {
    try {
      const built = spec.build(ctx);
      figures.push(exportOne(built.element, spec.name, spec.title, built.caption, widthMm));
    } catch (e) {
      if (e instanceof FigureUnavailableError) skipped.push({ name: spec.name, reason: e.message });
      else throw e;
    }
  }
  return { figures, skipped };
}
