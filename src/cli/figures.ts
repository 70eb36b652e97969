/**
 * npm run figures -- [<study-dir>] [--out figures/] [--format svg,png,pdf] [--width single|double|<mm>]
 *   [--dpi 300] [--theme light|dark] [--params <url-or-query-or-json>] [--figures updates,mediation,...]
 *   [--participant ID] [--list]
 *
 * Renders the named figures with the dashboard's chart functions and the same parameters the
 * dashboard takes: a URL copied from the site (or its query, or a JSON object) reproduces a figure.
 * Writes <name>.svg (master), .png, .pdf and <name>.json (sidecar) per figure; prints what it wrote
 * on stderr. Bad options, parameters, figure names or an invalid study exit 2 and write nothing.
 */
import { existsSync, statSync } from "node:fs";
import { parseParams } from "../lib/params.js";
import { sessionsByGroup } from "../lib/pipeline.js";
import { validateStudyDir } from "../lib/study.js";
import { StudyValidationError, formatIssue } from "../lib/validate.js";
import type { FigureFormat } from "../figures/export.js";
import type { ThemeName } from "../figures/svg-export.js";
import { parseArgs, runMain, stringFlag, UsageError } from "./args.js";
import { CHROMIUM, chromiumAvailable, FIGURE_LIST, readParamsInput, widthMm } from "../figures/options.js";

// The charts, jsdom, resvg and Chromium load only once the options are known to be good.
const FORMATS = ["svg", "png", "pdf"] as const;
const FIGURE_NAMES = FIGURE_LIST.map((f) => f.name);
const DEFAULT_FIGURES = FIGURE_LIST.filter((f) => !f.extra).map((f) => f.name);
class FigureError extends Error {}

function list(v: string): string[] {
  return v.split(",").map((x) => x.trim()).filter(Boolean);
}

await runMain(
  async () => {
    const t0 = performance.now();
    const args = parseArgs(process.argv.slice(2), { values: ["out", "format", "width", "dpi", "theme", "params", "figures", "participant"], booleans: ["list"] });
    if (args.flags.get("list")) {
      for (const f of FIGURE_LIST) process.stdout.write(`${f.name.padEnd(18)} ${f.title}${f.extra ? " (only with --figures)" : ""}\n`);
      return;
    }
    if (args.positional.length > 1) throw new UsageError(`expected one study folder, got ${args.positional.length}: ${args.positional.join(" ")}`);
    const rawParams = stringFlag(args, "params");
    const fromUrl = rawParams !== undefined ? readParamsInput(rawParams) : { input: "" as string | Record<string, unknown> };
    const dir = args.positional[0] ?? (fromUrl.study ? `data/${fromUrl.study}` : "data/ketamine-trd");
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
    const names = requested === undefined || requested === "all" ? [...(requested === "all" ? FIGURE_NAMES : DEFAULT_FIGURES)] : [...new Set(list(requested))];
    const unknown = names.filter((n) => !FIGURE_NAMES.includes(n));
    if (unknown.length || !names.length) throw new UsageError(`--figures: unknown figure${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => JSON.stringify(n)).join(", ") || "(none given)"}; known: ${FIGURE_NAMES.join(", ")}`);
    if (formats.includes("pdf") && !chromiumAvailable())
      throw new UsageError(`--format pdf needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH), or leave pdf out of --format`);

    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such study folder (expected a folder with study.json, participants.csv, trials.csv, clinical.csv)`);
    const validation = await validateStudyDir(dir);
    if (!validation.ok || !validation.study) throw new StudyValidationError(validation, dir);
    const study = validation.study;
    if (fromUrl.study && fromUrl.study !== study.meta.id) throw new UsageError(`--params names study ${JSON.stringify(fromUrl.study)} but ${dir} is study ${JSON.stringify(study.meta.id)}`);
    if (validation.warnings.length)
      process.stderr.write(`${validation.warnings.length} validation warning${validation.warnings.length === 1 ? "" : "s"} (npm run validate -- ${dir}), first: ${formatIssue(validation.warnings[0])}\n`);

    const { params, errors } = parseParams(fromUrl.input, study.meta, sessionsByGroup(study));
    if (errors.length) throw new UsageError(`--params: invalid parameter${errors.length > 1 ? "s" : ""}:\n  ${errors.join("\n  ")}`);
    const participant = stringFlag(args, "participant") ?? fromUrl.participant;
    if (participant !== undefined && !study.participants.some((p) => p.participant_id === participant))
      throw new UsageError(`--participant: ${JSON.stringify(participant)} is not a participant of ${study.meta.id}`);

    const { prepareFigures, writeFigures } = await import("../figures/export.js");
    const { FigureUnavailableError } = await import("../figures/registry.js");
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
    const written = await writeFigures(prepared.figures, {
      out,
      formats: formats as FigureFormat[],
      dpi,
      onWrite: (f) => process.stderr.write(`wrote ${f.path} (${(f.bytes / 1024).toFixed(1)} kB${f.format === "png" || f.format === "pdf" ? `, ${f.ms.toFixed(0)} ms` : ""})\n`),
    });
    const seconds = (performance.now() - t0) / 1000;
    process.stderr.write(
      `${prepared.figures.length} figure${prepared.figures.length === 1 ? "" : "s"} (${formats.join(", ")} + json, ${mm} mm, ${dpi} dpi, ${theme}) in ${out}: ${written.length} files in ${seconds.toFixed(1)} s (analysis and SVG ${(prepared.ms / 1000).toFixed(1)} s)\n`,
    );
  },
  (e) => e instanceof StudyValidationError || e instanceof FigureError,
);
