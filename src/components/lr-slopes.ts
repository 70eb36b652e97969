/**
 * Learning rates across sessions: one thin line per participant and bold group-mean lines,
 * one facet per valence (good news, bad news); colour = group.
 *
 * Large cohorts: with `maxParticipants`, a study with more participants draws the lines and dots
 * of a seeded sample of that many (plus any selected participant); the group means are still
 * computed from everyone, and the caption says how many were drawn.
 */
import * as Plot from "@observablehq/plot";
import { applySelection, sampleParticipants, tagParticipants } from "./participants.js";
import { VALENCE_LABELS, applyType, captionText, drawnGroupColors, fmt, plotStyle, typeOf, unboundedRatesText, type ChartOptions } from "./theme.js";

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
  /**
   * Draw the lines and dots of at most this many participants (a seeded random sample, the same
   * participants whatever the model or parameters; selected participants are always drawn). The
   * group means use every participant. Default: draw everyone.
   */
  maxParticipants?: number;
  /** Seed of that sample (default 1). */
  sampleSeed?: number;
  /** The rates are a hierarchical fit's (the caption says so; default false: flat least-squares fits). */
  hierarchical?: boolean;
}

export interface LearningRatePoint {
  participant_id: string;
  group: string;
  session: string;
  valence: "good" | "bad";
  valenceLabel: string;
  alpha: number;
}

export interface MeanLearningRate {
  group: string;
  session: string;
  valence: "good" | "bad";
  valenceLabel: string;
  alpha: number;
  n: number;
}

/**
 * What the chart draws (and the figure sidecar reports), for the fits of `shownGroups`: the mean
 * rate per group × session × valence over everyone, in the order first met in session order; the
 * participants with a rate; and the points (one per participant × session × valence with a finite
 * rate, in session order) of those that `draw` keeps (null: all). At 10,000 participants this
 * avoids building 50,000 point objects when only a sample is drawn.
 */
export function learningRateSummary(
  fits: readonly LearningRateFit[],
  sessions: readonly string[],
  shownGroups: readonly string[],
): { means: MeanLearningRate[]; ids: Set<string>; points: (draw: ((id: string) => boolean) | null) => LearningRatePoint[] } {
  const sessionIndex = new Map<string, number>();
  sessions.forEach((s, i) => {
    if (!sessionIndex.has(s)) sessionIndex.set(s, i);
  });
  const shown = new Set(shownGroups);
  // Fits bucketed by session (stable), so everything below comes in session order.
  const buckets: LearningRateFit[][] = sessions.map(() => []);
  for (const f of fits) {
    if (!shown.has(f.group)) continue;
    const si = sessionIndex.get(f.session);
    if (si !== undefined) buckets[si].push(f);
  }
  const rate = (f: LearningRateFit, valence: "good" | "bad"): number | null => {
    const alpha = valence === "good" ? f.alpha_good : f.alpha_bad;
    return alpha === null || !Number.isFinite(alpha) ? null : alpha;
  };
  const acc = new Map<string, Map<string, { good: MeanLearningRate | null; bad: MeanLearningRate | null }>>();
  const order: MeanLearningRate[] = [];
  const ids = new Set<string>();
  for (const bucket of buckets)
    for (const f of bucket)
      for (const valence of ["good", "bad"] as const) {
        const alpha = rate(f, valence);
        if (alpha === null) continue;
        let byGroup = acc.get(f.group);
        if (!byGroup) acc.set(f.group, (byGroup = new Map()));
        let cell = byGroup.get(f.session);
        if (!cell) byGroup.set(f.session, (cell = { good: null, bad: null }));
        let m = cell[valence];
        if (!m) {
          m = cell[valence] = { group: f.group, session: f.session, valence, valenceLabel: VALENCE_LABELS[valence], alpha: 0, n: 0 };
          order.push(m);
        }
        m.alpha += alpha;
        m.n++;
        ids.add(f.participant_id);
      }
  const points = (draw: ((id: string) => boolean) | null): LearningRatePoint[] => {
    const out: LearningRatePoint[] = [];
    for (const bucket of buckets)
      for (const f of bucket) {
        if (draw !== null && !draw(f.participant_id)) continue;
        for (const valence of ["good", "bad"] as const) {
          const alpha = rate(f, valence);
          if (alpha !== null) out.push({ participant_id: f.participant_id, group: f.group, session: f.session, valence, valenceLabel: VALENCE_LABELS[valence], alpha });
        }
      }
    return out;
  };
  return { means: order.map((m) => ({ ...m, alpha: m.alpha / m.n })), ids, points };
}

export function lrSlopeChart(fits: readonly LearningRateFit[], options: LrSlopeOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 340, document, sessions, groups, group = "all", selected, note, maxParticipants, sampleSeed = 1 } = options;
  const type = typeOf(options);
  const shownGroups = group === "all" ? groups : groups.filter((g) => g === group);
  // Group means from everyone; lines and dots of everyone, or of a seeded sample in a large cohort.
  const data = learningRateSummary(fits, sessions, shownGroups);
  const { means, ids } = data;
  const sampled = maxParticipants !== undefined && ids.size > maxParticipants;
  const drawnIds = sampled ? sampleParticipants(ids, maxParticipants, sampleSeed, selected) : ids;
  const points = data.points(sampled ? (id) => drawnIds.has(id) : null);
  let lo = 0;
  let hi = 1;
  for (const p of points) {
    if (p.alpha < lo) lo = p.alpha;
    if (p.alpha > hi) hi = p.alpha;
  }
  for (const m of means) {
    if (m.alpha < lo) lo = m.alpha;
    if (m.alpha > hi) hi = m.alpha;
  }
  const yDomain: [number, number] = [lo, hi];
  const count = (n: number) => n.toLocaleString("en-US");
  const sampleText = sampled
    ? ` ${count(drawnIds.size)} of ${count(ids.size)} participants drawn (seeded sample); the group means use all ${count(ids.size)}.`
    : "";
  const title = (d: LearningRatePoint) => `${d.participant_id} (${d.group}), ${d.session}\n${d.valenceLabel}: α = ${fmt(d.alpha, 3)}`;
  const chart = Plot.plot({
    document,
    width,
    height,
    title: "Learning rates for good and bad news across sessions",
    caption: captionText(
      `Each thin line is one participant's fitted learning rate across sessions (a dot per session with a fit); bold lines are group means. ${unboundedRatesText(options.hierarchical)} Sessions where a rate could not be estimated are left out.${sampleText}`,
      note,
    ),
    style: plotStyle(type),
    marginBottom: 40,
    marginLeft: 56,
    fx: { domain: [VALENCE_LABELS.good, VALENCE_LABELS.bad], label: null },
    // Half a step beyond the first and last session: the last tick label of one facet and the first of
    // the next are then at least a step apart, as within a facet (at 0.3, "post3" and "pre" touched).
    x: { domain: sessions.filter((s) => means.some((m) => m.session === s)), label: "Session", padding: 0.5 },
    // 0–1 unless a fitted rate falls outside (ML rates are unbounded): then the axis grows to show it.
    y: { domain: yDomain, label: "Learning rate α", grid: true, labelAnchor: "center", labelArrow: "none" },
    // Colours follow `groups` (stable whichever group is shown); the legend lists the groups drawn.
    color: { ...drawnGroupColors(groups, [...means.map((m) => m.group), ...points.map((p) => p.group)]), legend: true },
    marks: [
      Plot.line(points, { fx: "valenceLabel", x: "session", y: "alpha", z: "participant_id", stroke: "group", strokeWidth: 1, strokeOpacity: 0.4, ariaDescription: "participant lines", render: tagParticipants(points, (d) => d.participant_id) }),
      Plot.dot(points, { fx: "valenceLabel", x: "session", y: "alpha", fill: "group", r: 2, fillOpacity: 0.6, tip: true, title, ariaDescription: "participant dots", render: tagParticipants(points, (d) => d.participant_id) }),
      Plot.line(means, { fx: "valenceLabel", x: "session", y: "alpha", z: "group", stroke: "group", strokeWidth: 3.5, ariaDescription: "group mean" }),
      Plot.dot(means, { fx: "valenceLabel", x: "session", y: "alpha", fill: "group", r: 4.5, ariaDescription: "group mean", title: (d: MeanLearningRate) => `${d.group} mean, ${d.session}, ${d.valenceLabel}: α = ${fmt(d.alpha, 3)} (n = ${d.n})` }),
    ],
  });
  chart.setAttribute("data-participants-drawn", String(drawnIds.size));
  chart.setAttribute("data-participants-total", String(ids.size));
  applySelection(chart, selected);
  return applyType(chart, type);
}
