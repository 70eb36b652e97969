import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { fitSegments, participantTrials, type ParticipantTrial } from "../../src/components/participant-trials.js";

const { document } = new JSDOM("").window;
const sessions = ["pre", "post1", "post2"];
const trial = (session: string, event_id: string, e1: number, br: number, e2: number): ParticipantTrial => ({ session, event_id, e1, br, e2, valence: br < e1 ? "good" : "bad" });
const trials: ParticipantTrial[] = [
  trial("pre", "E1", 50, 30, 40),
  trial("pre", "E2", 40, 10, 25),
  trial("pre", "E3", 20, 40, 26),
  trial("post1", "E4", 60, 20, 40),
  trial("post1", "E5", 30, 50, 34),
  trial("post1", "E6", 30, 50, NaN),
];
const fits = [
  { session: "pre", alpha_good: 0.5, alpha_bad: 0.3 },
  { session: "post1", alpha_good: 0.5, alpha_bad: null },
];

describe("participantTrials", () => {
  it("draws one dot per trial with a finite response, one facet per session with trials", () => {
    const chart = participantTrials(trials, fits, { sessions, document, participant: "K3" });
    expect(chart.querySelectorAll('g[aria-description="trials"] circle').length).toBe(5);
    const texts = [...chart.querySelectorAll("text")].map((t) => t.textContent);
    expect(texts).toContain("pre");
    expect(texts).toContain("post1");
    expect(texts).not.toContain("post2");
  });

  it("puts the sessions side by side on a wide chart and stacks them on a narrow one, with every dot in both", () => {
    const wide = participantTrials(trials, fits, { sessions, document, width: 640 });
    const narrow = participantTrials(trials, fits, { sessions, document, width: 300 });
    expect(wide.getAttribute("data-layout")).toBe("side-by-side");
    expect(narrow.getAttribute("data-layout")).toBe("stacked");
    const svgOf = (el: Element) => (el.tagName.toLowerCase() === "svg" ? el : [...el.querySelectorAll("svg")].at(-1)!); // the chart, after the legend swatches
    expect(Number(svgOf(narrow).getAttribute("height"))).toBeGreaterThan(Number(svgOf(wide).getAttribute("height")));
    expect(narrow.querySelectorAll('g[aria-description="trials"] circle').length).toBe(5);
    // Stacked facets are offset vertically, side-by-side ones horizontally.
    const offsets = (el: Element) =>
      [...el.querySelectorAll('g[aria-description="trials"] > g')].map((g) => (g.getAttribute("transform") ?? "").match(/translate\(([-\d.]+),([-\d.]+)\)/)?.slice(1).map(Number) ?? [0, 0]);
    const n = offsets(narrow);
    const w = offsets(wide);
    expect(new Set(n.map((o) => o[0])).size).toBe(1);
    expect(new Set(n.map((o) => o[1])).size).toBeGreaterThan(1);
    expect(new Set(w.map((o) => o[1])).size).toBe(1);
    expect(new Set(w.map((o) => o[0])).size).toBeGreaterThan(1);
  });

  it("draws a fitted line per session and valence with a rate, skipping null rates", () => {
    const chart = participantTrials(trials, fits, { sessions, document });
    expect(chart.querySelectorAll('g[aria-description="fitted learning rates"] path').length).toBe(3);
  });

  it("fits lines y = α·x through the origin over each valence's range", () => {
    const points = trials.map((t) => ({ session: t.session, valence: t.valence, x: t.br - t.e1 }));
    const segments = fitSegments(points, fits);
    const good = segments.find((s) => s.session === "pre" && s.valence === "good")!;
    expect(good).toMatchObject({ x1: -30, y1: -15, x2: 0, y2: 0, alpha: 0.5 });
    const bad = segments.find((s) => s.session === "pre" && s.valence === "bad")!;
    expect(bad).toMatchObject({ x1: 0, x2: 20, y2: 6 });
    expect(segments.some((s) => s.session === "post1" && s.valence === "bad")).toBe(false);
  });

  it("labels both axes in points and says a dot is one event", () => {
    const chart = participantTrials(trials, fits, { sessions, document, participant: "K3" });
    const texts = [...chart.querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(texts.some((t) => t.startsWith("Base rate − first estimate (points)"))).toBe(true);
    expect(texts.some((t) => t.startsWith("Change of estimate (points)"))).toBe(true);
    expect(chart.querySelector("h2")?.textContent).toContain("K3");
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/^Each dot is one event \(trial\)/);
  });
});
