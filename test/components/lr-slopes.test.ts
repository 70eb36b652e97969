import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { learningRateSummary, lrSlopeChart, type LearningRateFit, type LearningRatePoint, type MeanLearningRate } from "../../src/components/lr-slopes.js";
import { VALENCE_LABELS } from "../../src/components/theme.js";
import { lrMeansChart } from "../../src/components/lr-means.js";
import { participantTrials } from "../../src/components/participant-trials.js";

// The plain reference the chart's learningRateSummary is checked against: long format (one row
// per participant × session × valence with a finite rate, in session order), then the mean per
// group × session × valence in the order first met.
function learningRatePoints(fits: readonly LearningRateFit[], sessions: readonly string[]): LearningRatePoint[] {
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
function meanLearningRates(points: readonly LearningRatePoint[]): MeanLearningRate[] {
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
import { applySelection } from "../../src/components/participants.js";

const { document } = new JSDOM("").window;
const groups = ["Healthy", "Ketamine"];
const sessions = ["pre", "post1", "post2"];

const fits: LearningRateFit[] = [
  { participant_id: "H1", group: "Healthy", session: "post1", alpha_good: 0.5, alpha_bad: 0.3 },
  { participant_id: "H1", group: "Healthy", session: "pre", alpha_good: 0.4, alpha_bad: 0.2 },
  { participant_id: "H2", group: "Healthy", session: "pre", alpha_good: 0.6, alpha_bad: 0.4 },
  { participant_id: "H2", group: "Healthy", session: "post1", alpha_good: 0.7, alpha_bad: 0.5 },
  { participant_id: "K1", group: "Ketamine", session: "pre", alpha_good: null, alpha_bad: 0.3 },
  { participant_id: "K1", group: "Ketamine", session: "post1", alpha_good: null, alpha_bad: 0.35 },
  { participant_id: "K1", group: "Ketamine", session: "post2", alpha_good: null, alpha_bad: 0.4 },
  { participant_id: "K2", group: "Ketamine", session: "pre", alpha_good: 0.3, alpha_bad: 0.3 },
  { participant_id: "K2", group: "Ketamine", session: "post2", alpha_good: 0.5, alpha_bad: null },
];

const lines = (chart: Element) => [...chart.querySelectorAll('g[aria-description="participant lines"] path[data-participant]')];
const dots = (chart: Element) => [...chart.querySelectorAll('g[aria-description="participant dots"] circle[data-participant]')];

describe("lrSlopeChart", () => {
  it("draws one line per participant and valence, skipping null rates", () => {
    const chart = lrSlopeChart(fits, { groups, sessions, document });
    // good news: H1, H2, K2 (K1 has no good-news rate); bad news: H1, H2, K1, K2
    expect(lines(chart).length).toBe(7);
    expect(lines(chart).filter((l) => l.getAttribute("data-participant") === "K1").length).toBe(1);
    // one dot per non-null rate: 9 fits × 2 − 3 null good − 1 null bad
    expect(dots(chart).length).toBe(14);
  });

  it("has facets for good and bad news, a 0–1 learning-rate axis and a caption", () => {
    const chart = lrSlopeChart(fits, { groups, sessions, document, note: "Synthetic cohort." });
    const texts = [...chart.querySelectorAll("text")].map((t) => t.textContent);
    expect(texts).toContain("Good news");
    expect(texts).toContain("Bad news");
    expect(texts.some((t) => /Learning rate α/.test(t ?? ""))).toBe(true);
    expect(chart.querySelector("h2")?.textContent).toMatch(/Learning rates/);
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/^Each thin line is one participant's fitted learning rate.*Synthetic cohort\.$/);
  });

  it("draws bold group-mean lines per group and valence", () => {
    const chart = lrSlopeChart(fits, { groups, sessions, document });
    expect(chart.querySelectorAll('g[aria-description="group mean"] path').length).toBe(4);
  });

  it("shows one group only", () => {
    const chart = lrSlopeChart(fits, { groups, sessions, document, group: "Ketamine" });
    expect(new Set(lines(chart).map((l) => l.getAttribute("data-participant")))).toEqual(new Set(["K1", "K2"]));
  });

  it("highlights the selected participants", () => {
    const chart = lrSlopeChart(fits, { groups, sessions, document, selected: new Set(["H2"]) });
    const selected = [...chart.querySelectorAll('[data-selected="true"]')];
    expect(selected.length).toBe(2 + 4); // two lines, four dots
    expect(selected.every((e) => e.getAttribute("data-participant") === "H2")).toBe(true);
  });

  it("clears a selection: every participant mark back as drawn", () => {
    const chart = lrSlopeChart(fits, { groups, sessions, document, selected: ["H2"] });
    const attrs = (el: Element) => [...el.attributes].map((a) => `${a.name}=${a.value}`).filter((a) => !a.startsWith("data-")).sort();
    const fresh = lrSlopeChart(fits, { groups, sessions, document });
    expect(applySelection(chart, [])).toBe(0);
    const marks = [...chart.querySelectorAll("[data-participant]")];
    expect(marks.length).toBe(fresh.querySelectorAll("[data-participant]").length);
    for (const el of marks) {
      expect([...el.attributes].some((a) => a.name.startsWith("data-orig-") || a.name === "data-selected")).toBe(false);
      expect(el.hasAttribute("opacity")).toBe(false);
    }
    const sortedAttrs = (root: Element) => [...root.querySelectorAll("[data-participant]")].map((e) => `${e.tagName} ${e.getAttribute("data-participant")} ${attrs(e).join(" ")}`).sort();
    expect(sortedAttrs(chart)).toEqual(sortedAttrs(fresh));
  });

  it("orders points by session and averages per group, session and valence, exactly as the plain reference", () => {
    const summary = learningRateSummary(fits, sessions, groups);
    const points = summary.points(null);
    expect(points.filter((p) => p.participant_id === "H1" && p.valence === "good").map((p) => p.session)).toEqual(["pre", "post1"]);
    expect(summary.means.find((m) => m.group === "Healthy" && m.session === "pre" && m.valence === "good")).toMatchObject({ alpha: 0.5, n: 2 });
    expect(points).toEqual(learningRatePoints(fits, sessions));
    expect(summary.means).toEqual(meanLearningRates(learningRatePoints(fits, sessions)));
    // One group shown: only its fits.
    const healthy = learningRateSummary(fits, sessions, ["Healthy"]);
    expect(healthy.means).toEqual(meanLearningRates(learningRatePoints(fits.filter((f) => f.group === "Healthy"), sessions)));
  });
});

describe("lrSlopeChart with many participants (maxParticipants)", () => {
  // 1,000 participants (500 per group), two sessions each, both rates finite.
  const many: LearningRateFit[] = [];
  for (let i = 0; i < 1000; i++) {
    const group = i % 2 ? "Ketamine" : "Healthy";
    for (const session of ["pre", "post1"]) many.push({ participant_id: `P${i}`, group, session, alpha_good: ((i * 37) % 100) / 100, alpha_bad: ((i * 53) % 100) / 100 });
  }
  const drawnIds = (chart: Element) => new Set(lines(chart).map((l) => l.getAttribute("data-participant")));

  it("draws the lines and dots of a seeded sample, and says so in the caption", () => {
    const chart = lrSlopeChart(many, { groups, sessions, document, maxParticipants: 50, note: "Synthetic cohort." });
    expect(drawnIds(chart).size).toBe(50);
    expect(lines(chart).length).toBe(50 * 2); // one line per participant and valence
    expect(dots(chart).length).toBe(50 * 2 * 2); // two sessions, two valences
    expect(chart.getAttribute("data-participants-drawn")).toBe("50");
    expect(chart.getAttribute("data-participants-total")).toBe("1000");
    expect(chart.querySelector("figcaption")?.textContent).toContain("50 of 1,000 participants drawn (seeded sample); the group means use all 1,000.");
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/Synthetic cohort\.$/);
    // Title and axis label stay.
    expect(chart.querySelector("h2")?.textContent).toMatch(/Learning rates/);
    expect([...chart.querySelectorAll("text")].some((t) => /Learning rate α/.test(t.textContent ?? ""))).toBe(true);
  });

  it("computes the group means from everyone, not from the sample", () => {
    const chart = lrSlopeChart(many, { groups, sessions, document, maxParticipants: 50 });
    const means = meanLearningRates(learningRatePoints(many, sessions));
    const titles = [...chart.querySelectorAll('g[aria-description="group mean"] circle title')].map((t) => t.textContent);
    expect(titles.length).toBe(means.length);
    for (const m of means) expect(titles).toContain(`${m.group} mean, ${m.session}, ${m.valenceLabel}: α = ${m.alpha.toFixed(3)} (n = 500)`);
  });

  it("draws the same participants whatever the rates (another model), another sample with another seed", () => {
    const a = drawnIds(lrSlopeChart(many, { groups, sessions, document, maxParticipants: 50 }));
    const otherModel = many.map((f) => ({ ...f, alpha_good: (f.alpha_good ?? 0) / 2 }));
    expect(drawnIds(lrSlopeChart(otherModel, { groups, sessions, document, maxParticipants: 50 }))).toEqual(a);
    // Leaving some participants out keeps the others drawn.
    const fewer = many.filter((f) => !a.has(f.participant_id) || f.participant_id !== [...a][0]);
    const b = drawnIds(lrSlopeChart(fewer, { groups, sessions, document, maxParticipants: 50 }));
    expect([...a].filter((id) => !b.has(id))).toEqual([[...a][0]]);
    expect(drawnIds(lrSlopeChart(many, { groups, sessions, document, maxParticipants: 50, sampleSeed: 2 }))).not.toEqual(a);
  });

  it("always draws the selected participants", () => {
    const chart = lrSlopeChart(many, { groups, sessions, document, maxParticipants: 50, selected: ["P999", "P998"] });
    const ids = drawnIds(chart);
    expect(ids.has("P999") && ids.has("P998")).toBe(true);
    expect(chart.querySelectorAll('path[data-selected="true"]').length).toBe(4);
  });

  it("draws everyone, without a sample note, when the study is not larger than maxParticipants", () => {
    const chart = lrSlopeChart(fits, { groups, sessions, document, maxParticipants: 4 });
    expect(lines(chart).length).toBe(7);
    expect(dots(chart).length).toBe(14);
    expect(chart.querySelector("figcaption")?.textContent).not.toMatch(/drawn/);
  });
});

describe("learning-rate captions say the rates are unbounded", () => {
  const sentence = /The least-squares rates are not bounded to \[0, 1\]: a negative rate means the second estimate moved away from the base rate, a rate above 1 that it overshot the base rate\./;
  const outside: LearningRateFit[] = [
    { participant_id: "T1", group: "Ketamine", session: "pre", alpha_good: -0.42, alpha_bad: 0.3 },
    { participant_id: "T1", group: "Ketamine", session: "post1", alpha_good: 1.0, alpha_bad: 0.2 },
  ];
  it("the slope chart (page and figure draw the same caption)", () => {
    const chart = lrSlopeChart(outside, { document, sessions, groups });
    expect(chart.querySelector("figcaption")!.textContent).toMatch(sentence);
    const hier = lrSlopeChart(outside, { document, sessions, groups, hierarchical: true });
    expect(hier.querySelector("figcaption")!.textContent).toMatch(/hierarchical \(MAP\) rates, like the least-squares ones, are not bounded to \[0, 1\]/);
  });
  it("the means chart, whose axis no longer claims 0–1", () => {
    const chart = lrMeansChart([{ group: "Ketamine", session: "pre", valence: "good", mean: 0.4, sem: 0.1, n: 3 }], { document, groups: ["Ketamine"], sessions: ["pre"] });
    expect(chart.querySelector("figcaption")!.textContent).toMatch(sentence);
    expect(chart.textContent).not.toContain("(0–1)");
  });
  it("the participant's trials", () => {
    const chart = participantTrials([{ session: "pre", event_id: "e", e1: 30, br: 20, e2: 25, valence: "good" }], [{ session: "pre", alpha_good: 0.5, alpha_bad: null }], { document, sessions: ["pre"] });
    expect(chart.querySelector("figcaption")!.textContent).toMatch(sentence);
  });
});
