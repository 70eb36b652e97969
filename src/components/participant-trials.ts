/**
 * One participant's trials: change of estimate (E2 − E1) vs estimation error with the sign
 * flipped (BR − E1), one facet per session, with the fitted learning rates as lines through the
 * origin (E2 − E1 = α_v · (BR − E1)).
 */
import * as Plot from "@observablehq/plot";
import { VALENCE_LABELS, applyType, captionText, fmt, plotStyle, typeOf, unboundedRatesText, valenceColor, type ChartOptions } from "./theme.js";

export interface ParticipantTrial {
  session: string;
  event_id: string;
  e1: number;
  br: number;
  e2: number;
  valence: "good" | "bad";
}

export interface ParticipantFit {
  session: string;
  alpha_good: number | null;
  alpha_bad: number | null;
}

export interface ParticipantTrialsOptions extends ChartOptions {
  sessions: string[];
  /** Participant id, shown in the title. */
  participant?: string;
  /** The rates are a hierarchical fit's (the caption says so; default false: flat least-squares fits). */
  hierarchical?: boolean;
}

export interface FitSegment {
  session: string;
  valence: "good" | "bad";
  valenceLabel: string;
  alpha: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** For each session × valence with a finite rate and trials: y = α·x from 0 to the farthest x (the x range including the origin). */
export function fitSegments(points: readonly { session: string; valence: "good" | "bad"; x: number }[], fits: readonly ParticipantFit[]): FitSegment[] {
  const out: FitSegment[] = [];
  for (const f of fits)
    for (const valence of ["good", "bad"] as const) {
      const alpha = valence === "good" ? f.alpha_good : f.alpha_bad;
      if (alpha === null || !Number.isFinite(alpha)) continue;
      const xs = points.filter((p) => p.session === f.session && p.valence === valence).map((p) => p.x);
      if (!xs.length) continue;
      const x1 = Math.min(0, ...xs);
      const x2 = Math.max(0, ...xs);
      out.push({ session: f.session, valence, valenceLabel: VALENCE_LABELS[valence], alpha, x1, y1: alpha * x1, x2, y2: alpha * x2 });
    }
  return out;
}

export function participantTrials(trials: readonly ParticipantTrial[], fits: readonly ParticipantFit[], options: ParticipantTrialsOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 300, document, sessions, participant, note } = options;
  const type = typeOf(options);
  const points = trials
    .filter((t) => sessions.includes(t.session) && [t.e1, t.br, t.e2].every(Number.isFinite))
    .map((t) => ({ ...t, x: t.br - t.e1, y: t.e2 - t.e1, valenceLabel: VALENCE_LABELS[t.valence] }));
  const segments = fitSegments(points, fits);
  const shown = sessions.filter((s) => points.some((p) => p.session === s));
  // Side by side, each session needs about 150 px; on a narrow screen the sessions are stacked.
  const stacked = shown.length > 1 && width < 56 + 150 * shown.length;
  const facet = (stacked ? { fy: "session" } : { fx: "session" }) as { fx?: "session"; fy?: "session" };
  const figure = Plot.plot({
    document,
    width,
    height: stacked ? Math.max(height, 60 + 200 * shown.length) : height,
    title: participant ? `Trials of participant ${participant}: change of estimate vs estimation error` : "Trials: change of estimate vs estimation error",
    caption: captionText(
      `Each dot is one event (trial): the base rate minus the first estimate (x; negative = good news) and the change from the first to the second estimate (y). Lines are the fitted learning rates, y = α·x through the origin, over each valence's range; the dotted diagonal is a full update (α = 1). ${unboundedRatesText(options.hierarchical)}`,
      note,
    ),
    style: plotStyle(type),
    marginBottom: 40,
    marginLeft: 56,
    // Stacked, the session labels sit on the right.
    marginRight: stacked ? 44 : undefined,
    ...(stacked ? { fy: { domain: shown, label: null } } : { fx: { domain: shown, label: null } }),
    x: { label: "Base rate − first estimate (points)", grid: true, ticks: 5 },
    y: { label: "Change of estimate (points)", grid: true, labelAnchor: "center", labelArrow: "none" },
    color: valenceColor([...points, ...segments]),
    marks: [
      Plot.ruleX([0], { strokeOpacity: 0.5 }),
      Plot.ruleY([0], { strokeOpacity: 0.5 }),
      Plot.link(shown.map((session) => ({ session, ...diagonal(points.filter((p) => p.session === session).map((p) => p.x)) })), {
        ...facet, x1: "lo", y1: "lo", x2: "hi", y2: "hi", stroke: "currentColor", strokeOpacity: 0.4, strokeDasharray: "2 3", ariaDescription: "full update",
      }),
      Plot.dot(points, {
        ...facet, x: "x", y: "y", fill: "valenceLabel", fillOpacity: 0.7, r: 3, tip: true, ariaDescription: "trials",
        title: (d: (typeof points)[number]) => `${d.event_id} (${d.session}), ${d.valenceLabel}\nE1 ${d.e1}, BR ${d.br}, E2 ${d.e2}`,
      }),
      Plot.link(segments, {
        ...facet, x1: "x1", y1: "y1", x2: "x2", y2: "y2", stroke: "valenceLabel", strokeWidth: 2.5, ariaDescription: "fitted learning rates",
        title: (d: FitSegment) => `${d.session}, ${d.valenceLabel}: α = ${fmt(d.alpha, 3)}`,
      }),
    ],
  });
  figure.setAttribute("data-layout", stacked ? "stacked" : "side-by-side");
  return applyType(figure, type);
}

function diagonal(xs: number[]): { lo: number; hi: number } {
  return { lo: Math.min(0, ...xs), hi: Math.max(0, ...xs) };
}
