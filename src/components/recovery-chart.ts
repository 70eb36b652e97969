/**
 * Parameter recovery: estimated vs true parameter values of simulated participants, one panel per
 * parameter (each with its own scale, as parameters differ in range), with the identity line and
 * the correlation r and mean bias written in the panel.
 */
import * as Plot from "@observablehq/plot";
import { FONT_FAMILY, captionText, docOf, fmt, type ChartOptions } from "./theme.js";

export interface RecoveryPoint {
  parameter: string;
  truth: number;
  estimate: number;
}

export interface RecoveryStat {
  parameter: string;
  /** Pearson correlation of truth and estimate. */
  r: number | null;
  /** Mean of estimate − truth. */
  bias: number | null;
  n: number;
}

export interface RecoveryChartOptions extends ChartOptions {
  /** Panel order (default: order of `stats`, then of the points). */
  parameters?: string[];
  /** Width of one panel in pixels (default: fits `width` with up to four panels per row). */
  panelWidth?: number;
}

/**
 * A `<figure>` with an `<h2>` title, one panel per parameter (`div.recovery-panel[data-parameter]`
 * holding a heading and a Plot `<svg>`) and a `<figcaption>`.
 */
export function recoveryChart(points: readonly RecoveryPoint[], stats: readonly RecoveryStat[], options: RecoveryChartOptions = {}): HTMLElement {
  const doc = docOf(options);
  const { width = 640, note } = options;
  const parameters = options.parameters ?? [...new Set([...stats.map((s) => s.parameter), ...points.map((p) => p.parameter)])];
  const panelWidth = options.panelWidth ?? Math.max(180, Math.floor(width / Math.min(4, Math.max(1, parameters.length))) - 8);
  const figure = doc.createElement("figure");
  figure.setAttribute("style", `max-width: ${width}px; margin: 0; font-family: ${FONT_FAMILY};`);
  const h2 = doc.createElement("h2");
  h2.textContent = "Parameter recovery: estimated vs true values";
  const panels = doc.createElement("div");
  panels.setAttribute("style", "display: flex; flex-wrap: wrap; gap: 8px;");
  for (const parameter of parameters) {
    const data = points.filter((p) => p.parameter === parameter && Number.isFinite(p.truth) && Number.isFinite(p.estimate));
    const stat = stats.find((s) => s.parameter === parameter);
    const values = data.flatMap((d) => [d.truth, d.estimate]);
    const lo = values.length ? Math.min(...values) : 0;
    const hi = values.length ? Math.max(...values) : 1;
    const pad = (hi - lo) * 0.05 || 0.05;
    const domain = [lo - pad, hi + pad];
    const label = stat ? `r = ${fmt(stat.r, 2)}\nbias = ${fmt(stat.bias, 3)}\nn = ${stat.n}` : `n = ${data.length}`;
    const svg = Plot.plot({
      document: options.document,
      width: panelWidth,
      height: panelWidth,
      marginLeft: 48,
      marginBottom: 40,
      style: { fontFamily: FONT_FAMILY, fontSize: "11px", overflow: "visible" },
      x: { domain, label: `True ${parameter}`, ticks: 4 },
      y: { domain, label: `Estimated ${parameter}`, ticks: 4, grid: true },
      marks: [
        Plot.line([[domain[0], domain[0]], [domain[1], domain[1]]], { stroke: "currentColor", strokeDasharray: "4 3", strokeOpacity: 0.6, ariaDescription: "identity" }),
        Plot.dot(data, { x: "truth", y: "estimate", r: 2.5, fill: "#0072B2", fillOpacity: 0.6, title: (d: RecoveryPoint) => `true ${fmt(d.truth, 3)}, estimated ${fmt(d.estimate, 3)}` }),
        Plot.text([label], { frameAnchor: "top-left", dx: 4, dy: 2, lineAnchor: "top", textAnchor: "start", fill: "currentColor", ariaDescription: "recovery statistics" }),
      ],
    });
    const panel = doc.createElement("div");
    panel.className = "recovery-panel";
    panel.setAttribute("data-parameter", parameter);
    const heading = doc.createElement("div");
    heading.setAttribute("style", "font-weight: bold; text-align: center;");
    heading.textContent = parameter;
    panel.append(heading, svg);
    panels.append(panel);
  }
  const caption = doc.createElement("figcaption");
  caption.textContent = captionText(
    "Each dot is one simulated participant-session: the parameter value used to simulate the data (x) and the value fitted back from those data (y). Dashed line: perfect recovery (y = x); r is the correlation and bias the mean of estimate − truth.",
    note,
  );
  figure.append(h2, panels, caption);
  return figure;
}
