/**
 * Trial designs (crossover, parallel): each participant's score across time points, one panel
 * per condition or arm, with the condition's mean as a bold line.
 */
import * as Plot from "@observablehq/plot";
import { tagParticipants } from "./participants.js";
import { applyType, captionText, drawnGroupColors, plotStyle, typeOf, type ChartOptions } from "./theme.js";

export interface TrajectoryRow {
  participant_id: string;
  condition: string;
  session: string;
  score: number | null;
}

export interface DesignTrajectoryOptions extends ChartOptions {
  sessions: string[];
  conditions: string[];
  scale: { name: string; min: number; max: number };
  /** "condition" (crossover) or "arm" (parallel), used in labels. */
  conditionLabel?: string;
}

export function designTrajectories(rows: readonly TrajectoryRow[], options: DesignTrajectoryOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 320, document, sessions, conditions, scale, note } = options;
  const type = typeOf(options);
  const label = options.conditionLabel ?? "condition";
  const points = rows
    .filter((r): r is TrajectoryRow & { score: number } => r.score !== null && Number.isFinite(r.score) && sessions.includes(r.session) && conditions.includes(r.condition))
    .sort((a, b) => sessions.indexOf(a.session) - sessions.indexOf(b.session));
  const means = conditions.flatMap((condition) =>
    sessions.flatMap((session) => {
      const xs = points.filter((p) => p.condition === condition && p.session === session).map((p) => p.score);
      return xs.length ? [{ condition, session, score: xs.reduce((s, v) => s + v, 0) / xs.length, n: xs.length }] : [];
    }),
  );
  return applyType(
    Plot.plot({
      document,
      width,
      height,
      title: `${scale.name} across time points, by ${label}`,
      caption: captionText(
        `Each thin line is one participant's ${scale.name} score under one ${label} (dots mark time points with a score); bold lines are the ${label} means.`,
        note,
      ),
      style: plotStyle(type),
      marginLeft: 56,
      marginBottom: 40,
      fx: { domain: conditions, label: null },
      // Half a step beyond the first and last session: the last tick label of one facet and the first of
      // the next are then at least a step apart, as within a facet (at 0.3, "post3" and "pre" touched).
      x: { domain: sessions, label: "Time point", padding: 0.5 },
      y: { domain: [scale.min, scale.max], label: `${scale.name} (points, ${scale.min}–${scale.max})`, labelAnchor: "center", grid: true },
      color: { ...drawnGroupColors(conditions, points.map((p) => p.condition)), legend: true },
      marks: [
        Plot.line(points, { fx: "condition", x: "session", y: "score", z: "participant_id", stroke: "condition", strokeWidth: 1, strokeOpacity: 0.4, ariaDescription: "participant lines", render: tagParticipants(points, (d) => d.participant_id) }),
        Plot.dot(points, { fx: "condition", x: "session", y: "score", fill: "condition", r: 2, fillOpacity: 0.6, ariaDescription: "participant dots", render: tagParticipants(points, (d) => d.participant_id), title: (d: TrajectoryRow) => `${d.participant_id}, ${d.condition}, ${d.session}: ${d.score}` }),
        Plot.line(means, { fx: "condition", x: "session", y: "score", stroke: "condition", strokeWidth: 3, ariaDescription: "condition means" }),
        Plot.dot(means, { fx: "condition", x: "session", y: "score", fill: "condition", r: 4.5, ariaDescription: "condition means", tip: true, title: (d: { condition: string; session: string; score: number; n: number }) => `${d.condition}, ${d.session}: mean ${d.score.toFixed(1)} (n = ${d.n})` }),
      ],
    }),
    type,
  );
}
