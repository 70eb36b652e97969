/**
 * Framework data loader: the studies of data/ for the site's front page: each study's title, design,
 * participants per group, sessions, whether it is synthetic, and which of its pages apply.
 * An invalid study fails the build (as its own pages' loader would).
 */
import { join } from "node:path";
import { loadStudyFromDir, studiesRoot, studyIds } from "../lib/study/load.js";
import { describeDesign, mediationUnavailable } from "../lib/analysis/design.js";
import { STUDY_PAGES, pageUnavailable } from "../lib/study/catalog.js";

const root = studiesRoot();
const studies = [];
for (const id of studyIds(root)) {
  try {
    const study = await loadStudyFromDir(join(root, id));
    const m = study.meta;
    const design = m.design ?? "belief-updating";
    const belief = design === "belief-updating";
    const d = belief ? describeDesign(study) : null;
    const n: Record<string, number> = {};
    for (const g of m.groups.levels) n[g] = study.participants.filter((p) => p.group === g).length;
    const entry = { design, sessions: m.sessions.length, clinical: belief ? mediationUnavailable(d!) === null : true };
    studies.push({
      id,
      title: m.title,
      design,
      synthetic: m.synthetic,
      citation: m.citation,
      n_participants: study.participants.length,
      n_by_group: n,
      sessions: m.sessions,
      clinical_scale: m.clinical_scale?.name ?? null,
      positive_events: (study.events ?? []).filter((e) => e.valence === "positive").length,
      pages: STUDY_PAGES.filter((p) => pageUnavailable(p, entry) === null).map((p) => p.page),
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
}
process.stdout.write(JSON.stringify(studies));
