/**
 * Live charts for other pages: the study document and a dashboard URL query in, the chart element
 * out, drawn by the figure registry (the same code as the dashboard and `npm run figures`). Pure
 * apart from the document it draws into; src/embed/figures.ts loads the study in the browser.
 */
import { parseParams, type AnalysisParams } from "../lib/analysis/params.js";
import { analyzeStudy, sessionsByGroup, type AnalysisResult, designOf } from "../lib/analysis/pipeline.js";
import { studyFromDocument, type StudyDocument } from "../lib/study/document.js";
import type { Study } from "../lib/study/types.js";
import { FIGURE_NAMES, figureByName, type BuiltFigure } from "../figures/registry.js";
import { EXPORT_PADDING } from "../figures/svg-export.js";

export interface EmbedOptions {
  /** Dashboard parameters: a URL or its query ("?med=pre,post1&boot=2000"), URLSearchParams, or an object. Default: the dashboard's defaults. */
  params?: string | URLSearchParams | Record<string, unknown>;
  /** Width of the chart in px (default 640). */
  width?: number;
  /** Participant of the participant panel (also read from the query's `id`). */
  participant?: string;
  /** Draw into this document (default: the global one). */
  document?: Document;
}

/** Query keys of the embed pages that are not analysis parameters. */
const PAGE_KEYS = ["id", "downloads", "figure"];

export interface Embedding {
  study: Study;
  params: AnalysisParams;
  /** Parameters that could not be read (their defaults are used). */
  errors: string[];
  participant: string | undefined;
  analysis: AnalysisResult;
  /** Draw a figure at `width` px. */
  render(name: string, width?: number): BuiltFigure;
}

function toQuery(params: EmbedOptions["params"]): { input: string | Record<string, unknown>; id?: string } {
  if (params === undefined) return { input: "" };
  if (typeof params === "string" || params instanceof URLSearchParams) {
    const text = typeof params === "string" ? params.replace(/#.*$/, "") : params.toString();
    const q = new URLSearchParams(text.includes("?") ? text.slice(text.indexOf("?") + 1) : text);
    const id = q.get("id") ?? undefined;
    for (const k of PAGE_KEYS) q.delete(k);
    return { input: q.toString(), id };
  }
  const { id, participant, downloads: _d, figure: _f, ...rest } = params as Record<string, unknown>;
  return { input: rest, id: (participant ?? id) as string | undefined };
}

/** Parse the parameters and run the analysis once; then draw any figure at any width. */
export function prepareEmbedding(doc: StudyDocument, options: EmbedOptions = {}): Embedding {
  const study = studyFromDocument(doc);
  const { input, id } = toQuery(options.params);
  const { params, errors } = parseParams(input, designOf(study));
  const participant = options.participant ?? id;
  const analysis = analyzeStudy(study, params);
  const document = options.document ?? (globalThis as { document?: Document }).document;
  return {
    study,
    params,
    errors,
    participant,
    analysis,
    render(name, width = options.width ?? 640) {
      const spec = figureByName(name);
      if (!spec) throw new Error(`unknown figure ${JSON.stringify(name)}; known: ${FIGURE_NAMES.join(", ")}`);
      if (!document) throw new Error("no document to draw into");
      // The registry's width is the exported figure's, which adds a margin on each side.
      return spec.build({ study, analysis, params, document, width: width + 2 * EXPORT_PADDING, theme: "light", participant });
    },
  };
}

/** One chart element for `name` (see FIGURE_NAMES); throws when the parameters cannot be read. */
export function embedFigure(doc: StudyDocument, name: string, options: EmbedOptions = {}): HTMLElement | SVGSVGElement {
  const e = prepareEmbedding(doc, options);
  if (e.errors.length) throw new Error(`invalid parameters: ${e.errors.join("; ")}`);
  return e.render(name).element;
}

export { FIGURE_NAMES };
