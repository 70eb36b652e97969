/**
 * npm run validate -- <study-dir>
 * Exits 0 on a valid study (warnings printed), 2 with the list of errors otherwise.
 */
import { validateStudyDir } from "../lib/study/load.js";
import { formatValidation } from "../lib/study/validate/index.js";
import { parseArgs, runMain, UsageError } from "./args.js";
import { existsSync, statSync } from "node:fs";

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { values: [], booleans: [] });
  const dir = args.positional[0];
  if (!dir) throw new UsageError("usage: npm run validate -- <study-dir>   (a folder with study.json, participants.csv, trials.csv, clinical.csv)");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such folder`);
  const result = await validateStudyDir(dir);
  const report = formatValidation(result);
  if (!result.ok) {
    const n = result.errors.length + result.moreErrors;
    process.stderr.write(`${dir} is not a valid study folder (${n} error${n === 1 ? "" : "s"}):\n${report}\n`);
    process.exit(2);
  }
  const s = result.study!;
  process.stdout.write(
    `${dir}: valid ${s.meta.design && s.meta.design !== "belief-updating" ? `${s.meta.design} study ` : ""}(${s.participants.length} participants, ${s.meta.design && s.meta.design !== "belief-updating" ? "" : `${s.trials.length} trials, `}${s.clinical.length} clinical scores, ${result.warnings.length} warning${result.warnings.length === 1 ? "" : "s"})\n` +
      (report ? report + "\n" : ""),
  );
});
