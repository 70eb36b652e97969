/**
 * Mean learning rate by news valence, group and session, with ±1 SEM bars (as updates-chart),
 * optionally with the published means as hollow diamonds.
 */
import * as Plot from "@observablehq/plot";
import type { LearningRateSummary } from "../lib/models/summary.js";
import { VALENCE_LABELS, applyType, captionText, fmt, plotStyle, typeOf, unboundedRatesText, valenceColor, type ChartOptions } from "./theme.js";

export type { LearningRateSummary };

export interface PublishedLearningRate {
  group: string;
  session: string;
  valence: "good" | "bad";
  mean: number;
  sem?: number | null;
}

export interface LrMeansOptions extends ChartOptions {
  groups: string[];
  sessions: string[];
  published?: readonly PublishedLearningRate[];
  /** The rates are a hierarchical fit's (the caption says so; default false: flat least-squares fits). */
  hierarchical?: boolean;
}

const THIS_STUDY = "This study";
const PUBLISHED = "Published";

export function lrMeansChart(rows: readonly LearningRateSummary[], options: LrMeansOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 300, document, groups, sessions, published, note } = options;
  const type = typeOf(options);
  const prep = <T extends { valence: "good" | "bad"; mean: number; sem?: number | null }>(d: T) => ({
    ...d,
    valenceLabel: VALENCE_LABELS[d.valence],
    lo: d.mean - (d.sem ?? 0),
    hi: d.mean + (d.sem ?? 0),
  });
  const data = rows.map(prep);
  const pub = (published ?? []).filter((p) => groups.includes(p.group) && sessions.includes(p.session)).map(prep);
  const shown = sessions.filter((s) => data.some((r) => r.session === s) || pub.some((r) => r.session === s));
  const caption =
    "Each dot is a group mean of participants' fitted learning rates α (share of the estimation error taken into the second estimate); bars ±1 SEM across participants. " +
    unboundedRatesText(options.hierarchical) +
    (pub.length ? " Hollow diamonds are the published means." : "");
  const marks: Plot.Markish[] = [Plot.ruleY([0])];
  for (const valence of ["good", "bad"] as const) {
    const dx = valence === "good" ? -6 : 6;
    const d = data.filter((r) => r.valence === valence);
    const p = pub.filter((r) => r.valence === valence);
    marks.push(
      Plot.ruleX(d, { fx: "group", x: "session", y1: "lo", y2: "hi", stroke: "valenceLabel", strokeWidth: 1.5, dx }),
      Plot.dot(d, {
        fx: "group",
        x: "session",
        y: "mean",
        fill: "valenceLabel",
        symbol: () => THIS_STUDY,
        r: 4.5,
        dx,
        tip: true,
        title: (r: (typeof d)[number]) => `${r.group}, ${r.session}, ${r.valenceLabel}\nmean α ${fmt(r.mean, 3)} (SEM ${fmt(r.sem, 3)}), n = ${r.n}`,
      }),
      Plot.dot(p, {
        fx: "group",
        x: "session",
        y: "mean",
        stroke: "valenceLabel",
        fill: "none",
        strokeWidth: 1.5,
        symbol: () => PUBLISHED,
        r: 6,
        dx: dx * 2.2,
        ariaDescription: "published",
        title: (r: (typeof p)[number]) => `Published: ${r.group}, ${r.session}, ${r.valenceLabel}\nmean α ${fmt(r.mean, 3)}${r.sem != null ? ` (SEM ${fmt(r.sem, 3)})` : ""}`,
      }),
    );
  }
  return applyType(
    Plot.plot({
      document,
      width,
      height,
      title: "Mean learning rate by news valence, group and session",
      caption: captionText(caption, note),
      style: plotStyle(type),
      marginBottom: 40,
      marginLeft: 56,
      fx: { domain: groups, label: null },
      // Half a step beyond the first and last session: the last tick label of one facet and the first of
      // the next are then at least a step apart, as within a facet (at 0.3, "post3" and "pre" touched).
      x: { domain: shown, label: "Session", padding: 0.5 },
      y: { label: "Mean learning rate α", grid: true, zero: true, labelAnchor: "center", labelArrow: "none" },
      color: valenceColor([...data, ...pub]),
      // A symbol legend only when both kinds of dot are drawn (else the title says what the dots are).
      symbol: pub.length && data.length ? { domain: [THIS_STUDY, PUBLISHED], range: ["circle", "diamond"], legend: true } : pub.length ? { domain: [PUBLISHED], range: ["diamond"] } : { domain: [THIS_STUDY], range: ["circle"] },
      marks,
    }),
    type,
  );
}
