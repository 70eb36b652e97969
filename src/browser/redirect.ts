/**
 * A page that moved: go to its new address with the same query string (the parameters of a shared
 * link keep working), and show the link for a browser that does not follow. The old single-study
 * addresses (/updates, /crossover, …) lead to the study they showed (catalog.ts, legacyStudy).
 */
import { html } from "htl";
import { legacyStudy, studyPagePath, type StudyEntry, type StudyPageId } from "../lib/study/catalog.js";

export function redirectTo(path: string): HTMLElement {
  const target = `${path}${typeof location === "undefined" ? "" : location.search}`;
  if (typeof location !== "undefined") location.replace(target);
  return html`<p>This page moved to <a href=${target}>${path.replace(/^\.\//, "/")}</a>.</p>`;
}

/**
 * An old address of a study page: to that page of the study it showed, or to the list of studies
 * when there is none. `root` is the site's root relative to the page ("." at the top, ".." one folder down).
 */
export function redirectToStudyPage(catalog: readonly Pick<StudyEntry, "id" | "design">[], design: StudyEntry["design"], page: StudyPageId | `embed/${string}`, root = "."): HTMLElement {
  const id = legacyStudy(catalog, design);
  if (id === null) return html`<p>This page moved to each study's dashboard, and data/ holds no ${design} study. <a href=${`${root}/`}>The studies</a>.</p>`;
  return redirectTo(`${root}${studyPagePath(id, page)}`);
}
