/**
 * npm run analyze -- <study-dir> [--model valence] [--hierarchical] [--json]
 *   [--lmm-formula "..."] [--lmm-level cells|trials] [--lmm-sessions pre,post1]
 *   [--mediator-sessions pre,post1] [--outcome-sessions pre,post3] [--boot 5000] [--seed 1]
 *   [--range 0,100] [--min-trials 1]
 *
 * Prints a readable report, or with --json one JSON document on stdout (README, "The analyze JSON").
 * A crossover or parallel study (study.json "design", docs/designs.md) gets its own analyses
 * (src/lib/designs/analyze.ts); of the options it takes only --json.
 * Bad input (an invalid study folder, an unknown model, a bad option) exits 2 with a message.
 */
import { existsSync, statSync } from "node:fs";
import { StudyValidationError, formatIssue } from "../lib/study/validate/index.js";
import { parseParams } from "../lib/analysis/params.js";
import { analyzeStudy, sessionsByGroup, designOf } from "../lib/analysis/pipeline.js";
import { analysisDocument, designDocument, formatDesignReport, formatReport } from "../lib/analysis/report.js";
import { analyzeDesign } from "../lib/designs/analyze.js";
import { parseArgs, runMain, stringFlag, UsageError } from "./args.js";
import { validateStudyDir } from "../lib/study/load.js";

const OPTIONS: Record<string, string> = {
  model: "model",
  "lmm-level": "level",
  "lmm-sessions": "lmm",
  "mediator-sessions": "med",
  "outcome-sessions": "out",
  boot: "boot",
  seed: "seed",
  range: "range",
  "min-trials": "mintrials",
  covariates: "cov",
};

await runMain(
  async () => {
    const args = parseArgs(process.argv.slice(2), { values: [...Object.keys(OPTIONS), "lmm-formula"], booleans: ["json", "hierarchical"] });
    const dir = args.positional[0] ?? "data/ketamine-trd";
    if (args.positional.length > 1) throw new UsageError(`expected one study folder, got ${args.positional.length}: ${args.positional.join(" ")}`);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such study folder (expected a folder with study.json, participants.csv, trials.csv, clinical.csv)`);
    const validation = await validateStudyDir(dir);
    if (!validation.ok || !validation.study) throw new StudyValidationError(validation, dir);
    const study = validation.study;
    const design = study.meta.design;
    if (design === "crossover" || design === "parallel") {
      const belief = [...args.flags.keys()].filter((k) => k !== "json");
      if (belief.length)
        throw new UsageError(`${belief.map((k) => `--${k}`).join(", ")}: ${belief.length > 1 ? "these options apply" : "this option applies"} to belief-updating studies; ${dir} is a ${design} study (only --json applies)`);
      const warnings = validation.warnings.map((w) => `validation: ${formatIssue(w)}`);
      const doc = designDocument(study, analyzeDesign(study), warnings);
      if (args.flags.get("json")) process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
      else process.stdout.write(formatDesignReport(doc) + "\n");
      return;
    }
    const query: Record<string, string> = {};
    for (const [flag, key] of Object.entries(OPTIONS)) {
      const v = stringFlag(args, flag);
      if (v !== undefined) query[key] = v;
    }
    if (args.flags.get("hierarchical")) query.hier = "1";
    const { params, errors } = parseParams(query, designOf(study));
    if (errors.length) {
      const flagOf = Object.fromEntries(Object.entries(OPTIONS).map(([f, k]) => [k, f]));
      throw new UsageError(`invalid option${errors.length > 1 ? "s" : ""}: ${errors.map((e) => e.replace(/^(\w+):/, (_, k) => `--${flagOf[k] ?? k}:`)).join("; ")}`);
    }
    const lmmFormula = stringFlag(args, "lmm-formula");
    const result = analyzeStudy(study, params, { lmmFormula });
    const warnings = validation.warnings.map((w) => `validation: ${formatIssue(w)}`);
    const doc = analysisDocument(study, result, warnings);
    if (lmmFormula && doc.lmm.error) throw new UsageError(`--lmm-formula: ${doc.lmm.error}`);
    if (args.flags.get("json")) process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
    else process.stdout.write(formatReport(doc) + "\n");
  },
  (e) => e instanceof StudyValidationError,
);
