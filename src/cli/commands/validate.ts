/**
 * belief-kit validate <study-dir>
 * Exits 0 on a valid study (warnings printed), 2 with the list of errors otherwise.
 */
import { existsSync, statSync } from "node:fs";
import { validateStudyDir } from "../../lib/study/load.js";
import { formatValidation } from "../../lib/study/validate/index.js";
import { UsageError } from "../args.js";
import type { Command } from "../command.js";

export const command: Command = {
  name: "validate",
  summary: "check a study folder: exit 0 when valid (warnings printed), 2 with the list of errors",
  description:
    "Every problem is reported with file, line, column and what was expected, e.g. trials.csv:57:6 (second_estimate): expected a number from 0 to 100, got \"1O5\". " +
    "The summary and the warnings go to stdout, the errors of an invalid folder to stderr.",
  positionals: [{ name: "study-dir", description: "a folder with study.json, participants.csv, clinical.csv and (belief-updating studies) trials.csv", required: true }],
  options: [],
  examples: [
    { command: "belief-kit validate data/ketamine-trd", note: "the bundled study: valid, with its warnings" },
    { command: "belief-kit validate data/williams2018-naltrexone", note: "a crossover study" },
  ],
  async run(args) {
    const dir = args.positional[0];
    if (!dir) throw new UsageError("usage: belief-kit validate <study-dir>   (a folder with study.json, participants.csv, trials.csv, clinical.csv)");
    if (args.positional.length > 1) throw new UsageError(`expected one study folder, got ${args.positional.length}: ${args.positional.join(" ")}`);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such folder`);
    const result = await validateStudyDir(dir);
    const report = formatValidation(result);
    if (!result.ok) {
      const n = result.errors.length + result.moreErrors;
      process.stderr.write(`${dir} is not a valid study folder (${n} error${n === 1 ? "" : "s"}):\n${report}\n`);
      process.exit(2);
    }
    const s = result.study!;
    const other = s.meta.design && s.meta.design !== "belief-updating";
    process.stdout.write(
      `${dir}: valid ${other ? `${s.meta.design} study ` : ""}(${s.participants.length} participants, ${other ? "" : `${s.trials.length} trials, `}${s.clinical.length} clinical scores, ${result.warnings.length} warning${result.warnings.length === 1 ? "" : "s"})\n` +
        (report ? report + "\n" : ""),
    );
  },
};
