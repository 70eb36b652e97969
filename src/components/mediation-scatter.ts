/**
 * Mediation scatter: one dot per patient, change in the mediator (x) vs change in the outcome (y),
 * with the fitted regression line and its 95% confidence band.
 *
 * Large cohorts: with `maxPoints`, a study with more patients draws the dots of a seeded sample of
 * that many (plus any selected patient); the line and band are the fit to everyone (they are
 * passed in), the axes cover every patient, and the caption says how many dots were drawn.
 */
import * as Plot from "@observablehq/plot";
import * as d3 from "d3";
import { applySelection, sampleParticipants, tagParticipants } from "./participants.js";
import { GROUP_COLORS, applyType, captionText, fmt, plotStyle, typeOf, type ChartOptions } from "./theme.js";

/** Radius of a patient's dot, px. */
const DOT_R = 4;

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
  /** Draw the dots of at most this many patients (a seeded random sample; selected ones always). Default: all. */
  maxPoints?: number;
  /** Seed of that sample (default 1). */
  sampleSeed?: number;
  /**
   * Called when the reader clicks a dot (a single click; a double click or the click that ends a
   * brush drag does not count) or presses Enter or Space on a focused dot, with the dot's
   * participant id: e.g. open that patient's page. With it the dots get a pointer cursor and are
   * focusable (`tabindex="0"`, `role="link"`). Each dot is `circle[data-participant="<id>"]`,
   * for pages that prefer their own listeners. With attachBrush the dots stay clickable: they are
   * drawn above the brush's overlay.
   */
  onDotClick?: (participant_id: string, event: MouseEvent | KeyboardEvent) => void;
}

/**
 * Returns Plot's `<figure>` (it has a title and caption); its `.scale("x")` / `.scale("y")` work,
 * and the plot `<svg>` is its last direct `<svg>` child (see `plotSvg` in theme.ts). The dots are
 * `circle[data-participant]`. To open a patient from a click on its dot, pass `onDotClick`; to
 * brush, call attachBrush (brush.ts) on the returned figure: clicks on dots still reach the dots.
 */
export function mediationScatter(
  points: readonly MediationScatterPoint[],
  line: readonly MediationLinePoint[],
  options: MediationScatterOptions,
): (SVGSVGElement | HTMLElement) & Plot.Plot {
  const { width = 640, height = 400, document, xLabel, yLabel, selected, note } = options;
  const type = typeOf(options);
  const fitted = line.map((d) => ({ x: d.x, y: d.y ?? d.fit ?? NaN, lo: d.lo, hi: d.hi })).filter((d) => Number.isFinite(d.y));
  const band = fitted.filter((d) => d.lo !== null && d.hi !== null);
  const all = points.filter((p) => Number.isFinite(p.dM) && Number.isFinite(p.dY));
  const { maxPoints, sampleSeed = 1 } = options;
  const sampled = maxPoints !== undefined && all.length > maxPoints;
  const drawn = sampled ? sampleParticipants(all.map((p) => p.participant_id), maxPoints, sampleSeed, selected) : null;
  const dots = drawn ? all.filter((p) => drawn.has(p.participant_id)) : all;
  const count = (n: number) => n.toLocaleString("en-US");
  const sampleText = sampled ? ` ${count(dots.length)} of ${count(all.length)} patients drawn (seeded sample); the line and band are fitted to all ${count(all.length)}.` : "";
  // The axes cover every patient, drawn or not (so that the sample does not change the scales).
  const xExtent = sampled ? (d3.extent(all, (p) => p.dM) as [number, number]) : undefined;
  const yExtent = sampled ? (d3.extent(all, (p) => p.dY) as [number, number]) : undefined;
  const chart = Plot.plot({
    document,
    width,
    height,
    title: options.title ?? "Change in the mediator vs change in the clinical score",
    caption: captionText(
      (options.caption ??
        "Each dot is one patient: the change between sessions in the mediator (x) and in the clinical score (y). The line is the fitted regression of the outcome change on the mediator change, with its 95% confidence band (shaded).") + sampleText,
      note,
    ),
    style: plotStyle(type),
    marginBottom: 40,
    // Nice domains (round ends, enough ticks for the width) and an inset of a dot radius and a
    // little more, so that no dot sits on the frame.
    x: { label: xLabel, grid: true, nice: true, inset: DOT_R + 4, ticks: Math.max(4, Math.floor(width / 70)) },
    y: { label: yLabel, grid: true, nice: true, inset: DOT_R + 4, ticks: Math.max(4, Math.floor(height / 50)) },
    marks: [
      // Invisible: the extent of every patient (only when a sample is drawn), so the axes do not depend on it.
      ...(xExtent && yExtent ? [Plot.dot([{ x: xExtent[0], y: yExtent[0] }, { x: xExtent[1], y: yExtent[1] }], { x: "x", y: "y", r: 0, ariaHidden: "true", ariaDescription: "extent" })] : []),
      Plot.ruleX([0], { strokeOpacity: 0.5 }),
      Plot.ruleY([0], { strokeOpacity: 0.5 }),
      Plot.areaY(band, { x: "x", y1: "lo", y2: "hi", fill: "currentColor", fillOpacity: 0.12, ariaDescription: "confidence band" }),
      Plot.line(fitted, { x: "x", y: "y", stroke: "currentColor", strokeWidth: 2, ariaDescription: "regression line" }),
      Plot.dot(dots, {
        x: "dM",
        y: "dY",
        r: DOT_R,
        fill: GROUP_COLORS.treatment,
        fillOpacity: 0.75,
        // A pressed dot makes its tip sticky, drawn over the dot: it must not catch the release,
        // or the click would go to the svg instead of the dot.
        tip: { pointerEvents: "none" },
        title: (d: MediationScatterPoint) => `${d.participant_id}\n${xLabel}: ${fmt(d.dM, 3)}\n${yLabel}: ${fmt(d.dY, 2)}`,
        ariaDescription: "patients",
        render: tagParticipants(dots, (d) => d.participant_id),
      }),
    ],
  });
  const { onDotClick } = options;
  if (onDotClick) {
    for (const dot of chart.querySelectorAll<SVGElement>("circle[data-participant]")) {
      const id = dot.getAttribute("data-participant")!;
      dot.style.cursor = "pointer";
      dot.setAttribute("tabindex", "0");
      dot.setAttribute("role", "link");
      dot.setAttribute("aria-label", `Open patient ${id}`);
      dot.addEventListener("click", (event) => {
        if ((event as MouseEvent).detail > 1) return;
        onDotClick(id, event as MouseEvent);
      });
      dot.addEventListener("keydown", (event) => {
        const key = (event as KeyboardEvent).key;
        if (key !== "Enter" && key !== " ") return;
        event.preventDefault();
        onDotClick(id, event as KeyboardEvent);
      });
    }
  }
  chart.setAttribute("data-points-drawn", String(dots.length));
  chart.setAttribute("data-points-total", String(all.length));
  applySelection(chart, selected);
  return applyType(chart, type);
}
