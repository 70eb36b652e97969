/**
 * Clinical scores across sessions: one faded line per participant (colour = group), bold group-mean
 * lines; a selection or one highlighted participant is drawn on top.
 *
 * The legend lists the groups drawn (a page that passes only the treatment group's rows gets a
 * legend of that group, in its usual colour) and, when one participant is highlighted, an entry
 * for that participant's orange line (`highlightLabel`, default "<id> (this participant)").
 */
import * as Plot from "@observablehq/plot";
import { applyHighlight, applySelection, tagParticipants } from "./participants.js";
import { HIGHLIGHT_COLOR, applyType, captionText, drawnGroupColors, fmt, plotStyle, typeOf, type ChartOptions } from "./theme.js";

export interface ClinicalScoreRow {
  participant_id: string;
  group: string;
  session: string;
  score: number | null;
}

export interface ClinicalTrajectoryOptions extends ChartOptions {
  sessions: string[];
  scale: { name: string; min: number; max: number };
  /** Group order and colours (default: order first met). */
  groups?: string[];
  selected?: Iterable<string> | null;
  /** One participant shown bold (`data-highlighted="true"`) in the highlight colour, with a legend entry. */
  highlight?: string | null;
  /** The legend's label of the highlighted line (default "<id> (this participant)"). */
  highlightLabel?: string;
}

export function clinicalTrajectory(rows: readonly ClinicalScoreRow[], options: ClinicalTrajectoryOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 320, document, sessions, scale, selected, highlight, note } = options;
  const type = typeOf(options);
  const points = rows
    .filter((r): r is ClinicalScoreRow & { score: number } => r.score !== null && Number.isFinite(r.score) && sessions.includes(r.session))
    .sort((a, b) => sessions.indexOf(a.session) - sessions.indexOf(b.session));
  const groups = options.groups ?? [...new Set(points.map((p) => p.group))];
  const means = groups.flatMap((group) =>
    sessions.flatMap((session) => {
      const xs = points.filter((p) => p.group === group && p.session === session).map((p) => p.score);
      return xs.length ? [{ group, session, score: xs.reduce((s, v) => s + v, 0) / xs.length, n: xs.length }] : [];
    }),
  );
  // Legend: the groups drawn, in the colours of `groups`, then the highlighted participant if drawn.
  const drawn = drawnGroupColors(groups, points.map((p) => p.group));
  const highlighted = highlight != null && points.some((p) => p.participant_id === highlight) ? (options.highlightLabel ?? `${highlight} (this participant)`) : null;
  const color = highlighted ? { domain: [...drawn.domain, highlighted], range: [...drawn.range, HIGHLIGHT_COLOR] } : drawn;
  const chart = Plot.plot({
    document,
    width,
    height,
    title: `${scale.name} scores across sessions`,
    caption: captionText(
      `Each thin line is one participant's ${scale.name} score across sessions (dots mark sessions with a score); bold lines are group means. Missing scores are left out.`,
      note,
    ),
    style: plotStyle(type),
    marginBottom: 40,
    x: { domain: sessions.filter((s) => points.some((p) => p.session === s)), label: "Session", padding: 0.2 },
    y: { domain: [scale.min, scale.max], label: `${scale.name} score (points, ${scale.min}–${scale.max})`, grid: true },
    color: { ...color, legend: true },
    marks: [
      Plot.line(points, { x: "session", y: "score", z: "participant_id", stroke: "group", strokeWidth: 1, strokeOpacity: 0.35, ariaDescription: "participant lines", render: tagParticipants(points, (d) => d.participant_id) }),
      Plot.dot(points, {
        x: "session", y: "score", fill: "group", r: 2, fillOpacity: 0.5, tip: true, ariaDescription: "participant dots",
        title: (d: (typeof points)[number]) => `${d.participant_id} (${d.group}), ${d.session}: ${scale.name} ${d.score}`,
        render: tagParticipants(points, (d) => d.participant_id),
      }),
      Plot.line(means, { x: "session", y: "score", z: "group", stroke: "group", strokeWidth: 3.5, ariaDescription: "group mean" }),
      Plot.dot(means, { x: "session", y: "score", fill: "group", r: 4.5, ariaDescription: "group mean", title: (d: (typeof means)[number]) => `${d.group} mean, ${d.session}: ${fmt(d.score, 1)} (n = ${d.n})` }),
    ],
  });
  applySelection(chart, selected);
  applyHighlight(chart, highlight);
  return applyType(chart, type);
}
