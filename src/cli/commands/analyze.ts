/**
 * belief-kit analyze [<study-dir>] [--model valence] [--hierarchical] [--json] [--lmm-formula "..."] …
 *
 * Prints a readable report, or with --json one JSON document on stdout (README, "The analyze JSON").
 * A crossover or parallel study (study.json "design", docs/designs.md) gets its own analyses
 * (src/lib/designs/analyze.ts); of the options it takes only --json.
 * Bad input (an invalid study folder, an unknown model, a bad option) exits 2 with a message.
 * --timings prints on stderr where the time of the whole process went.
 */
import { existsSync, statSync } from "node:fs";
import { StudyValidationError, formatIssue, validateStudy } from "../../lib/study/validate/index.js";
import { defaultParams, parseParams } from "../../lib/analysis/params.js";
import { analyzeStudy, designOf } from "../../lib/analysis/pipeline.js";
import { lmmFormula as defaultFormula, RANDOM_STRUCTURES } from "../../lib/analysis/lmm-data.js";
import type { StudyDesignInfo } from "../../lib/analysis/design.js";
import { analysisDocument, designDocument, formatDesignReport, formatReport } from "../../lib/analysis/report.js";
import { analyzeDesign } from "../../lib/designs/analyze.js";
import { readStudyFiles } from "../../lib/study/load.js";
import { ALL_MODELS } from "../../lib/models/names.js";
import type { StudyMeta } from "../../lib/study/types.js";
import { stringFlag, UsageError } from "../args.js";
import { analysisQuery, flagErrors } from "../analysis-flags.js";
import type { Command } from "../command.js";
import { DEFAULT_STUDY, NO_SUCH_STUDY, timer } from "../common.js";


// The defaults shown by --help are the analysis's own, for a two-group, two-session study with age
// and education (those that depend on the study's sessions are described in words).
const HELP_DESIGN: StudyDesignInfo = {
  meta: { sessions: ["s1", "s2"], groups: { reference: "r", treatment: "t" } } as unknown as StudyMeta,
  groups: ["r", "t"],
  n_by_group: { r: 2, t: 2 },
  sessions_by_group: { r: ["s1", "s2"], t: ["s1", "s2"] },
  sessions: ["s1", "s2"],
  covariates: [
    { name: "age", column: "age", n_known: 4 },
    { name: "education", column: "education_years", n_known: 4 },
  ],
  has_clinical: true,
  has_estimated_base_rate: false,
  has_recalled_base_rate: false,
  positive_events: null,
  mediation_groups: ["t"],
};
const D = defaultParams(HELP_DESIGN);


export const command: Command = {
  name: "analyze",
  summary: "the full analysis of a study folder: a readable report, or one JSON document with --json",
  description:
    "Scores the task, fits the learning-rate models and compares them, describes the updates, fits the mixed model and the mediation with its bootstrap (README, \"The analyze JSON\"). " +
    "A crossover or parallel study (study.json \"design\") gets its own analyses and takes only --json. " +
    "An invalid study folder, an unknown model or a bad option exits 2 with a one-paragraph message.",
  positionals: [{ name: "study-dir", description: "the study folder", default: DEFAULT_STUDY }],
  options: [
    { name: "json", description: "print one JSON document on stdout instead of the report (nothing else goes to stdout)" },
    { name: "model", value: "NAME", default: D.model, description: `learning-rate model reported: ${ALL_MODELS.join(", ")} (vb-*: Bayesian, variational Laplace)` },
    { name: "bmc", description: "random-effects Bayesian model selection over the Bayesian models (vb-*), also when a least-squares model is reported" },
    { name: "prior", value: "kit|greaves|FILE", default: "kit", description: "prior of the Bayesian models: a preset, or a JSON file {mean, covariance, precision_shape, precision_rate} of the --model's parameters (docs/bayesian-models.md)" },
    { name: "hierarchical", description: "empirical-Bayes (MAP) fits with a group prior, and the integrated BIC (slower)" },
    { name: "lmm-formula", value: "F", default: defaultFormula(HELP_DESIGN, D), description: "formula of the mixed model in R's syntax, over update, group, session, valence, event_id, participant_id and the covariates; replaces the one built from --covariates and --random-effects" },
    { name: "random-effects", value: RANDOM_STRUCTURES.join("|"), default: D.re, description: "random effects of the built formula: participant intercept, + valence slope, + event intercept (trials level)" },
    { name: "lmm-level", value: "cells|trials", default: D.level, description: "data level of the mixed model: participant × session × valence cells, or trials" },
    { name: "lmm-sessions", value: "a,b,…", default: "the sessions every group has", description: "sessions entered in the mixed model" },
    { name: "covariates", value: "a,b", default: D.cov.join(","), description: "covariates of the mixed model: age, education (education_years) or any numeric column of participants.csv; empty for none" },
    { name: "news-reference", value: "br|ebr", default: D.ref, description: "good or bad news relative to the base rate shown (br) or to the participant's own estimate of it (ebr, column estimated_base_rate)" },
    { name: "max-recall-error", value: "N", description: "trials whose recalled base rate (column recalled_base_rate) is more than N points off are left out" },
    { name: "mediation-group", value: "G", default: "the treatment group", description: "the group whose change the mediation follows" },
    { name: "mediator-sessions", value: "a,b", default: "the first two sessions", description: "the change in asymmetry from a to b is the mediator" },
    { name: "outcome-sessions", value: "a,b", default: "first and last session of the treatment group", description: "the change in clinical score from a to b is the outcome" },
    { name: "boot", value: "N", default: String(D.boot), description: "bootstrap resamples of the indirect effect; 0 for none" },
    { name: "seed", value: "S", default: String(D.seed), description: "seed of the bootstrap" },
    { name: "range", value: "lo,hi", default: D.range.join(","), description: "valid estimates and base rates (percent); trials outside are excluded" },
    { name: "min-trials", value: "N", default: String(D.mintrials), description: "participant-sessions with fewer scored trials of either valence are left out of the fits" },
    { name: "timings", description: "print on stderr where the time went (read, validate, analysis, JSON, write)" },
  ],
  examples: [
    { command: "belief-kit analyze data/ketamine-trd", note: "the readable report of the bundled study" },
    { command: "belief-kit analyze data/ketamine-trd --json > a.json", note: "one JSON document on stdout, nothing else" },
    { command: "belief-kit analyze data/ketamine-trd --model ee-weighted --boot 2000 --mediator-sessions pre,post1", note: "another model, fewer resamples" },
    { command: "belief-kit analyze data/williams2018-naltrexone --json > crossover.json", note: "a crossover study: mixed models, McNemar, carry-over" },
  ],
  isUserError: (e) => e instanceof StudyValidationError,
  async run(args) {
    const time = timer(args.flags.has("timings"));
    const dir = args.positional[0] ?? DEFAULT_STUDY;
    if (args.positional.length > 1) throw new UsageError(`expected one study folder, got ${args.positional.length}: ${args.positional.join(" ")}`);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(NO_SUCH_STUDY(dir));
    const files = await readStudyFiles(dir);
    time("read the study folder");
    const validation = validateStudy(files);
    time("parse and validate");
    if (!validation.ok || !validation.study) throw new StudyValidationError(validation, dir);
    const study = validation.study;
    const design = study.meta.design;
    const json = args.flags.has("json");
    const warnings = validation.warnings.map((w) => `validation: ${formatIssue(w)}`);
    if (design === "crossover" || design === "parallel") {
      const belief = [...args.flags.keys()].filter((k) => k !== "json" && k !== "timings");
      if (belief.length)
        throw new UsageError(`${belief.map((k) => `--${k}`).join(", ")}: ${belief.length > 1 ? "these options apply" : "this option applies"} to belief-updating studies; ${dir} is a ${design} study (only --json applies)`);
      const doc = designDocument(study, analyzeDesign(study), warnings);
      time("analysis");
      const text = json ? JSON.stringify(doc, null, 2) + "\n" : formatDesignReport(doc) + "\n";
      time(json ? "JSON" : "report");
      process.stdout.write(text);
      time("write stdout");
      return;
    }
    const { query, prior } = analysisQuery(args, undefined, D.model);
    const { params, errors } = parseParams(query, designOf(study));
    if (prior) params.prior = prior;
    if (errors.length) throw flagErrors(errors);
    const lmmFormula = stringFlag(args, "lmm-formula");
    const result = analyzeStudy(study, params, { lmmFormula });
    time("analysis");
    const doc = analysisDocument(study, result, warnings);
    time("analysis document");
    if (lmmFormula && doc.lmm.error) throw new UsageError(`--lmm-formula: ${doc.lmm.error}`);
    const text = json ? JSON.stringify(doc, null, 2) + "\n" : formatReport(doc) + "\n";
    time(json ? "JSON" : "report");
    process.stdout.write(text);
    time("write stdout");
  },
};
