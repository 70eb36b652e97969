/**
 * Framework data loader: the study that travels with the exported module /embed/figures.js (its
 * default study): the belief-updating study the site's first addresses showed, else the first
 * belief-updating study of the data folder (catalog.ts, legacyStudy); null when there is none.
 */
import { join } from "node:path";
import { studiesRoot, studyDocumentOfDir, studyEntries } from "../lib/study/load.js";
import { legacyStudy } from "../lib/study/catalog.js";

const root = studiesRoot();
const id = legacyStudy(studyEntries(root), "belief-updating");
try {
  process.stdout.write(JSON.stringify(id === null ? null : await studyDocumentOfDir(join(root, id))));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}
