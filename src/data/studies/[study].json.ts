/**
 * Framework data loader: data/studies/<study>.json is the study folder data/<study>/,
 * validated by the one validator (src/lib/study/validate.ts). An invalid folder makes this loader
 * exit non-zero with the full list of problems, so `npm run build` fails instead of
 * publishing a half site.
 *
 * Note: Framework caches loader output and re-runs a loader only when the loader file itself
 * changes, not the modules it imports. After changing src/lib, run `npm run clean`.
 */
import { validateStudyDir } from "../../lib/study/load.js";
import { formatValidation } from "../../lib/study/validate/index.js";

const arg = process.argv.find((a) => a.startsWith("--study="));
const id = arg ? arg.slice("--study=".length) : "ketamine-trd";
if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
  process.stderr.write(`invalid study id ${JSON.stringify(id)}\n`);
  process.exit(2);
}
const dir = new URL(`../../../data/${id}/`, import.meta.url).pathname;
const result = await validateStudyDir(dir);
if (!result.ok || !result.study) {
  process.stderr.write(`data/${id} is not a valid study folder:\n${formatValidation(result)}\n`);
  process.exit(2);
}
const { meta, participants, trials, clinical } = result.study;
// Trials are written column by column (about half the size of one object per row).
const columns = {
  participant_id: trials.map((t) => t.participant_id),
  session: trials.map((t) => t.session),
  event_id: trials.map((t) => t.event_id),
  first_estimate: trials.map((t) => t.first_estimate),
  base_rate: trials.map((t) => t.base_rate),
  second_estimate: trials.map((t) => t.second_estimate),
};
process.stdout.write(JSON.stringify({ meta, participants, trials: columns, clinical, warnings: result.warnings }));
