/**
 * Bayesian model selection per group and session: each Bayesian model's protected exceedance
 * probability (bars) and posterior frequency (dots), one panel per group × session.
 */
import * as Plot from "@observablehq/plot";
import { FONT_FAMILY, captionText, type ChartOptions } from "./theme.js";

export interface ModelSelectionCell {
  group: string | null;
  session: string | null;
  n: number;
  frequency: Record<string, number>;
  protected_exceedance: Record<string, number> | null;
  bor: number;
}

export function modelSelectionChart(cells: readonly ModelSelectionCell[], options: ChartOptions & { models: readonly string[] }): SVGSVGElement | HTMLElement {
  const { width = 640, document, note, models } = options;
  const rows = cells.flatMap((c) =>
    models.map((m) => ({ cell: `${c.group ?? "all"}, ${c.session ?? "all"} (n ${c.n}, BOR ${c.bor.toFixed(2)})`, model: m, pxp: c.protected_exceedance?.[m] ?? NaN, frequency: c.frequency[m] ?? NaN })),
  );
  const cellNames = [...new Set(rows.map((r) => r.cell))];
  return Plot.plot({
    document,
    width,
    height: 50 + cellNames.length * (models.length * 22 + 26),
    title: "Bayesian model selection by group and session",
    caption: captionText(
      "Bars: protected exceedance probability of each model (the probability that it is the most frequent in the population, corrected for the chance that no model is; Rigoux et al. 2014). Dots: posterior model frequency. BOR: Bayesian omnibus risk (the posterior probability that all models are equally frequent).",
      note,
    ),
    style: { fontFamily: FONT_FAMILY, fontSize: "12px", overflow: "visible" },
    marginLeft: 150,
    marginRight: 10,
    fy: { domain: cellNames, label: null },
    y: { domain: [...models], label: null },
    x: { domain: [0, 1], label: "Probability", grid: true },
    marks: [
      Plot.barX(rows.filter((r) => Number.isFinite(r.pxp)), { fy: "cell", y: "model", x: "pxp", fill: "currentColor", fillOpacity: 0.35 }),
      Plot.dot(rows, { fy: "cell", y: "model", x: "frequency", fill: "currentColor", r: 3 }),
      Plot.ruleX([0]),
    ],
  });
}
