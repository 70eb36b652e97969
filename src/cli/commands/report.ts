/**
 * `belief-kit report <study-dir> [options]`: the methods and results report of a study (HTML, PDF
 * through Chromium), its tables as CSV and the R script that reproduces its numbers
 * (src/lib/report, built by src/cli/report-build.ts; docs/report.md).
 */
import { existsSync, statSync } from "node:fs";
import { parseParams } from "../../lib/analysis/params.js";
import { designOf } from "../../lib/analysis/pipeline.js";
import { validateStudyDir } from "../../lib/study/load.js";
import { StudyValidationError, formatIssue } from "../../lib/study/validate/index.js";
import { UsageError, type ParsedArgs } from "../args.js";
import { ANALYSIS_FLAGS, analysisQuery, flagErrors } from "../analysis-flags.js";
import { buildStudyReport, writeReport } from "../report-build.js";

interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}


const shellQuote = (s: string) => (/^[\w@%+=:,./-]*$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export const command = {
  name: "report",
  summary: "a methods and results report of a study (HTML and PDF), its tables as CSV, and the R script that reproduces its numbers",
  description:
    "Analyses the study with the options given (those of analyze; or --params with a dashboard link or query) and writes into --out: report.html (self-contained: APA-style methods and results generated from the analysis, the tables, the figures as inline SVG, the warnings), report.pdf (headless Chromium; --no-pdf to skip), analysis.json (the analyze --json document), tables/<table>.csv and r/ (reproduce.R with the CSV files it reads: run `Rscript r/reproduce.R` to see every number beside the kit's). " +
    "Crossover and parallel studies get their own report and take no analysis option. An invalid study folder or option exits 2.",
  positionals: [{ name: "study-dir", description: "the study folder", default: "data/ketamine-trd" }],
  options: [
    { name: "out", value: "DIR", default: "report-<study id>", description: "folder the report is written to (created)" },
    { name: "params", value: "QUERY", description: "analysis parameters as the dashboard's URL or query string (model=ee-weighted&boot=2000); options below override it" },
    { name: "model", value: "NAME", description: "learning-rate model" },
    { name: "hierarchical", description: "empirical-Bayes (MAP) fits" },
    { name: "bmc", description: "Bayesian model selection of the vb- models" },
    { name: "prior", value: "kit|greaves|FILE", description: "prior of the Bayesian models (as analyze)" },
    { name: "lmm-formula", value: "F", description: "a mixed-model formula of one's own (R syntax)" },
    { name: "lmm-level", value: "cells|trials", description: "data level of the mixed model" },
    { name: "lmm-sessions", value: "a,b", description: "sessions of the mixed model" },
    { name: "random-effects", value: "int|slope|event|slope-event", description: "random effects of the mixed model" },
    { name: "covariates", value: "a,b", description: "covariates of the mixed model" },
    { name: "mediation-group", value: "G", description: "group whose change the mediation follows" },
    { name: "mediator-sessions", value: "a,b", description: "mediator sessions" },
    { name: "outcome-sessions", value: "a,b", description: "outcome sessions" },
    { name: "boot", value: "N", description: "bootstrap resamples (0: none)" },
    { name: "seed", value: "S", description: "seed of the bootstrap" },
    { name: "range", value: "lo,hi", description: "valid estimates and base rates" },
    { name: "min-trials", value: "N", description: "minimum scored trials of each valence per participant-session" },
    { name: "news-reference", value: "br|ebr", description: "news relative to the base rate shown or the participant's own estimate" },
    { name: "max-recall-error", value: "X", description: "exclude trials whose recalled base rate is more than X points off" },
    { name: "no-pdf", description: "write no PDF (no Chromium needed)" },
    { name: "no-figures", description: "tables only, no figure" },
  ],
  examples: [
    { command: "belief-kit report data/ketamine-trd --out report-ketamine", note: "HTML, PDF, CSV tables and the R script of the bundled study", needs: ["chromium"] as ("chromium" | "R")[], slow: true },
    { command: "belief-kit report data/ketamine-trd --no-pdf --boot 2000 --out report-2000", note: "without Chromium, 2,000 resamples" },
    { command: "belief-kit report data/williams2018-naltrexone --no-pdf --out report-crossover", note: "a crossover trial: mixed models, McNemar, carry-over" },
  ],
  isUserError: (e: unknown) => e instanceof StudyValidationError,
  async run(args: Args): Promise<void> {
    const dir = args.positional[0] ?? "data/ketamine-trd";
    if (args.positional.length > 1) throw new UsageError(`expected one study folder, got ${args.positional.length}: ${args.positional.join(" ")}`);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such study folder (expected a folder with study.json, participants.csv, trials.csv, clinical.csv)`);
    const validation = await validateStudyDir(dir);
    if (!validation.ok || !validation.study) throw new StudyValidationError(validation, dir);
    const study = validation.study;
    const warnings = validation.warnings.map((w) => `validation: ${formatIssue(w)}`);
    const out = typeof args.flags.get("out") === "string" ? (args.flags.get("out") as string) : `report-${study.meta.id}`;
    const pdf = !args.flags.has("no-pdf");
    const figures = !args.flags.has("no-figures");
    const analysisFlags = [...args.flags.keys()].filter((k) => k in ANALYSIS_FLAGS || ["params", "hierarchical", "bmc", "prior", "lmm-formula"].includes(k));
    const design = study.meta.design;
    const words = ["belief-kit report", shellQuote(dir)];
    for (const k of analysisFlags) {
      const v = args.flags.get(k);
      words.push(v === true ? `--${k}` : `--${k} ${shellQuote(String(v))}`);
    }
    let build;
    if (design === "crossover" || design === "parallel") {
      if (analysisFlags.length) throw new UsageError(`${analysisFlags.map((k) => `--${k}`).join(", ")}: analysis options apply to belief-updating studies; ${dir} is a ${design} study`);
      build = buildStudyReport(study, { warnings, figures, command: words.join(" ") });
    } else {
      const base = new URLSearchParams(typeof args.flags.get("params") === "string" ? String(args.flags.get("params")).replace(/^[^?]*\?/, "") : "");
      for (const k of ["group", "sel", "theme", "study", "id"]) base.delete(k);
      const { query, prior } = analysisQuery(args as ParsedArgs, base);
      const { params, errors } = parseParams(query, designOf(study));
      if (prior) params.prior = prior;
      if (errors.length) throw flagErrors(errors);
      const lmmFormula = typeof args.flags.get("lmm-formula") === "string" ? (args.flags.get("lmm-formula") as string) : undefined;
      build = buildStudyReport(study, { params, lmmFormula, warnings, figures, command: words.join(" ") });
      if (lmmFormula && "lmm" in build.doc && build.doc.lmm.error) throw new UsageError(`--lmm-formula: ${build.doc.lmm.error}`);
    }
    const written = await writeReport(build, out, { pdf });
    const ms = build.ms;
    process.stderr.write(
      `wrote ${written.files.length} files to ${out}/ (report.html${pdf ? ", report.pdf" : ""}, analysis.json, tables/, r/): analysis ${ms.analysis.toFixed(0)} ms, figures ${ms.figures.toFixed(0)} ms, report ${ms.report.toFixed(0)} ms${written.pdfMs !== null ? `, PDF ${written.pdfMs.toFixed(0)} ms` : ""}${build.skipped.length ? `; figures left out: ${build.skipped.map((s) => s.name).join(", ")}` : ""}\n` +
        `reproduce in R: Rscript ${out}/r/reproduce.R\n`,
    );
  },
};
