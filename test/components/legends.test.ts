/**
 * Every chart's legend lists exactly what the chart draws: its entries' colours are the colours of
 * the drawn series (and the reverse), for full data and for data that leave a series out (e.g.
 * the treatment group alone, one valence, no interval). Charts without a legend have none.
 */
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { bootstrapHistogram } from "../../src/components/bootstrap-histogram.js";
import { clinicalTrajectory } from "../../src/components/clinical-trajectory.js";
import { designTrajectories } from "../../src/components/design-trajectories.js";
import { lrMeansChart } from "../../src/components/lr-means.js";
import { lrSlopeChart } from "../../src/components/lr-slopes.js";
import { mediationScatter } from "../../src/components/mediation-scatter.js";
import { modelComparisonChart } from "../../src/components/model-comparison.js";
import { participantTrials } from "../../src/components/participant-trials.js";
import { responseBars } from "../../src/components/response-bars.js";
import { sensitivityCurve } from "../../src/components/sensitivity-curve.js";
import { GROUP_COLORS, HIGHLIGHT_COLOR, INTERVAL_COLORS, VALENCE_COLORS, plotSvg } from "../../src/components/theme.js";
import { updateDistribution } from "../../src/components/update-distribution.js";
import { updatesChart } from "../../src/components/updates-chart.js";

const { document } = new JSDOM("").window;

interface Entry {
  label: string;
  color: string;
}

/** The entries of every swatch legend of the chart: label and the swatch's fill (or stroke, for a symbol). */
function legendEntries(chart: Element, kind: "color" | "symbol" | "all" = "color"): Entry[] {
  const out: Entry[] = [];
  for (const item of chart.querySelectorAll('[class$="-swatch"]')) {
    const svg = item.querySelector("svg")!;
    const isSymbol = svg.querySelector("path") !== null;
    if (kind === "color" && isSymbol) continue;
    if (kind === "symbol" && !isSymbol) continue;
    const fill = svg.getAttribute("fill");
    out.push({ label: (item.textContent ?? "").trim(), color: fill && fill !== "none" ? fill : (svg.getAttribute("stroke") ?? "") });
  }
  return out;
}

/** An attribute of an element or, if absent, of its nearest ancestor inside the plot svg. */
function paint(el: Element, attr: "fill" | "stroke"): string | null {
  for (let e: Element | null = el; e && e.tagName.toLowerCase() !== "svg"; e = e.parentElement) {
    const v = e.getAttribute(attr);
    if (v !== null) return v;
  }
  return null;
}

/** The colours (`attr`) of the shapes of the marks `selector` selects in the plot svg. */
function drawn(chart: Element, selector: string, attr: "fill" | "stroke"): Set<string> {
  const svg = plotSvg(chart)!;
  const colours = new Set<string>();
  for (const g of svg.querySelectorAll(selector))
    for (const shape of g.querySelectorAll("circle, path, line, rect")) {
      const c = paint(shape, attr);
      if (c && c !== "none") colours.add(c);
    }
  return colours;
}

const colours = (entries: Entry[]) => new Set(entries.map((e) => e.color));
const labels = (entries: Entry[]) => entries.map((e) => e.label);

const updateRows = (valences: ("good" | "bad")[]) =>
  ["HC", "TRD"].flatMap((group) => ["pre", "post1"].flatMap((session) => valences.map((valence) => ({ group, session, valence, mean: valence === "good" ? 6 : 4, sem: 0.5, n: 20 }))));

describe("legends list only what is drawn", () => {
  it("updates chart: the valences drawn", () => {
    for (const valences of [["good", "bad"], ["good"]] as ("good" | "bad")[][]) {
      const chart = updatesChart(updateRows(valences), { document, groups: ["HC", "TRD"], sessions: ["pre", "post1"] });
      const entries = legendEntries(chart);
      expect(colours(entries)).toEqual(drawn(chart, 'g[aria-label="dot"]', "fill"));
      expect(labels(entries)).toEqual(valences.map((v) => (v === "good" ? "Good news" : "Bad news")));
    }
  });

  it("learning-rate means: the valences drawn, and a symbol legend only when published means are drawn too", () => {
    const rows = updateRows(["good", "bad"]).map((r) => ({ ...r, mean: r.mean / 10 }));
    const plain = lrMeansChart(rows, { document, groups: ["HC", "TRD"], sessions: ["pre", "post1"] });
    expect(colours(legendEntries(plain))).toEqual(drawn(plain, 'g[aria-label="dot"]', "fill"));
    expect(legendEntries(plain, "symbol")).toEqual([]);
    const withPub = lrMeansChart(rows.filter((r) => r.valence === "good"), {
      document,
      groups: ["HC", "TRD"],
      sessions: ["pre", "post1"],
      published: [{ group: "TRD", session: "pre", valence: "good", mean: 0.5, sem: 0.05 }],
    });
    expect(labels(legendEntries(withPub))).toEqual(["Good news"]);
    expect(colours(legendEntries(withPub))).toEqual(new Set([...drawn(withPub, 'g[aria-label="dot"]:not([aria-description="published"])', "fill"), ...drawn(withPub, 'g[aria-description="published"]', "stroke")]));
    expect(labels(legendEntries(withPub, "symbol"))).toEqual(["This study", "Published"]);
  });

  it("participants' updates: the valences drawn", () => {
    const cells = ["H1", "T1"].flatMap((id) => ["pre", "post1"].map((session) => ({ participant_id: id, group: id[0] === "H" ? "HC" : "TRD", session, valence: "bad" as const, update: 3, n_trials: 20 })));
    const chart = updateDistribution(cells, { document, groups: ["HC", "TRD"], sessions: ["pre", "post1"] });
    expect(labels(legendEntries(chart))).toEqual(["Bad news"]);
    expect(colours(legendEntries(chart))).toEqual(drawn(chart, 'g[aria-label="dot"]', "fill"));
  });

  it("participant trials: the valences drawn", () => {
    const trials = [
      { session: "pre", event_id: "e1", e1: 30, br: 20, e2: 25, valence: "good" as const },
      { session: "pre", event_id: "e2", e1: 10, br: 30, e2: 14, valence: "bad" as const },
    ];
    const chart = participantTrials(trials, [{ session: "pre", alpha_good: 0.5, alpha_bad: 0.2 }], { document, sessions: ["pre"] });
    expect(colours(legendEntries(chart))).toEqual(drawn(chart, 'g[aria-description="trials"], g[aria-description="fitted learning rates"]', "fill"));
    expect(colours(legendEntries(chart))).toEqual(new Set([VALENCE_COLORS.good, VALENCE_COLORS.bad]));
    const goodOnly = participantTrials(trials.slice(0, 1), [{ session: "pre", alpha_good: 0.5, alpha_bad: null }], { document, sessions: ["pre"] });
    expect(labels(legendEntries(goodOnly))).toEqual(["Good news"]);
  });

  it("learning-rate slopes: the groups drawn, in their usual colours", () => {
    const fits = ["H1", "T1", "T2"].flatMap((id) => ["pre", "post1"].map((session) => ({ participant_id: id, group: id[0] === "H" ? "HC" : "TRD", session, alpha_good: 0.5, alpha_bad: 0.3 })));
    const all = lrSlopeChart(fits, { document, sessions: ["pre", "post1"], groups: ["HC", "TRD"] });
    expect(colours(legendEntries(all))).toEqual(drawn(all, 'g[aria-description="participant lines"], g[aria-description="group mean"]', "stroke"));
    const trd = lrSlopeChart(fits, { document, sessions: ["pre", "post1"], groups: ["HC", "TRD"], group: "TRD" });
    expect(legendEntries(trd)).toEqual([{ label: "TRD", color: GROUP_COLORS.treatment }]);
    expect(drawn(trd, 'g[aria-description="participant lines"], g[aria-description="group mean"]', "stroke")).toEqual(new Set([GROUP_COLORS.treatment]));
  });

  describe("clinical trajectories", () => {
    const scale = { name: "MADRS", min: 0, max: 60 };
    const rows = ["T1", "T2", "T3"].flatMap((id, i) => ["pre", "post1"].map((session, k) => ({ participant_id: id, group: "TRD", session, score: 30 - 10 * k + i })));
    const lines = 'g[aria-description="participant lines"], g[aria-description="group mean"]';

    it("the treatment group alone (as the mediation page draws it): no HC entry", () => {
      const chart = clinicalTrajectory(rows, { document, sessions: ["pre", "post1"], scale, groups: ["HC", "TRD"] });
      expect(legendEntries(chart)).toEqual([{ label: "TRD", color: GROUP_COLORS.treatment }]);
      expect(drawn(chart, lines, "stroke")).toEqual(new Set([GROUP_COLORS.treatment]));
    });

    it("the highlighted participant's orange line has its own entry", () => {
      const chart = clinicalTrajectory(rows, { document, sessions: ["pre", "post1"], scale, groups: ["HC", "TRD"], highlight: "T2" });
      expect(legendEntries(chart)).toEqual([
        { label: "TRD", color: GROUP_COLORS.treatment },
        { label: "T2 (this participant)", color: HIGHLIGHT_COLOR },
      ]);
      expect(drawn(chart, lines, "stroke")).toEqual(colours(legendEntries(chart)));
      const custom = clinicalTrajectory(rows, { document, sessions: ["pre", "post1"], scale, groups: ["HC", "TRD"], highlight: "T2", highlightLabel: "Patient T2" });
      expect(labels(legendEntries(custom))).toEqual(["TRD", "Patient T2"]);
      // A highlighted participant without a drawn line gets no entry.
      const absent = clinicalTrajectory(rows, { document, sessions: ["pre", "post1"], scale, groups: ["HC", "TRD"], highlight: "H9" });
      expect(labels(legendEntries(absent))).toEqual(["TRD"]);
    });

    it("both groups when both are drawn", () => {
      const both = [...rows, ...["pre", "post1"].map((session) => ({ participant_id: "H1", group: "HC", session, score: 3 }))];
      const chart = clinicalTrajectory(both, { document, sessions: ["pre", "post1"], scale, groups: ["HC", "TRD"] });
      expect(labels(legendEntries(chart))).toEqual(["HC", "TRD"]);
      expect(drawn(chart, lines, "stroke")).toEqual(colours(legendEntries(chart)));
    });
  });

  it("bootstrap histogram: the estimate and the intervals drawn", () => {
    const reps = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
    const rules = 'g[aria-description="estimate"], g[aria-description="percentile interval"], g[aria-description="BCa interval"]';
    const both = bootstrapHistogram(reps, { document, estimate: 0.1, percentile: [-0.9, 0.9], bca: [-0.8, 0.95] });
    expect(colours(legendEntries(both))).toEqual(drawn(both, rules, "stroke"));
    const noBca = bootstrapHistogram(reps, { document, estimate: 0.1, percentile: [-0.9, 0.9], bca: null });
    expect(legendEntries(noBca).length).toBe(2);
    expect(colours(legendEntries(noBca))).toEqual(drawn(noBca, rules, "stroke"));
    expect(colours(legendEntries(noBca)).has(INTERVAL_COLORS.bca)).toBe(false);
  });

  it("design trajectories: the conditions drawn", () => {
    const rows = ["P1", "P2"].flatMap((id) => ["baseline", "day1"].map((session) => ({ participant_id: id, condition: "placebo", session, score: 20 })));
    const chart = designTrajectories(rows, { document, sessions: ["baseline", "day1"], conditions: ["placebo", "naltrexone"], scale: { name: "HAM-D-17", min: 0, max: 52 } });
    expect(labels(legendEntries(chart))).toEqual(["placebo"]);
    expect(colours(legendEntries(chart))).toEqual(drawn(chart, 'g[aria-description="participant lines"], g[aria-description="condition means"]', "stroke"));
  });

  it("charts whose series are named on an axis or in the title have no legend", () => {
    const charts = [
      mediationScatter([{ participant_id: "A", dM: 0, dY: 0 }], [], { document, xLabel: "ΔM", yLabel: "ΔY" }),
      modelComparisonChart([{ model: "m1", group: "HC", bic: 10 }, { model: "m2", group: "HC", bic: 12 }], { document }),
      sensitivityCurve([{ rho: 0, indirect: 1 }], { document, rho_zero: null, estimate: 1 }),
      responseBars([{ condition: "placebo", responders: 2, n: 10, rate: 0.2, ci: [0.03, 0.56] }], { document, conditions: ["placebo"], definition: "≥ 50%" }),
    ];
    for (const chart of charts) expect(legendEntries(chart, "all")).toEqual([]);
  });
});
