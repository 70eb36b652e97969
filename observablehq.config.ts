// Observable Framework configuration. See docs/site.md ("How the site builds offline", "Every study gets a dashboard").
//
// Every folder data/<id>/ with a study.json is a study: it gets a dashboard at /studies/<id>/ with the
// pages of src/studies/[study]/ (src/lib/study/catalog.ts lists them and which designs they apply to).
// The sidebar links each study's pages that apply to its design; the build validates every study
// (src/studies/[study]/study.json.ts) and fails on an invalid one.
import { studyEntries } from "./src/lib/study/load.js";
import { STUDY_PAGES, pageUnavailable, studyPagePath } from "./src/lib/study/catalog.js";
import { FIGURE_LIST } from "./src/figures/names.js";

const studies = studyEntries();

export default {
  title: "Belief-updating kit",
  root: "src",
  output: "dist",
  // The default global stylesheet is a web font on a font CDN; the site must load offline.
  globalStylesheets: [],
  style: "style.css",
  pages: [
    { name: "Studies", path: "/" },
    ...studies.map((s) => ({
      name: s.title,
      open: false,
      pages: STUDY_PAGES.filter((p) => pageUnavailable(p, s) === null).map((p) => ({ name: p.title, path: studyPagePath(s.id, p.page) })),
    })),
    { name: "Analyse your study", path: "/analyse" },
    { name: "Plan a study", path: "/plan" },
    { name: "The study folder format", path: "/format" },
  ],
  head: '<link rel="icon" href="data:,"><meta name="description" content="Belief-updating kit: learning from good and bad news, and clinical change">',
  footer: "belief-updating-kit. Each study's pages say whether its data are synthetic.",
  search: false,
  // Every page of every study (also those that do not apply: they say why), and the exported module
  // that lets other pages import a live chart (see docs/figures.md, Embedding).
  // Each belief-updating study's embeddable figures (/studies/<id>/embed/<figure>), and the old
  // /embed/<figure> addresses, which lead to them.
  dynamicPaths: [
    ...studies.flatMap((s) => STUDY_PAGES.map((p) => studyPagePath(s.id, p.page))),
    ...studies.filter((s) => s.design === "belief-updating").flatMap((s) => FIGURE_LIST.map((f) => `/studies/${s.id}/embed/${f.name}`)),
    ...FIGURE_LIST.map((f) => `/embed/${f.name}`),
    "/embed/figures.js",
  ],
  linkify: true,
};
