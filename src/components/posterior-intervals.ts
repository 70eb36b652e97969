/** Each participant's posterior learning-rate asymmetry with its 95% interval (Bayesian fits), by session. */
import * as Plot from "@observablehq/plot";
import { FONT_FAMILY, captionText, groupColorRange, type ChartOptions } from "./theme.js";

export interface PosteriorInterval {
  participant_id: string;
  group: string;
  session: string;
  estimate: number;
  lo: number;
  hi: number;
}

export function posteriorIntervalsChart(rows: readonly PosteriorInterval[], options: ChartOptions & { groups: readonly string[]; sessions: readonly string[] }): SVGSVGElement | HTMLElement {
  const { width = 640, document, note, groups, sessions } = options;
  const shown = sessions.filter((s) => rows.some((r) => r.session === s));
  // Participants ordered by their estimate within each session: x is the rank.
  const ranked = shown.flatMap((s) =>
    rows
      .filter((r) => r.session === s && Number.isFinite(r.estimate))
      .sort((a, b) => a.estimate - b.estimate)
      .map((r, rank) => ({ ...r, rank })),
  );
  return Plot.plot({
    document,
    width,
    height: 320,
    title: "Posterior learning-rate asymmetry of every participant",
    caption: captionText("Each rule is one participant-session's 95% posterior interval of α_good − α_bad (Laplace posterior, delta method), the dot its posterior mean; participants in order of their estimate.", note),
    style: { fontFamily: FONT_FAMILY, fontSize: "12px", overflow: "visible" },
    fx: { domain: shown, label: "Session" },
    x: { axis: null },
    y: { label: "α_good − α_bad", grid: true, zero: true },
    color: { domain: [...groups], range: groupColorRange(groups), legend: groups.length > 1 },
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX(ranked, { fx: "session", x: "rank", y1: "lo", y2: "hi", stroke: "group", strokeOpacity: 0.6 }),
      Plot.dot(ranked, { fx: "session", x: "rank", y: "estimate", fill: "group", r: 2, title: (d: PosteriorInterval) => `${d.participant_id}: ${d.estimate.toFixed(2)} [${d.lo.toFixed(2)}, ${d.hi.toFixed(2)}]` }),
    ],
  });
}
