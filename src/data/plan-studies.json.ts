/**
 * Framework data loader: for the Plan page, the design and effects of every belief-updating study in
 * data/ (planFromStudy with the default run settings; the page puts its own seed, replicates, alpha
 * and curves in). Studies without the design the planner simulates (no trials) are left out; an
 * invalid study fails the build, as its own pages' loader would.
 */
import { join } from "node:path";
import { loadStudyFromDir, studiesRoot, studyIds } from "../lib/study/load.js";
import { planFromStudy } from "../lib/power/from-study.js";

const root = studiesRoot();
const out = [];
for (const id of studyIds(root)) {
  try {
    const study = await loadStudyFromDir(join(root, id));
    if ((study.meta.design ?? "belief-updating") !== "belief-updating") continue;
    const { plan, notes } = planFromStudy(study);
    out.push({ id, title: study.meta.title, synthetic: study.meta.synthetic, plan, notes });
  } catch (e) {
    process.stderr.write(`data/${id}: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
process.stdout.write(JSON.stringify(out));
