/**
 * Distribution of participants' mean updates: one dot per participant × group × session × valence,
 * jittered within its session, with group-mean ticks. One facet per group; colour = valence.
 */
import * as Plot from "@observablehq/plot";
import { applySelection, tagParticipants } from "./participants.js";
import { VALENCE_LABELS, applyType, captionText, fmt, plotStyle, typeOf, valenceColor, type ChartOptions } from "./theme.js";

export interface UpdateCellDatum {
  participant_id: string;
  group: string;
  session: string;
  valence: "good" | "bad";
  /** Mean update (percentage points toward the base rate). */
  update: number;
  n_trials: number;
}

export interface UpdateDistributionOptions extends ChartOptions {
  groups: string[];
  sessions: string[];
  selected?: Iterable<string> | null;
}

/** Deterministic jitter in [−0.5, 0.5) from a string (FNV-1a hash), so redraws do not move dots. */
export function jitter(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 2 ** 32 - 0.5;
}

const OFFSET = { good: -0.2, bad: 0.2 } as const;

export function updateDistribution(cells: readonly UpdateCellDatum[], options: UpdateDistributionOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 340, document, groups, sessions, note, selected } = options;
  const type = typeOf(options);
  const pos = (session: string, valence: "good" | "bad") => sessions.indexOf(session) + OFFSET[valence];
  const dots = cells
    .filter((c) => sessions.includes(c.session))
    .map((c) => ({ ...c, valenceLabel: VALENCE_LABELS[c.valence], x: pos(c.session, c.valence) + 0.22 * jitter(c.participant_id) }));
  const means = groupMeans(dots).map((m) => ({ ...m, x1: pos(m.session, m.valence) - 0.16, x2: pos(m.session, m.valence) + 0.16 }));
  const chart = Plot.plot({
    document,
    width,
    height,
    title: "Participants' mean updates by news valence, group and session",
    caption: captionText(
      "Each dot is one participant's mean update (percentage points toward the base rate) over their trials of one valence in one session, jittered sideways; horizontal ticks are group means.",
      note,
    ),
    style: plotStyle(type),
    marginBottom: 40,
    marginLeft: 56,
    fx: { domain: groups, label: null },
    x: { domain: [-0.5, sessions.length - 0.5], ticks: sessions.map((_, i) => i), tickFormat: (i: number) => sessions[i] ?? "", label: "Session" },
    y: { label: "Mean update (percentage points)", grid: true, labelAnchor: "center", labelArrow: "none" },
    color: valenceColor(dots),
    marks: [
      Plot.ruleY([0]),
      Plot.dot(dots, {
        fx: "group",
        x: "x",
        y: "update",
        fill: "valenceLabel",
        fillOpacity: 0.7,
        r: 3,
        tip: true,
        title: (d: (typeof dots)[number]) => `${d.participant_id} (${d.group}), ${d.session}, ${d.valenceLabel}\nmean update ${fmt(d.update, 1)} over ${d.n_trials} trials`,
        render: tagParticipants(dots, (d) => d.participant_id),
      }),
      Plot.ruleY(means, { fx: "group", x1: "x1", x2: "x2", y: "mean", stroke: "valenceLabel", strokeWidth: 3, ariaDescription: "group mean" }),
    ],
  });
  applySelection(chart, selected);
  return applyType(chart, type);
}

function groupMeans<T extends UpdateCellDatum>(rows: readonly T[]) {
  const acc = new Map<string, { group: string; session: string; valence: "good" | "bad"; valenceLabel: string; sum: number; n: number }>();
  for (const r of rows) {
    if (!Number.isFinite(r.update)) continue;
    const key = `${r.group}\u0000${r.session}\u0000${r.valence}`;
    const m = acc.get(key) ?? { group: r.group, session: r.session, valence: r.valence, valenceLabel: VALENCE_LABELS[r.valence], sum: 0, n: 0 };
    m.sum += r.update;
    m.n++;
    acc.set(key, m);
  }
  return [...acc.values()].map((m) => ({ ...m, mean: m.sum / m.n }));
}
