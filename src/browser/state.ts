/** Page state shared by the dashboard pages: the study, parameters from the URL, URL updates. */
import { parseParams, serializeParams, type AnalysisParams } from "../lib/analysis/params.js";
import { designOf } from "../lib/analysis/pipeline.js";
import type { StudyDesignInfo } from "../lib/analysis/design.js";
import { studyPagePath } from "../lib/study/catalog.js";
import { studyFromDocument, type StudyDocument } from "../lib/study/document.js";
import type { Study } from "../lib/study/types.js";

export interface PageStudy {
  study: Study;
  doc: StudyDocument;
  /** What the study's design allows (groups, sessions, covariates, which analyses apply). */
  design: StudyDesignInfo;
  /** Parameters from the page's URL (defaults where absent). */
  initial: AnalysisParams;
  /** Problems reading the URL's parameters. */
  urlErrors: string[];
  /** Other query keys the page uses (e.g. id on the participant page). */
  query: URLSearchParams;
}

export function pageStudy(doc: StudyDocument, search = typeof location === "undefined" ? "" : location.search): PageStudy {
  const study = studyFromDocument(doc);
  const design = designOf(study);
  const query = new URLSearchParams(search);
  const own = new URLSearchParams(query);
  own.delete("id");
  const { params, errors } = parseParams(own, design);
  return { study, doc, design, initial: params, urlErrors: errors, query };
}

/**
 * Make the sidebar's links to this study's pages carry the parameters shown (the sidebar is static
 * HTML; its links otherwise drop the settings between pages).
 */
export function carryParamsToSidebar(page: PageStudy, params: AnalysisParams): void {
  if (typeof document === "undefined") return;
  const s = serializeParams(params, page.design);
  const q = s ? `?${s}` : "";
  const prefix = studyPagePath(page.study.meta.id, "");
  for (const a of document.querySelectorAll<HTMLAnchorElement>("#observablehq-sidebar a[href]")) {
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !(url.pathname + "/").startsWith(prefix)) continue;
    a.href = `${url.pathname}${q}`;
  }
}

/** Write the parameters (and extra keys such as id) into the URL without reloading; the sidebar's links to the study's pages carry them too. */
export function syncUrl(page: PageStudy, params: AnalysisParams, extra: Record<string, string> = {}): string {
  const q = serializeParams(params, page.design);
  const sp = new URLSearchParams(q);
  for (const [k, v] of Object.entries(extra)) sp.set(k, v);
  const s = sp.toString().replace(/%2C/g, ",");
  const url = `${location.pathname}${s ? `?${s}` : ""}`;
  if (url !== `${location.pathname}${location.search}`) history.replaceState(history.state, "", url);
  carryParamsToSidebar(page, params);
  return s;
}

/** A link to another dashboard page with the same parameters. */
export function linkTo(page: PageStudy, path: string, params: AnalysisParams, extra: Record<string, string> = {}): string {
  const sp = new URLSearchParams(serializeParams(params, page.design));
  for (const [k, v] of Object.entries(extra)) sp.set(k, v);
  const s = sp.toString().replace(/%2C/g, ",");
  return `${path}${s ? `?${s}` : ""}`;
}
