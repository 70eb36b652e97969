/**
 * Response rates per condition or arm, with the exact (Clopper–Pearson) 95% interval: a whisker
 * with caps, and its bounds written above it with responders/n.
 */
import * as Plot from "@observablehq/plot";
import { applyType, captionText, groupColorRange, plotStyle, typeOf, type ChartOptions } from "./theme.js";

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
  const type = typeOf(options);
  const data = rows.filter((r) => r.rate !== null).map((r) => {
    const lo = (r.ci?.[0] ?? r.rate!) * 100;
    const hi = (r.ci?.[1] ?? r.rate!) * 100;
    const ci = r.ci ? `95% CI ${pct(r.ci[0])}–${pct(r.ci[1])}%` : "95% CI –";
    return { ...r, pct: r.rate! * 100, lo, hi, label: `${r.responders}/${r.n} = ${pct(r.rate!)}%\n${ci}` };
  });
  // Room above the frame for the two lines of a label over an interval reaching 100%.
  const marginTop = Math.ceil(2 * 1.25 * type.mark + 10);
  return applyType(
    Plot.plot({
      document,
      width,
      height: height + marginTop - 20,
      title: "Response rate",
      caption: captionText(
        `Each bar is the share of responders (${definition}) under one condition or arm; the whisker is its exact 95% confidence interval (Clopper–Pearson), written above it with responders/n.`,
        note,
      ),
      style: plotStyle(type),
      marginLeft: 56,
      marginTop,
      x: { domain: conditions, label: null, padding: 0.4 },
      y: { domain: [0, 100], label: "Responders (%)", labelAnchor: "center", grid: true },
      color: { domain: conditions, range: groupColorRange(conditions) },
      marks: [
        Plot.barY(data, { x: "condition", y: "pct", fill: "condition", ariaDescription: "response rates", title: (d: (typeof data)[number]) => d.label.replace("\n", ", ") }),
        Plot.ruleX(data, { x: "condition", y1: "lo", y2: "hi", strokeWidth: 1.5, ariaDescription: "intervals" }),
        // Caps at both ends of each interval.
        Plot.tickY(data, { x: "condition", y: "lo", strokeWidth: 1.5, inset: 0, ariaDescription: "interval ends", render: capWidth(12) }),
        Plot.tickY(data, { x: "condition", y: "hi", strokeWidth: 1.5, inset: 0, ariaDescription: "interval ends", render: capWidth(12) }),
        Plot.text(data, { x: "condition", y: "hi", text: "label", lineAnchor: "bottom", dy: -5, fontSize: type.mark, lineHeight: 1.25, ariaDescription: "counts and intervals" }),
        Plot.ruleY([0]),
      ],
    }),
    type,
  );
}

/** A rate as a percentage with one decimal (27.7). */
function pct(rate: number): string {
  return (rate * 100).toFixed(1);
}

/** A render transform that shortens tickY's lines (the band's width) to `px`, centred. */
function capWidth(px: number): Plot.RenderFunction {
  return function (index, scales, values, dimensions, context, next) {
    const g = next!(index, scales, values, dimensions, context);
    for (const line of g?.querySelectorAll("line") ?? []) {
      const x1 = Number(line.getAttribute("x1"));
      const x2 = Number(line.getAttribute("x2"));
      const mid = (x1 + x2) / 2;
      line.setAttribute("x1", String(mid - px / 2));
      line.setAttribute("x2", String(mid + px / 2));
    }
    return g;
  };
}
