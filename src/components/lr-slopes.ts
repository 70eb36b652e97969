/**
 * Learning rates across sessions: one thin line per participant and bold group-mean lines,
 * one facet per valence (good news, bad news); colour = group.
 */
import * as Plot from "@observablehq/plot";
import { applySelection, tagParticipants } from "./participants.js";
import { FONT_FAMILY, VALENCE_LABELS, captionText, fmt, groupColorRange, type ChartOptions } from "./theme.js";

export interface LearningRateFit {
  participant_id: string;
  group: string;
  session: string;
  alpha_good: number | null;
  alpha_bad: number | null;
}

export interface LrSlopeOptions extends ChartOptions {
  sessions: string[];
  groups: string[];
  /** Show one group only ("all" or undefined: every group). */
  group?: string;
  selected?: Iterable<string> | null;
}

export interface LearningRatePoint {
  participant_id: string;
  group: string;
  session: string;
  valence: "good" | "bad";
  valenceLabel: string;
  alpha: number;
}

/** Long format, one row per participant × session × valence with a finite rate, in session order. */
export function learningRatePoints(fits: readonly LearningRateFit[], sessions: readonly string[]): LearningRatePoint[] {
  const out: LearningRatePoint[] = [];
  for (const f of fits) {
    if (!sessions.includes(f.session)) continue;
    for (const valence of ["good", "bad"] as const) {
      const alpha = valence === "good" ? f.alpha_good : f.alpha_bad;
      if (alpha === null || !Number.isFinite(alpha)) continue;
      out.push({ participant_id: f.participant_id, group: f.group, session: f.session, valence, valenceLabel: VALENCE_LABELS[valence], alpha });
    }
  }
  return out.sort((a, b) => sessions.indexOf(a.session) - sessions.indexOf(b.session));
}

export interface MeanLearningRate {
  group: string;
  session: string;
  valence: "good" | "bad";
  valenceLabel: string;
  alpha: number;
  n: number;
}

/** Mean rate per group × session × valence, in the order first met (session order kept). */
export function meanLearningRates(points: readonly LearningRatePoint[]): MeanLearningRate[] {
  const acc = new Map<string, MeanLearningRate>();
  for (const p of points) {
    const key = `${p.group}\u0000${p.session}\u0000${p.valence}`;
    const m = acc.get(key) ?? { group: p.group, session: p.session, valence: p.valence, valenceLabel: p.valenceLabel, alpha: 0, n: 0 };
    m.alpha += p.alpha;
    m.n++;
    acc.set(key, m);
  }
  return [...acc.values()].map((m) => ({ ...m, alpha: m.alpha / m.n }));
}

export function lrSlopeChart(fits: readonly LearningRateFit[], options: LrSlopeOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 340, document, sessions, groups, group = "all", selected, note } = options;
  const shownGroups = group === "all" ? groups : groups.filter((g) => g === group);
  const points = learningRatePoints(
    fits.filter((f) => shownGroups.includes(f.group)),
    sessions,
  );
  const means = meanLearningRates(points);
  const alphas = points.map((p) => p.alpha);
  const yDomain: [number, number] = [Math.min(0, ...alphas), Math.max(1, ...alphas)];
  const title = (d: LearningRatePoint) => `${d.participant_id} (${d.group}), ${d.session}\n${d.valenceLabel}: α = ${fmt(d.alpha, 3)}`;
  const chart = Plot.plot({
    document,
    width,
    height,
    title: "Learning rates for good and bad news across sessions",
    caption: captionText(
      "Each thin line is one participant's fitted learning rate across sessions (a dot per session with a fit); bold lines are group means. Sessions where a rate could not be estimated are left out.",
      note,
    ),
    style: { fontFamily: FONT_FAMILY, fontSize: "12px", overflow: "visible" },
    marginBottom: 40,
    marginLeft: 56,
    fx: { domain: [VALENCE_LABELS.good, VALENCE_LABELS.bad], label: null },
    x: { domain: sessions.filter((s) => points.some((p) => p.session === s)), label: "Session", padding: 0.2 },
    // 0–1 unless a fitted rate falls outside (ML rates are unbounded): then the axis grows to show it.
    y: { domain: yDomain, label: "Learning rate α", grid: true, labelAnchor: "center", labelArrow: "none" },
    color: { domain: shownGroups, range: groupColorRange(groups).filter((_, i) => shownGroups.includes(groups[i])), legend: true },
    marks: [
      Plot.line(points, { fx: "valenceLabel", x: "session", y: "alpha", z: "participant_id", stroke: "group", strokeWidth: 1, strokeOpacity: 0.4, ariaDescription: "participant lines", render: tagParticipants(points, (d) => d.participant_id) }),
      Plot.dot(points, { fx: "valenceLabel", x: "session", y: "alpha", fill: "group", r: 2, fillOpacity: 0.6, tip: true, title, ariaDescription: "participant dots", render: tagParticipants(points, (d) => d.participant_id) }),
      Plot.line(means, { fx: "valenceLabel", x: "session", y: "alpha", z: "group", stroke: "group", strokeWidth: 3.5, ariaDescription: "group mean" }),
      Plot.dot(means, { fx: "valenceLabel", x: "session", y: "alpha", fill: "group", r: 4.5, ariaDescription: "group mean", title: (d: MeanLearningRate) => `${d.group} mean, ${d.session}, ${d.valenceLabel}: α = ${fmt(d.alpha, 3)} (n = ${d.n})` }),
    ],
  });
  applySelection(chart, selected);
  return chart;
}
