/**
 * belief-kit power [plan.json|-] [--study DIR] [--json]: simulation-based power of a planned study (src/lib/power, docs/power.md).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { loadStudyFromDir } from "../../lib/study/load.js";
import { StudyValidationError } from "../../lib/study/validate/index.js";
import { PlanError, formatPower, powerFromPlan } from "../../lib/power/index.js";
import { UsageError, stringFlag } from "../args.js";
import type { Command } from "../command.js";
import { NO_SUCH_STUDY } from "../common.js";

export const command: Command = {
  name: "power",
  summary: "simulation-based power and precision of the kit's analyses for a planned study",
  description:
    "Simulates the planned study many times from the kit's generative model, analyses each with the kit's own code and reports, per analysis, " +
    "power (with its Monte Carlo error), precision, and the N per group needed for 80 % and 90 % power. The plan is a JSON file (docs/power.md); " +
    "every key is optional. --study starts from a study's design and effects (for planning the next study, not post-hoc power).",
  positionals: [{ name: "plan.json", description: "the plan (- for stdin; none: the default plan, the bundled study's design)" }],
  options: [
    { name: "study", value: "DIR", description: "take the design and effects from this study folder; the plan's keys override them" },
    { name: "json", description: "print one JSON document on stdout instead of the report" },
  ],
  examples: [
    { command: "belief-kit power --json > power.json", note: "the default plan", slow: true },
    { command: "belief-kit power --study data/ketamine-trd", note: "what N would replicate the bundled study's effects", slow: true },
    { command: "echo '{\"replicates\": 200, \"analysis\": {\"metrics\": [\"asymmetry\", \"change\"]}, \"curves\": {\"n\": [], \"events\": []}}' | belief-kit power -", note: "a small plan from stdin: two analyses, 200 simulated studies, no curves" },
  ],
  isUserError: (e) => e instanceof PlanError || e instanceof StudyValidationError,
  async run(args) {
    if (args.positional.length > 1) throw new UsageError(`expected at most one plan file, got ${args.positional.length}`);
    const file = args.positional[0];
    if (file !== undefined && file !== "-" && !existsSync(file)) throw new UsageError(`${file}: no such plan file`);
    const text = file === undefined ? "{}" : readFileSync(file === "-" ? 0 : file, "utf8");
    const dir = stringFlag(args, "study");
    if (dir !== undefined && (!existsSync(dir) || !statSync(dir).isDirectory())) throw new UsageError(NO_SUCH_STUDY(dir));
    const study = dir === undefined ? undefined : await loadStudyFromDir(dir);
    // Progress on stderr: a rewritten line on a terminal, a line per tenth otherwise (logs stay short).
    const tty = process.stderr.isTTY;
    let shown = -1;
    const result = powerFromPlan(text, {
      study,
      onProgress: (done, total) => {
        const tenth = Math.floor((10 * done) / total);
        if (tty) process.stderr.write(`\r${done} / ${total} simulated studies`);
        else if (tenth !== shown) process.stderr.write(`${done} / ${total} simulated studies\n`);
        shown = tenth;
      },
    });
    if (tty) process.stderr.write("\n");
    process.stdout.write(args.flags.has("json") ? `${JSON.stringify(result, null, 2)}\n` : `${formatPower(result)}\n`);
  },
};
