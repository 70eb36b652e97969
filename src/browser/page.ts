/**
 * The one page helper of a study's dashboard pages (src/studies/[study]/*.md): the study and its
 * parameters from the URL, the synthetic banner, the caption note, the navigation between the
 * study's pages (carrying the shared parameters, also in the sidebar), and the message of a page that
 * does not apply to the study's design. Pages load, call these, and lay out.
 */
import { html } from "htl";
import { mediationUnavailable } from "../lib/analysis/design.js";
import type { AnalysisParams } from "../lib/analysis/params.js";
import { serializeParams } from "../lib/analysis/params.js";
import { STUDY_PAGES, pageUnavailable, studyPagePath, type StudyPageId } from "../lib/study/catalog.js";
import type { StudyDocument } from "../lib/study/document.js";
import { syntheticBannerText, syntheticNote } from "../lib/study/provenance.js";
import { pageStudy, type PageStudy } from "./state.js";
import { reportButton } from "./report-button.js";
import { tableDownloads } from "./table-csv.js";

export interface StudyPage extends PageStudy {
  /** The caption note of the study's charts ("" for real data). */
  note: string;
  groupOf: Map<string, string>;
  /** Why this page does not apply to the study (null when it does). */
  unavailable: string | null;
}

/** Why a page does not apply to a loaded study, from its design (the catalogue's rule, with the data's own answer for the mediation). */
function unavailableFor(page: PageStudy, id: StudyPageId): string | null {
  const spec = STUDY_PAGES.find((p) => p.page === id)!;
  const meta = page.study.meta;
  const design = meta.design ?? "belief-updating";
  const base = pageUnavailable(spec, { design, sessions: meta.sessions.length, clinical: true });
  if (base !== null || spec.needs !== "mediation") return base;
  return mediationUnavailable(page.design);
}

export function loadStudyPage(doc: StudyDocument, id: StudyPageId, search?: string): StudyPage {
  const page = pageStudy(doc, search);
  // Every table the page shows gets its CSV download.
  if (typeof document !== "undefined") tableDownloads(document.querySelector("#observablehq-main") ?? document.body, page.study.meta.id);
  return {
    ...page,
    note: syntheticNote(page.study.meta) ?? "",
    groupOf: new Map(page.study.participants.map((p) => [p.participant_id, p.group])),
    unavailable: unavailableFor(page, id),
  };
}

/** The banner of a synthetic study (nothing for real data). */
export function syntheticBanner(page: Pick<PageStudy, "study">): HTMLElement | string {
  const text = syntheticBannerText(page.study.meta);
  return text === null ? "" : html`<div class="synthetic-banner" data-synthetic="true"><strong>Synthetic data.</strong> ${text}</div>`;
}

/** What a page that does not apply shows instead of its content. */
export function unavailableNote(page: StudyPage): HTMLElement {
  return html`<p class="not-applicable" data-not-applicable="true">This page does not apply to ${page.study.meta.title}: ${page.unavailable}. See the <a href=${studyPagePath(page.study.meta.id, "")}>study's overview</a>.</p>`;
}

/** Query string of the parameters that differ from the defaults, for links to the study's other pages. */
function sharedQuery(page: PageStudy, params: AnalysisParams): string {
  const q = serializeParams(params, page.design);
  return q ? `?${q}` : "";
}

/** Links to the study's pages that apply, carrying the parameters shown, and the Report button for them. */
export function studyNav(page: StudyPage, params: AnalysisParams, current: StudyPageId): HTMLElement {
  const q = sharedQuery(page, params);
  const id = page.study.meta.id;
  const links = STUDY_PAGES.filter((p) => p.page !== current && unavailableFor(page, p.page) === null).map(
    (p) => html`<a href=${`${studyPagePath(id, p.page)}${q}`} data-study-link=${p.page}>${p.title.toLowerCase()}</a>`,
  );
  return html`<p class="study-nav">Explore: ${links.flatMap((a, i) => (i ? [" · ", a] : [a]))}. ${reportButton(page, params)}</p>`;
}
