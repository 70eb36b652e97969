/**
 * Framework data loader: for the Plan page, the design and effects of every belief-updating study in
 * data/ (planFromStudy with the default run settings; the page puts its own seed, replicates, alpha
 * and curves in). Studies without the design the planner simulates (no trials) are left out; an
 * invalid study fails the build, as its own pages' loader would.
 */
import { existsSync, readdirSync } from "node:fs";
import { loadStudyFromDir } from "../lib/study/load.js";
import { planFromStudy } from "../lib/power/from-study.js";
import { orderStudies } from "../lib/study/catalog.js";

const root = new URL("../../data/", import.meta.url).pathname;
const out = [];
for (const id of orderStudies(readdirSync(root).filter((id) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) && existsSync(`${root}${id}/study.json`)))) {
  try {
    const study = await loadStudyFromDir(`${root}${id}`);
    if ((study.meta.design ?? "belief-updating") !== "belief-updating") continue;
    const { plan, notes } = planFromStudy(study);
    out.push({ id, title: study.meta.title, synthetic: study.meta.synthetic, plan, notes });
  } catch (e) {
    process.stderr.write(`data/${id}: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
process.stdout.write(JSON.stringify(out));
