/**
 * The pages of a study's dashboard and which designs they apply to: the one list that the site's
 * sidebar and routes (observablehq.config.ts), the front page and every page's navigation read.
 */

export type StudyPageId = "" | "updates" | "learning-rates" | "mediation" | "participant" | "data";

export interface StudyPageSpec {
  /** Path below /studies/<id>/ ("" is the overview). */
  page: StudyPageId;
  title: string;
  /** What the page needs of a study. */
  needs: "any" | "belief-updating" | "mediation";
}

export const STUDY_PAGES: readonly StudyPageSpec[] = [
  { page: "", title: "Overview", needs: "any" },
  { page: "updates", title: "Updates", needs: "belief-updating" },
  { page: "learning-rates", title: "Learning rates", needs: "belief-updating" },
  { page: "mediation", title: "Mediation", needs: "mediation" },
  { page: "participant", title: "Participant", needs: "belief-updating" },
  { page: "data", title: "Data and methods", needs: "any" },
];

/** What the catalogue knows of a study without analysing it (study.json and which files exist). */
export interface StudyEntry {
  id: string;
  title: string;
  design: "belief-updating" | "crossover" | "parallel";
  synthetic: boolean;
  sessions: number;
  /** study.json declares a clinical scale and the folder has clinical.csv. */
  clinical: boolean;
}

/** Why a page does not apply to a study (null when it does). */
export function pageUnavailable(spec: Pick<StudyPageSpec, "needs" | "title">, entry: Pick<StudyEntry, "design" | "sessions" | "clinical">): string | null {
  if (spec.needs === "any") return null;
  if (entry.design !== "belief-updating") return `the ${spec.title} page belongs to belief-updating studies; this is a ${entry.design} trial, whose analyses are on its overview`;
  if (spec.needs === "mediation") {
    if (!entry.clinical) return "the mediation needs clinical scores (clinical.csv), which this study does not have";
    if (entry.sessions < 2) return "the mediation needs two sessions (a change of the mediator and of the clinical score), and this study has one";
  }
  return null;
}

/** The URL of a study page (relative to the site root). */
export function studyPagePath(id: string, page: StudyPageId | `embed/${string}`): string {
  return `/studies/${id}/${page}`;
}

/**
 * The studies the site's first addresses showed (/updates, /mediation, … the ketamine study;
 * /crossover and /parallel the two trials), before every study had its own dashboard.
 */
const LEGACY_STUDIES: Record<StudyEntry["design"], string> = { "belief-updating": "ketamine-trd", crossover: "williams2018-naltrexone", parallel: "murrough2013-midazolam" };

/** Where an old address of a design leads: the study it showed when it is in data/, else the first study of that design (null: none). */
export function legacyStudy(catalog: readonly Pick<StudyEntry, "id" | "design">[], design: StudyEntry["design"]): string | null {
  const own = catalog.filter((s) => s.design === design);
  return own.find((s) => s.id === LEGACY_STUDIES[design])?.id ?? own[0]?.id ?? null;
}
