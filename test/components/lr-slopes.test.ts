import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { learningRatePoints, lrSlopeChart, meanLearningRates, type LearningRateFit } from "../../src/components/lr-slopes.js";

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

  it("orders points by session and averages per group, session and valence", () => {
    const points = learningRatePoints(fits, sessions);
    expect(points.filter((p) => p.participant_id === "H1" && p.valence === "good").map((p) => p.session)).toEqual(["pre", "post1"]);
    const means = meanLearningRates(points);
    expect(means.find((m) => m.group === "Healthy" && m.session === "pre" && m.valence === "good")).toMatchObject({ alpha: 0.5, n: 2 });
  });
});
