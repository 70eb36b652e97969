/**
 * Mediation scatter: one dot per patient, change in the mediator (x) vs change in the outcome (y),
 * with the fitted regression line and its 95% confidence band.
 */
import * as Plot from "@observablehq/plot";
import { applySelection, tagParticipants } from "./participants.js";
import { FONT_FAMILY, GROUP_COLORS, captionText, fmt, type ChartOptions } from "./theme.js";

export interface MediationScatterPoint {
  participant_id: string;
  /** Change in the mediator (e.g. learning-rate asymmetry), later − earlier session. */
  dM: number;
  /** Change in the outcome (e.g. MADRS), later − earlier session. */
  dY: number;
}

/** A point of the fitted line; `y` or `fit` (as returned by lib/mediation's `mediationLine`). */
export interface MediationLinePoint {
  x: number;
  y?: number;
  fit?: number;
  lo: number | null;
  hi: number | null;
}

export interface MediationScatterOptions extends ChartOptions {
  xLabel: string;
  yLabel: string;
  title?: string;
  caption?: string;
  selected?: Iterable<string> | null;
}

/**
 * Returns Plot's `<figure>` (it has a title and caption); its `.scale("x")` / `.scale("y")` work,
 * and the plot `<svg>` is its last direct `<svg>` child (see `plotSvg` in theme.ts). The dots are
 * `circle[data-participant]`.
 */
export function mediationScatter(
  points: readonly MediationScatterPoint[],
  line: readonly MediationLinePoint[],
  options: MediationScatterOptions,
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const { width = 640, height = 400, document, xLabel, yLabel, selected, note } = options;
  const fitted = line.map((d) => ({ x: d.x, y: d.y ?? d.fit ?? NaN, lo: d.lo, hi: d.hi })).filter((d) => Number.isFinite(d.y));
  const band = fitted.filter((d) => d.lo !== null && d.hi !== null);
  const dots = points.filter((p) => Number.isFinite(p.dM) && Number.isFinite(p.dY));
  const chart = Plot.plot({
    document,
    width,
    height,
    title: options.title ?? "Change in the mediator vs change in the clinical score",
    caption: captionText(
      options.caption ??
        "Each dot is one patient: the change between sessions in the mediator (x) and in the clinical score (y). The line is the fitted regression of the outcome change on the mediator change, with its 95% confidence band (shaded).",
      note,
    ),
    style: { fontFamily: FONT_FAMILY, fontSize: "12px", overflow: "visible" },
    marginBottom: 40,
    x: { label: xLabel, grid: true },
    y: { label: yLabel, grid: true },
    marks: [
      Plot.ruleX([0], { strokeOpacity: 0.5 }),
      Plot.ruleY([0], { strokeOpacity: 0.5 }),
      Plot.areaY(band, { x: "x", y1: "lo", y2: "hi", fill: "currentColor", fillOpacity: 0.12, ariaDescription: "confidence band" }),
      Plot.line(fitted, { x: "x", y: "y", stroke: "currentColor", strokeWidth: 2, ariaDescription: "regression line" }),
      Plot.dot(dots, {
        x: "dM",
        y: "dY",
        r: 4,
        fill: GROUP_COLORS.treatment,
        fillOpacity: 0.75,
        tip: true,
        title: (d: MediationScatterPoint) => `${d.participant_id}\n${xLabel}: ${fmt(d.dM, 3)}\n${yLabel}: ${fmt(d.dY, 2)}`,
        ariaDescription: "patients",
        render: tagParticipants(dots, (d) => d.participant_id),
      }),
    ],
  });
  applySelection(chart, selected);
  return chart;
}
