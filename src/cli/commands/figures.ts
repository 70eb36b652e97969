/**
 * belief-kit figures [<study-dir>] [--out figures/] [--format svg,png,pdf] [--width single|double|<mm>]
 *   [--dpi 300] [--theme light|dark] [--params <url-or-query-or-json>] [--figures updates,mediation,...]
 *   [--participant ID] [--list]
 *
 * Renders the named figures with the dashboard's chart functions and the same parameters the
 * dashboard takes: a URL copied from the site (or its query, or a JSON object) reproduces a figure.
 * Writes <name>.svg (master), .png, .pdf and <name>.json (sidecar) per figure; prints what it wrote
 * on stderr. Bad options, parameters, figure names or an invalid study exit 2 and write nothing.
 *
 * A crossover or parallel study (study.json "design") has figures of its own (src/figures/names.ts
 * `designFigureList`: trajectories, response, trajectories-<scale>) and takes no dashboard
 * parameters: --params with any analysis parameter, or --participant, exits 2, as does a figure of
 * the other kind of study (the message lists the study's figures). --list lists the figures per
 * design; --list <study-dir> the figures of that study.
 */
import { existsSync, statSync } from "node:fs";
import { parseParams } from "../../lib/analysis/params.js";
import { designOf } from "../../lib/analysis/pipeline.js";
import { validateStudyDir } from "../../lib/study/load.js";
import { StudyValidationError, formatIssue } from "../../lib/study/validate/index.js";
import type { FigureFormat, WrittenFile } from "../../figures/export.js";
import type { Study } from "../../lib/study/types.js";
import type { ThemeName } from "../../figures/svg-export.js";
import { stringFlag, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { DEFAULT_STUDY, NO_SUCH_STUDY } from "../common.js";
import { CHROMIUM, chromiumAvailable, FIGURE_LIST, readParamsInput, widthMm, type ParamsInput } from "../figure-options.js";
import { DESIGN_FIGURE_TEMPLATES, TRIAL_DESIGNS, designFigureList, trialDesignOf, type TrialDesignName } from "../../figures/names.js";

// The charts, jsdom, resvg and Chromium load only once the options are known to be good.
const FORMATS = ["svg", "png", "pdf"] as const;
const FIGURE_NAMES = FIGURE_LIST.map((f) => f.name);
const DEFAULT_FIGURES = FIGURE_LIST.filter((f) => !f.extra).map((f) => f.name);
class FigureError extends Error {}

const quoted = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(", ");

function list(v: string): string[] {
  return v.split(",").map((x) => x.trim()).filter(Boolean);
}

type Listed = { name: string; title: string; extra?: boolean };
/** One line per figure, the titles aligned (at column 19 unless a name is longer). */
function listLines(figures: readonly Listed[]): string {
  const pad = Math.max(18, ...figures.map((f) => f.name.length));
  return figures.map((f) => `${f.name.padEnd(pad)} ${f.title}${f.extra ? " (only with --figures)" : ""}\n`).join("");
}

/** Every figure name of a crossover or parallel study, whatever its scales (for telling the two kinds apart). */
const isDesignFigureName = (n: string) => n === "trajectories" || n === "response" || n.startsWith("trajectories-");

async function loadStudy(dir: string) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(NO_SUCH_STUDY(dir));
  const validation = await validateStudyDir(dir);
  if (!validation.ok || !validation.study) throw new StudyValidationError(validation, dir);
  return { study: validation.study, warnings: validation.warnings };
}

/** The figures of a crossover or parallel study: no dashboard parameters, figures of the design's own. */
async function runDesignFigures(o: {
  dir: string;
  study: Study;
  design: TrialDesignName;
  asked: string[] | null;
  requested: string | undefined;
  formats: FigureFormat[];
  mm: number;
  dpi: number;
  theme: ThemeName;
  out: string;
  t0: number;
  fromUrl: ParamsInput;
  participant: string | undefined;
  /** Prints the validation warnings (once the options are known to be good). */
  warn: () => void;
}): Promise<void> {
  const { dir, study, design } = o;
  const available = designFigureList(study.meta);
  const availableNames = available.map((f) => f.name);
  const these = `${dir} is a ${design} study, whose figures are: ${availableNames.join(", ")}`;
  const paramKeys = typeof o.fromUrl.input === "string" ? [...new URLSearchParams(o.fromUrl.input).keys()] : Object.keys(o.fromUrl.input);
  if (paramKeys.length)
    throw new UsageError(
      `--params: ${[...new Set(paramKeys)].join(", ")}: the dashboard's analysis parameters apply to belief-updating studies; ${dir} is a ${design} study, whose figures take no parameters (leave --params out)`,
    );
  if (o.participant !== undefined || o.fromUrl.participant !== undefined)
    throw new UsageError(`--participant${o.participant === undefined ? " (id= of --params)" : ""}: the participant panel is a figure of belief-updating studies; ${these}`);
  const names = o.asked ?? (o.requested === "all" ? availableNames : available.filter((f) => !f.extra).map((f) => f.name));
  const unknown = names.filter((n) => !availableNames.includes(n));
  const belief = unknown.filter((n) => FIGURE_NAMES.includes(n));
  const others = unknown.filter((n) => !FIGURE_NAMES.includes(n));
  if (belief.length)
    throw new UsageError(`--figures: ${quoted(belief)} ${belief.length > 1 ? "are figures" : "is a figure"} of belief-updating studies${others.length ? ` (and ${quoted(others)} of no study)` : ""}; ${these}`);
  if (unknown.length) throw new UsageError(`--figures: unknown figure${unknown.length > 1 ? "s" : ""} ${quoted(unknown)}; ${these}`);
  o.warn();

  const { prepareDesignFigures, writeFigures } = await import("../../figures/export.js");
  const { FigureUnavailableError } = await import("../../figures/registry.js");
  let prepared;
  try {
    prepared = prepareDesignFigures({ study, names, widthMm: o.mm, dpi: o.dpi, theme: o.theme, skipUnavailable: o.asked === null, studyDir: dir });
  } catch (e) {
    if (e instanceof FigureUnavailableError) throw new FigureError(e.message);
    throw e;
  }
  for (const s of prepared.skipped) process.stderr.write(`skipped ${s.name}: ${s.reason}\n`);
  for (const w of prepared.analysis.warnings) process.stderr.write(`note: ${w}\n`);
  const written = await writeFigures(prepared.figures, { out: o.out, formats: o.formats, dpi: o.dpi, onWrite });
  done(prepared.figures.length, written.length, prepared.ms, o);
}

function onWrite(f: WrittenFile): void {
  process.stderr.write(`wrote ${f.path} (${(f.bytes / 1024).toFixed(1)} kB${f.format === "png" || f.format === "pdf" ? `, ${f.ms.toFixed(0)} ms` : ""})\n`);
}

function done(figures: number, files: number, ms: number, o: { formats: readonly string[]; mm: number; dpi: number; theme: string; out: string; t0: number }): void {
  const seconds = (performance.now() - o.t0) / 1000;
  process.stderr.write(
    `${figures} figure${figures === 1 ? "" : "s"} (${o.formats.join(", ")} + json, ${o.mm} mm, ${o.dpi} dpi, ${o.theme}) in ${o.out}: ${files} files in ${seconds.toFixed(1)} s (analysis and SVG ${(ms / 1000).toFixed(1)} s)\n`,
  );
}

export const command: Command = {
  name: "figures",
  summary: "render the dashboard's figures for a paper: SVG, PNG, PDF and a JSON sidecar per figure",
  description:
    "Draws the named figures with the dashboard's chart functions on the dashboard's parameters: a URL copied from the site (or its query, or a JSON object) reproduces a figure. " +
    "Writes <name>.svg (the master), .png, .pdf and <name>.json (the sidecar: numbers shown, parameters, how to reproduce it) per figure; what was written is reported on stderr. " +
    "PDF needs headless Chromium (/usr/bin/chromium or CHROMIUM_PATH). Crossover and parallel studies have figures of their own and take no dashboard parameters. " +
    "Bad options, parameters, figure names or an invalid study exit 2 and write nothing.",
  positionals: [{ name: "study-dir", description: "the study folder", default: `${DEFAULT_STUDY} (or data/<study> when the URL of --params has study=)` }],
  options: [
    { name: "out", value: "DIR", default: "figures", description: "where the files go" },
    { name: "format", value: "svg,png,pdf", default: FORMATS.join(","), description: "formats: SVG (master), PNG (resvg, DejaVu fonts), PDF (Chromium; vector, selectable text)" },
    { name: "width", value: "single|double|MM", default: "single", description: "single column 89 mm, double column 183 mm, or a width in mm from 20 to 600" },
    { name: "dpi", value: "N", default: "300", description: "PNG resolution (50 to 2400); the PNG is round(width_mm / 25.4 × dpi) pixels wide" },
    { name: "theme", value: "light|dark", default: "light (or the URL's theme=)", description: "colours of the dashboard's light or dark theme" },
    { name: "params", value: "URL|QUERY|JSON", default: "the dashboard's defaults", description: "the dashboard's parameters: a URL copied from the site, a query (med=pre,post1&boot=2000) or a JSON object; id= picks the participant" },
    { name: "figures", value: "a,b|all", default: DEFAULT_FIGURES.join(","), description: "which figures; all adds those drawn only on request (belief-kit figures --list)" },
    { name: "participant", value: "ID", default: "the first selected (sel=), else the first treatment participant", description: "the participant of the participant panel" },
    { name: "list", description: "list the figure names per design (with a study folder: that study's) and exit" },
  ],
  examples: [
    { command: "belief-kit figures --list", note: "the figure names" },
    { command: "belief-kit figures data/ketamine-trd --figures mediation,bootstrap --format svg,png --width double --dpi 600", note: "two figures, double column, 600 dpi", slow: true },
    { command: "belief-kit figures --params \"http://127.0.0.1:3000/mediation?med=pre,post1&boot=2000&sel=TRD03\" --format svg,png --out mediation-figs", note: "the figures of a dashboard URL", slow: true },
    { command: "belief-kit figures data/ketamine-trd", note: "every default figure as SVG, PNG and PDF in figures/", slow: true, needs: ["chromium"] },
  ],
  isUserError: (e) => e instanceof StudyValidationError || e instanceof FigureError,
  async run(args) {
    const t0 = performance.now();
    if (args.positional.length > 1) throw new UsageError(`expected one study folder, got ${args.positional.length}: ${args.positional.join(" ")}`);
    if (args.flags.get("list")) {
      if (args.positional.length) {
        // The figures of this study (a design study's per-scale names spelt out).
        const { study } = await loadStudy(args.positional[0]);
        process.stdout.write(listLines(trialDesignOf(study.meta) ? designFigureList(study.meta) : FIGURE_LIST));
        return;
      }
      process.stdout.write("Belief-updating studies (e.g. data/ketamine-trd):\n");
      process.stdout.write(listLines(FIGURE_LIST));
      for (const design of TRIAL_DESIGNS) {
        process.stdout.write(`\n${design === "crossover" ? "Crossover studies (e.g. data/williams2018-naltrexone)" : "Parallel studies (e.g. data/murrough2013-midazolam)"}:\n`);
        process.stdout.write(listLines(DESIGN_FIGURE_TEMPLATES[design]));
      }
      process.stdout.write("\nbelief-kit figures --list <study-dir> lists the figures of one study.\n");
      return;
    }
    const rawParams = stringFlag(args, "params");
    const fromUrl = rawParams !== undefined ? readParamsInput(rawParams) : { input: "" as string | Record<string, unknown> };
    const dir = args.positional[0] ?? (fromUrl.study ? `data/${fromUrl.study}` : DEFAULT_STUDY);
    const out = stringFlag(args, "out") ?? "figures";
    const formats = [...new Set(list(stringFlag(args, "format") ?? FORMATS.join(",")))];
    const badFormat = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
    if (badFormat.length || !formats.length) throw new UsageError(`--format: expected some of ${FORMATS.join(", ")} separated by commas, got ${JSON.stringify(stringFlag(args, "format"))}`);
    const mm = widthMm(stringFlag(args, "width"));
    const dpiText = stringFlag(args, "dpi") ?? "300";
    const dpi = Number(dpiText);
    if (!/^\d+$/.test(dpiText) || dpi < 50 || dpi > 2400) throw new UsageError(`--dpi: expected a whole number from 50 to 2400, got ${JSON.stringify(dpiText)}`);
    const theme = stringFlag(args, "theme") ?? fromUrl.theme ?? "light";
    if (theme !== "light" && theme !== "dark") throw new UsageError(`--theme: expected light or dark, got ${JSON.stringify(theme)}`);
    const requested = stringFlag(args, "figures");
    const asked = requested === undefined || requested === "all" ? null : [...new Set(list(requested))];
    if (asked && !asked.length) throw new UsageError(`--figures: unknown figure (none given); known: ${FIGURE_NAMES.join(", ")}`);
    // The names are checked once the study is read: crossover and parallel studies have figures of their own.
    if (formats.includes("pdf") && !chromiumAvailable())
      throw new UsageError(`--format pdf needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH), or leave pdf out of --format`);

    const { study, warnings } = await loadStudy(dir);
    if (fromUrl.study && fromUrl.study !== study.meta.id) throw new UsageError(`--params names study ${JSON.stringify(fromUrl.study)} but ${dir} is study ${JSON.stringify(study.meta.id)}`);
    const warn = () => {
      if (warnings.length)
        process.stderr.write(`${warnings.length} validation warning${warnings.length === 1 ? "" : "s"} (belief-kit validate ${dir}), first: ${formatIssue(warnings[0])}\n`);
    };

    const design = trialDesignOf(study.meta);
    if (design) {
      await runDesignFigures({ dir, study, design, asked, requested, formats: formats as FigureFormat[], mm, dpi, theme: theme as ThemeName, out, t0, fromUrl, participant: stringFlag(args, "participant"), warn });
      return;
    }
    const names = asked ?? [...(requested === "all" ? FIGURE_NAMES : DEFAULT_FIGURES)];
    const unknown = names.filter((n) => !FIGURE_NAMES.includes(n));
    const designNames = unknown.filter(isDesignFigureName);
    const others = unknown.filter((n) => !isDesignFigureName(n));
    if (designNames.length)
      throw new UsageError(
        `--figures: ${quoted(designNames)} ${designNames.length > 1 ? "are figures" : "is a figure"} of crossover and parallel studies${others.length ? ` (and ${quoted(others)} of no study)` : ""}; ${dir} is a belief-updating study, whose figures are: ${FIGURE_NAMES.join(", ")}`,
      );
    if (unknown.length) throw new UsageError(`--figures: unknown figure${unknown.length > 1 ? "s" : ""} ${quoted(unknown)}; known: ${FIGURE_NAMES.join(", ")}`);
    warn();

    const { params, errors } = parseParams(fromUrl.input, designOf(study));
    if (errors.length) throw new UsageError(`--params: invalid parameter${errors.length > 1 ? "s" : ""}:\n  ${errors.join("\n  ")}`);
    const participant = stringFlag(args, "participant") ?? fromUrl.participant;
    if (participant !== undefined && !study.participants.some((p) => p.participant_id === participant))
      throw new UsageError(`--participant: ${JSON.stringify(participant)} is not a participant of ${study.meta.id}`);

    const { prepareFigures, writeFigures } = await import("../../figures/export.js");
    const { FigureUnavailableError } = await import("../../figures/registry.js");
    let prepared;
    try {
      prepared = prepareFigures({
        study,
        params,
        names,
        widthMm: mm,
        dpi,
        theme: theme as ThemeName,
        participant,
        // The default set leaves out what these parameters cannot draw (e.g. the bootstrap with boot=0);
        // a figure asked for by name must be drawn.
        skipUnavailable: requested === undefined || requested === "all",
        studyDir: dir,
      });
    } catch (e) {
      if (e instanceof FigureUnavailableError) throw new FigureError(e.message);
      throw e;
    }
    for (const s of prepared.skipped) process.stderr.write(`skipped ${s.name}: ${s.reason}\n`);
    const written = await writeFigures(prepared.figures, { out, formats: formats as FigureFormat[], dpi, onWrite });
    done(prepared.figures.length, written.length, prepared.ms, { formats, mm, dpi, theme, out, t0 });
  },
};
