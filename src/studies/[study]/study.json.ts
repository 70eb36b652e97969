/**
 * Framework data loader: ./study.json of the pages of /studies/<study>/ is the study folder
 * data/<study>/, validated by the one validator (src/lib/study/validate/). An invalid folder makes
 * this loader exit non-zero with the full list of problems, so `npm run build` fails instead of
 * publishing a half site.
 *
 * Framework caches loader output and re-runs a loader only when the loader file itself changes, not
 * the modules it imports: after changing src/lib or a study folder, run `npm run clean`.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { studiesRoot, studyDocumentOfDir } from "../../lib/study/load.js";

const { values } = parseArgs({ options: { study: { type: "string" } } });
const id = values.study ?? "";
if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
  process.stderr.write(`invalid study id ${JSON.stringify(id)}\n`);
  process.exit(2);
}
try {
  process.stdout.write(JSON.stringify(await studyDocumentOfDir(join(studiesRoot(), id))));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}
