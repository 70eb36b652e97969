/**
 * Embeddable live charts (a Framework "exported module": observablehq.config.ts lists
 * "/embed/figures.js" in dynamicPaths, so the build writes it at that stable path). Another page
 * can import it and draw a chart of the kit with the dashboard's parameters:
 *
 *   import {figure} from "https://<site>/embed/figures.js";
 *   document.body.append(await figure("mediation-scatter", {params: "?med=pre,post1&boot=2000", width: 640}));
 *
 * The site's default study travels with the module (a FileAttachment, src/data/embed-study.json.ts:
 * the bundled study when it is in data/); `study` may also be the URL of a study document (what
 * `belief-kit` loaders write: src/lib/study/document.ts) or the document itself.
 */
import { FileAttachment } from "observablehq:stdlib";
import { downloadButtons } from "../browser/download.js";
import type { StudyDocument } from "../lib/study/document.js";
import type { EmbedOptions } from "./core.js";

// The charts' code (Plot, d3, the pipeline) is imported dynamically: Framework 1.13 cannot compute
// the static preloads of an exported module whose static imports reach node_modules packages with
// dependencies of their own ("Cannot find module 'd3@7.9.2/index.js'" at build time).
const core = () => import("./core.js");

/** The figure names (see src/figures/registry.ts). */
export const FIGURE_NAMES = ["updates", "learning-rates", "mediation", "bootstrap", "participant", "lr-means", "sensitivity", "model-comparison", "mediation-scatter"] as const;

export interface FigureOptions extends EmbedOptions {
  /** Absent: the site's default study; else the URL of a study document, or the document itself. */
  study?: string | URL | StudyDocument;
  /** Add Download SVG / PNG buttons under the chart. */
  downloads?: boolean;
}

const cache = new Map<string, Promise<StudyDocument>>();

/** The study document: the site's default one, or fetched from a URL. */
export function loadStudy(study?: string | URL): Promise<StudyDocument> {
  const key = study === undefined ? "" : String(study);
  let p = cache.get(key);
  if (!p) {
    if (key === "")
      p = FileAttachment("../data/embed-study.json")
        .json()
        .then((doc: StudyDocument | null) => {
          if (doc === null) throw new Error("this site has no belief-updating study to draw: pass the study document (or its URL) as the study option");
          return doc;
        });
    else {
      const url = new URL(key, location.href);
      p = fetch(url).then((r) => {
        if (!r.ok) throw new Error(`study ${key}: HTTP ${r.status} for ${url}`);
        return r.json() as Promise<StudyDocument>;
      });
    }
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/**
 * A live chart of the kit: `name` is one of FIGURE_NAMES (updates, learning-rates, mediation,
 * mediation-scatter, bootstrap, participant, lr-means, sensitivity, model-comparison). Throws when
 * the parameters cannot be read or the figure cannot be drawn with them.
 */
export async function figure(name: string, options: FigureOptions = {}): Promise<HTMLElement> {
  const doc = typeof options.study === "object" && !(options.study instanceof URL) ? options.study : await loadStudy(options.study);
  const { prepareEmbedding } = await core();
  const e = prepareEmbedding(doc, options);
  if (e.errors.length) throw new Error(`invalid parameters: ${e.errors.join("; ")}`);
  const built = e.render(name, options.width);
  const element = built.element as HTMLElement;
  if (!options.downloads) return element;
  const box = document.createElement("div");
  box.append(element, downloadButtons(element, { name }));
  return box;
}

export const updates = (options?: FigureOptions) => figure("updates", options);
export const learningRates = (options?: FigureOptions) => figure("learning-rates", options);
export const mediation = (options?: FigureOptions) => figure("mediation", options);
export const mediationScatter = (options?: FigureOptions) => figure("mediation-scatter", options);
export const bootstrap = (options?: FigureOptions) => figure("bootstrap", options);
export const participant = (options?: FigureOptions) => figure("participant", options);
