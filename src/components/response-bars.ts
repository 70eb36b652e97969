/** Response rates per condition or arm, with the exact (Clopper–Pearson) 95% interval. */
import * as Plot from "@observablehq/plot";
import { FONT_FAMILY, captionText, groupColorRange, type ChartOptions } from "./theme.js";

export interface ResponseBar {
  condition: string;
  responders: number;
  n: number;
  rate: number | null;
  ci: [number, number] | null;
}

export interface ResponseBarsOptions extends ChartOptions {
  conditions: string[];
  /** e.g. "≥ 50% reduction of HAM-D-17 on day1". */
  definition: string;
}

export function responseBars(rows: readonly ResponseBar[], options: ResponseBarsOptions): SVGSVGElement | HTMLElement {
  const { width = 480, height = 280, document, conditions, definition, note } = options;
  const data = rows.filter((r) => r.rate !== null).map((r) => ({ ...r, pct: r.rate! * 100, lo: (r.ci?.[0] ?? r.rate!) * 100, hi: (r.ci?.[1] ?? r.rate!) * 100, label: `${r.responders}/${r.n}` }));
  return Plot.plot({
    document,
    width,
    height,
    title: "Response rate",
    caption: captionText(`Each bar is the share of responders (${definition}) under one condition or arm; the label gives responders/n and the whisker the exact 95% interval (Clopper–Pearson).`, note),
    style: { fontFamily: FONT_FAMILY, fontSize: "12px", overflow: "visible" },
    marginLeft: 56,
    x: { domain: conditions, label: null, padding: 0.4 },
    y: { domain: [0, 100], label: "Responders (%)", labelAnchor: "center", grid: true },
    color: { domain: conditions, range: groupColorRange(conditions) },
    marks: [
      Plot.barY(data, { x: "condition", y: "pct", fill: "condition", ariaDescription: "response rates" }),
      Plot.ruleX(data, { x: "condition", y1: "lo", y2: "hi", strokeWidth: 1.5, ariaDescription: "intervals" }),
      Plot.text(data, { x: "condition", y: "pct", text: "label", dy: -8, dx: 18, fontSize: 12, ariaDescription: "counts" }),
      Plot.ruleY([0]),
    ],
  });
}
