/**
 * A power curve: for each metric, the simulated power (share of simulated studies significant at
 * alpha) against participants per group or events per session, with the exact 95 % interval of that
 * share (its Monte Carlo error) as a bar at each point, and the 80 % and 90 % targets as dashed rules.
 */
import * as Plot from "@observablehq/plot";
import { FONT_FAMILY, captionText, type ChartOptions } from "./theme.js";

export interface PowerCurveDatum {
  metric: string;
  /** Legend label of the metric. */
  label: string;
  x: number;
  power: number;
  /** Exact 95 % interval of the power (Monte Carlo error). */
  lo: number;
  hi: number;
  /** Simulated studies behind the point (fewer while the curve fills in). */
  replicates: number;
}

export interface PowerCurveOptions extends ChartOptions {
  x: "n" | "events";
  /** The plan's own design on this axis (a vertical rule), if it is one value. */
  design?: number | null;
  targets?: number[];
  alpha?: number;
  /** Metric labels in legend order (default: order of appearance). */
  labels?: string[];
}

/** Okabe–Ito colours, one per metric (the order of METRICS). */
export const METRIC_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"];

export function powerCurve(data: readonly PowerCurveDatum[], options: PowerCurveOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 320, document, note, x, design = null, targets = [0.8, 0.9], alpha = 0.05 } = options;
  const labels = options.labels ?? [...new Set(data.map((d) => d.label))];
  const narrow = width < 420;
  const xLabel = x === "n" ? (narrow ? "Participants per group" : "Participants per group (every group this size)") : "Events per session";
  const counts = data.map((d) => d.replicates);
  const fewest = counts.length ? Math.min(...counts) : 0;
  const most = counts.length ? Math.max(...counts) : 0;
  const studies = fewest === most ? `${most.toLocaleString("en-US")} simulated studies per point` : `${fewest.toLocaleString("en-US")}–${most.toLocaleString("en-US")} simulated studies per point so far`;
  const caption =
    `Power: the share of ${studies} whose test is significant at α = ${alpha}, each analysed by the kit's own code. ` +
    "Bars: exact 95 % interval of that share (the Monte Carlo error; narrower with more studies). Dashed: 80 % and 90 % power" +
    (design !== null ? "; grey: this design." : ".");
  return Plot.plot({
    document,
    width,
    height,
    title: x === "n" ? "Power against the number of participants" : "Power against the number of events per session",
    caption: captionText(caption, note),
    style: { fontFamily: FONT_FAMILY, fontSize: "12px", overflow: "visible" },
    marginBottom: 40,
    marginRight: 16,
    marginLeft: 46,
    x: { label: xLabel, grid: true, type: "linear" },
    y: { label: "Power", domain: [0, 1], grid: true, tickFormat: (d: number) => `${Math.round(d * 100)} %` },
    color: { domain: labels, range: METRIC_COLORS, legend: true, type: "categorical" },
    marks: [
      Plot.ruleY(targets, { strokeDasharray: "5 3", stroke: "currentColor", strokeOpacity: 0.6, ariaDescription: "target power" }),
      Plot.ruleX(design !== null ? [design] : [], { stroke: "currentColor", strokeOpacity: 0.25, strokeWidth: 6, ariaDescription: "this design" }),
      Plot.ruleX(data, { x: "x", y1: "lo", y2: "hi", stroke: "label", strokeWidth: 1.5, strokeOpacity: 0.7, ariaDescription: "Monte Carlo interval" }),
      Plot.line(data, { x: "x", y: "power", stroke: "label", z: "label", strokeWidth: 2, sort: "x", ariaDescription: "power curve" }),
      Plot.dot(data, {
        x: "x",
        y: "power",
        fill: "label",
        r: 3.5,
        title: (d: PowerCurveDatum) => `${d.label}\n${x === "n" ? "N per group" : "events"} ${d.x}: power ${(100 * d.power).toFixed(1)} % [${(100 * d.lo).toFixed(1)}, ${(100 * d.hi).toFixed(1)}] from ${d.replicates} studies`,
        ariaDescription: "power",
      }),
    ],
  });
}
