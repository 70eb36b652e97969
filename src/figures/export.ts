/**
 * Render named figures to SVG (master), PNG and PDF with a sidecar JSON each (Node: jsdom,
 * resvg, Chromium). Two steps so that nothing is written when something is wrong:
 * `prepareFigures` builds every SVG in memory (throws on the first figure that cannot be drawn,
 * unless told to skip it), `writeFigures` rasterises, prints and writes. Belief-updating studies
 * go through `prepareFigures` (registry.ts, parameters of the dashboard), crossover and parallel
 * studies through `prepareDesignFigures` (design-registry.ts, no parameters); `writeFigures` takes both.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import type { AnalysisParams } from "../lib/analysis/params.js";
import { serializeParams } from "../lib/analysis/params.js";
import { analyzeStudy, sessionsByGroup, type AnalysisResult, designOf } from "../lib/analysis/pipeline.js";
import { KIT_VERSION } from "../lib/analysis/report.js";
import { analyzeDesign, type DesignAnalysis } from "../lib/designs/analyze.js";
import type { Study } from "../lib/study/types.js";
import { designFigureByName, designFigureContext, designFigures } from "./design-registry.js";
import { trialDesignOf, type TrialDesignName } from "./names.js";
import { PdfRenderer } from "./pdf.js";
import { mmToPx, svgToPng } from "./png.js";
import { FigureUnavailableError, figureByName, figureContext, panelParticipant, type BuiltFigure, type FigureContext } from "./registry.js";
import { EXPORT_FONT_FAMILY, exportFigureSvg, type ExportedSvg, type ThemeName } from "./svg-export.js";
import { PRINT_TYPE } from "../components/theme.js";

/** The sidecar's "format": sizes of the SVG and PNG and the options they were made with. */
function sidecarFormat(
  svg: ExportedSvg,
  options: { widthMm: number; dpi: number; theme: ThemeName },
  pngWidth: number,
) {
  return {
    width_mm: options.widthMm,
    height_mm: svg.height_mm!,
    dpi: options.dpi,
    theme: options.theme,
    font_family: EXPORT_FONT_FAMILY,
    svg_px: { width: svg.width, height: svg.height },
    png_px: { width: pngWidth, height: Math.round((svg.height * pngWidth) / svg.width) },
  };
}

export const FORMATS = ["svg", "png", "pdf"] as const;
export type FigureFormat = (typeof FORMATS)[number];
export { COLUMN_WIDTHS_MM } from "./widths.js";
/** CSS px per inch: the SVG's user unit. */
export const SVG_DPI = 96;

export interface FigureRunOptions {
  study: Study;
  params: AnalysisParams;
  names: readonly string[];
  widthMm: number;
  dpi: number;
  theme: ThemeName;
  participant?: string;
  /** Leave out figures these parameters cannot draw (with the reason) instead of throwing. */
  skipUnavailable?: boolean;
  /** A precomputed analysis of `study` with `params`. */
  analysis?: AnalysisResult;
  /** Folder of the study, for the sidecar's command that reproduces the figure. */
  studyDir?: string;
}

export interface FigureSidecar {
  figure: string;
  title: string;
  caption: string;
  study: { id: string; title: string; synthetic: boolean; citation: string };
  params: AnalysisParams;
  /** The dashboard's URL query for these parameters (empty: the defaults). */
  query: string;
  participant: string | null;
  numbers: Record<string, unknown>;
  kit_version: string;
  format: {
    width_mm: number;
    height_mm: number;
    dpi: number;
    theme: ThemeName;
    font_family: string;
    svg_px: { width: number; height: number };
    png_px: { width: number; height: number };
  };
  files: Partial<Record<FigureFormat, string>>;
  reproduce: string;
}

/** The sidecar of a crossover or parallel study's figure: no dashboard parameters, the design instead. */
export interface DesignFigureSidecar {
  figure: string;
  title: string;
  caption: string;
  study: FigureSidecar["study"];
  design: TrialDesignName;
  numbers: Record<string, unknown>;
  kit_version: string;
  format: FigureSidecar["format"];
  files: Partial<Record<FigureFormat, string>>;
  reproduce: string;
}

export interface PreparedFigure<S extends FigureSidecar | DesignFigureSidecar = FigureSidecar> {
  name: string;
  svg: ExportedSvg;
  sidecar: S;
}

export interface Prepared {
  figures: PreparedFigure[];
  skipped: { name: string; reason: string }[];
  analysis: AnalysisResult;
  ms: number;
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]*$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Build every figure's SVG and sidecar in memory. Unknown names throw; so do unavailable figures unless skipUnavailable. */
export function prepareFigures(options: FigureRunOptions): Prepared {
  const t0 = performance.now();
  const design = trialDesignOf(options.study.meta);
  if (design) throw new FigureUnavailableError(`${options.study.meta.id} is a ${design} study: its figures are drawn by prepareDesignFigures`);
  const specs = options.names.map((name) => {
    const spec = figureByName(name);
    if (!spec) throw new FigureUnavailableError(`unknown figure ${JSON.stringify(name)}`);
    return spec;
  });
  const { study, params } = options;
  const { document } = new JSDOM("<!doctype html><html><body></body></html>").window;
  const widthPx = mmToPx(options.widthMm, SVG_DPI);
  const analysis = options.analysis ?? analyzeStudy(study, params);
  const ctx: FigureContext = figureContext(study, params, { document, width: widthPx, theme: options.theme, participant: options.participant, analysis, media: "print" });
  const query = serializeParams(params, designOf(study));
  const pngWidth = mmToPx(options.widthMm, options.dpi);
  const skipped: Prepared["skipped"] = [];
  const figures = prepareEach<FigureContext, FigureSidecar>(specs, ctx, options, skipped, widthPx, (spec) => {
    const participant = spec.name === "participant" ? panelParticipant(ctx) : null;
    const reproduce = reproduceCommand(options, spec.name, [
      ...(query ? [`--params ${shellQuote(query)}`] : []),
      ...(participant && options.participant ? [`--participant ${shellQuote(participant)}`] : []),
    ]);
    return { middle: { params, query, participant }, reproduce };
  });
  return { figures, skipped, analysis, ms: performance.now() - t0 };
}

export interface WrittenFile {
  figure: string;
  format: FigureFormat | "json";
  path: string;
  bytes: number;
  ms: number;
}

export interface DesignFigureRunOptions {
  study: Study;
  names: readonly string[];
  widthMm: number;
  dpi: number;
  theme: ThemeName;
  /** Leave out figures that cannot be drawn (with the reason) instead of throwing. */
  skipUnavailable?: boolean;
  /** A precomputed `analyzeDesign(study)`. */
  analysis?: DesignAnalysis;
  /** Folder of the study, for the sidecar's command that reproduces the figure. */
  studyDir?: string;
}

export interface PreparedDesign {
  figures: PreparedFigure<DesignFigureSidecar>[];
  skipped: { name: string; reason: string }[];
  analysis: DesignAnalysis;
  ms: number;
}

/**
 * Build every figure of a crossover or parallel study (design-registry.ts) in memory. Unknown
 * names throw (the message lists the study's figures); so do unavailable figures unless skipUnavailable.
 */
export function prepareDesignFigures(options: DesignFigureRunOptions): PreparedDesign {
  const t0 = performance.now();
  const { study } = options;
  const { document } = new JSDOM("<!doctype html><html><body></body></html>").window;
  const widthPx = mmToPx(options.widthMm, SVG_DPI);
  const analysis = options.analysis ?? analyzeDesign(study);
  const ctx = designFigureContext(study, { document, width: widthPx, theme: options.theme, analysis, media: "print" });
  const specs = options.names.map((name) => {
    const spec = designFigureByName(study.meta, name);
    if (!spec) throw new FigureUnavailableError(`unknown figure ${JSON.stringify(name)} for ${ctx.design} study ${study.meta.id}; its figures: ${designFigures(study.meta).map((f) => f.name).join(", ")}`);
    return spec;
  });
  const skipped: PreparedDesign["skipped"] = [];
  const figures = prepareEach<typeof ctx, DesignFigureSidecar>(specs, ctx, options, skipped, widthPx, (spec) => ({ middle: { design: ctx.design }, reproduce: reproduceCommand(options, spec.name) }));
  return { figures, skipped, analysis, ms: performance.now() - t0 };
}

/** Rasterise and write each prepared figure (of either kind of study) in `formats` plus `<name>.json` into `out`. */
export async function writeFigures(
  prepared: readonly PreparedFigure<FigureSidecar | DesignFigureSidecar>[],
  options: { out: string; formats: readonly FigureFormat[]; dpi: number; onWrite?: (f: WrittenFile) => void },
): Promise<WrittenFile[]> {
  mkdirSync(options.out, { recursive: true });
  const written: WrittenFile[] = [];
  const put = (figure: string, format: WrittenFile["format"], data: string | Uint8Array, t0: number) => {
    const path = join(options.out, `${figure}.${format}`);
    writeFileSync(path, data);
    const f = { figure, format, path, bytes: typeof data === "string" ? Buffer.byteLength(data) : data.length, ms: performance.now() - t0 };
    written.push(f);
    options.onWrite?.(f);
  };
  const pdf = options.formats.includes("pdf") ? await PdfRenderer.launch() : null;
  try {
    for (const fig of prepared) {
      const { sidecar, svg } = fig;
      if (options.formats.includes("svg")) {
        put(fig.name, "svg", svg.svg, performance.now());
        sidecar.files.svg = `${fig.name}.svg`;
      }
      if (options.formats.includes("png")) {
        const t0 = performance.now();
        const png = await svgToPng(svg.svg, { widthPx: sidecar.format.png_px.width, dpi: options.dpi });
        if (png.width !== sidecar.format.png_px.width || png.height !== sidecar.format.png_px.height)
          throw new Error(`${fig.name}.png: rasterised at ${png.width}×${png.height} px, expected ${sidecar.format.png_px.width}×${sidecar.format.png_px.height}`);
        put(fig.name, "png", png.png, t0);
        sidecar.files.png = `${fig.name}.png`;
      }
      if (pdf) {
        const t0 = performance.now();
        const bytes = await pdf.render(svg.svg, { widthMm: sidecar.format.width_mm, heightMm: sidecar.format.height_mm, title: sidecar.title });
        put(fig.name, "pdf", bytes, t0);
        sidecar.files.pdf = `${fig.name}.pdf`;
      }
      put(fig.name, "json", JSON.stringify(sidecar, null, 2) + "\n", performance.now());
    }
  } finally {
    await pdf?.close();
  }
  return written;
}

/**
 * Build one figure. A figure the study cannot have (FigureUnavailableError) is recorded in
 * `skipped` when `skipUnavailable`, else rethrown with the figure's name.
 */
type SidecarCommon = Omit<FigureSidecar, "params" | "query" | "participant">;

/**
 * The loop of both kinds of study: build each figure (or skip it), export its SVG, and write its sidecar:
 * figure, title, caption and study, then what `each` adds for the kind of study, then numbers, version,
 * format, files and the command that reproduces it (this key order is the sidecar's).
 */
function prepareEach<C, S extends FigureSidecar | DesignFigureSidecar>(
  specs: readonly { name: string; title: string; build(ctx: C): BuiltFigure }[],
  ctx: C,
  options: { study: Study; widthMm: number; dpi: number; theme: ThemeName; skipUnavailable?: boolean },
  skipped: { name: string; reason: string }[],
  widthPx: number,
  each: (spec: { name: string }) => { middle: Omit<S, keyof SidecarCommon>; reproduce: string },
): PreparedFigure<S>[] {
  const { study } = options;
  const pngWidth = mmToPx(options.widthMm, options.dpi);
  const figures: PreparedFigure<S>[] = [];
  for (const spec of specs) {
    const builtFigure = buildOrSkip(spec, ctx, options.skipUnavailable, skipped);
    if (!builtFigure) continue;
    const svg = exportFigureSvg(builtFigure.element, { theme: options.theme, width: widthPx, widthMm: options.widthMm, type: PRINT_TYPE });
    const { middle, reproduce } = each(spec);
    const sidecar = {
      figure: spec.name,
      title: svg.title || spec.title,
      caption: builtFigure.caption,
      study: { id: study.meta.id, title: study.meta.title, synthetic: study.meta.synthetic, citation: study.meta.citation },
      ...middle,
      numbers: builtFigure.numbers,
      kit_version: KIT_VERSION,
      format: sidecarFormat(svg, options, pngWidth),
      files: {},
      reproduce,
    } as SidecarCommon as S;
    figures.push({ name: spec.name, svg, sidecar });
  }
  return figures;
}

function buildOrSkip<C, F>(spec: { name: string; build(ctx: C): F }, ctx: C, skipUnavailable: boolean | undefined, skipped: { name: string; reason: string }[]): F | null {
  try {
    return spec.build(ctx);
  } catch (e) {
    if (e instanceof FigureUnavailableError && skipUnavailable) {
      skipped.push({ name: spec.name, reason: e.message });
      return null;
    }
    if (e instanceof FigureUnavailableError) throw new FigureUnavailableError(`${spec.name}: ${e.message}`);
    throw e;
  }
}

/** The command that makes this figure again (the sidecar's `reproduce`); `extra` goes after --figures. */
function reproduceCommand(options: { studyDir?: string; widthMm: number; dpi: number; theme: string }, figure: string, extra: string[] = []): string {
  return [
    "npx belief-kit figures",
    ...(options.studyDir ? [shellQuote(options.studyDir)] : []),
    `--figures ${figure}`,
    ...extra,
    `--width ${options.widthMm}`,
    `--dpi ${options.dpi}`,
    `--theme ${options.theme}`,
  ].join(" ");
}
