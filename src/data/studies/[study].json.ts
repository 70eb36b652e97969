/**
 * Framework data loader: data/studies/<study>.json is the study folder data/<study>/ for the embed
 * module (src/embed/figures.ts), which loads any study by id; the dashboard pages read their own
 * copy, src/studies/[study]/study.json.ts. Same validator, same document.
 *
 * Framework caches loader output and re-runs a loader only when the loader file itself changes, not
 * the modules it imports: after changing src/lib or a study folder, run `npm run clean`.
 */
import { studyDocumentOfDir } from "../../lib/study/load.js";

const arg = process.argv.find((a) => a.startsWith("--study="));
const id = arg ? arg.slice("--study=".length) : "ketamine-trd";
if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
  process.stderr.write(`invalid study id ${JSON.stringify(id)}\n`);
  process.exit(2);
}
try {
  process.stdout.write(JSON.stringify(await studyDocumentOfDir(new URL(`../../../data/${id}/`, import.meta.url).pathname)));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}
