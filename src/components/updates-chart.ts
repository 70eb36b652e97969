/**
 * Mean update by news valence, group and session, with ±1 SEM error bars.
 * One facet per group; x = session, colour = valence.
 */
import * as Plot from "@observablehq/plot";
import type { UpdateSummary } from "../lib/task/summary.js";
import { VALENCE_LABELS, applyType, plotStyle, typeOf, valenceColor, type ChartOptions } from "./theme.js";

export interface UpdatesChartOptions extends ChartOptions {
  groups: string[];
  sessions: string[];
}

export function updatesChart(summary: readonly UpdateSummary[], options: UpdatesChartOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 300, document, groups, sessions, note } = options;
  const type = typeOf(options);
  const rows = summary.map((d) => ({ ...d, valenceLabel: VALENCE_LABELS[d.valence], lo: d.mean - (d.sem ?? 0), hi: d.mean + (d.sem ?? 0) }));
  const caption = `Each dot is a group mean of participants' mean update (percentage points toward the base rate); bars ±1 SEM across participants.${note ? " " + note : ""}`;
  return applyType(
    Plot.plot({
      document,
      width,
      height,
      title: "Mean belief update by news valence, group and session",
      caption,
      style: plotStyle(type),
      marginBottom: 40,
      marginLeft: 56,
      fx: { domain: groups, label: null },
      // Half a step beyond the first and last session: the last tick label of one facet and the first of
      // the next are then at least a step apart, as within a facet (at 0.3, "post3" and "pre" touched).
      x: { domain: sessions.filter((s) => rows.some((r) => r.session === s)), label: "Session", padding: 0.5 },
      y: { label: "Mean update (percentage points)", grid: true, zero: true, labelAnchor: "center", labelArrow: "none" },
      color: valenceColor(rows),
      marks: [
        Plot.ruleY([0]),
        ...(["good", "bad"] as const).flatMap((valence) => {
          const data = rows.filter((r) => r.valence === valence);
          const dx = valence === "good" ? -6 : 6;
          return [
            Plot.ruleX(data, { fx: "group", x: "session", y1: "lo", y2: "hi", stroke: "valenceLabel", strokeWidth: 1.5, dx }),
            Plot.dot(data, {
              fx: "group",
              x: "session",
              y: "mean",
              fill: "valenceLabel",
              r: 4.5,
              dx,
              tip: true,
              title: (d: (typeof rows)[number]) =>
                `${d.group}, ${d.session}, ${d.valenceLabel}\nmean ${d.mean.toFixed(2)} (SEM ${d.sem?.toFixed(2) ?? "–"}), n = ${d.n}`,
            }),
          ];
        }),
      ],
    }),
    type,
  );
}
