import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { lrMeansChart, type LearningRateSummary } from "../../src/components/lr-means.js";

const { document } = new JSDOM("").window;
const groups = ["Healthy", "Ketamine"];
const sessions = ["pre", "post1"];
const rows: LearningRateSummary[] = groups.flatMap((group) =>
  sessions.flatMap((session) => (["good", "bad"] as const).map((valence) => ({ group, session, valence, mean: valence === "good" ? 0.45 : 0.35, sem: 0.03, n: 20 }))),
);

describe("lrMeansChart", () => {
  it("draws one mean dot per group × session × valence with title, axis label and caption", () => {
    const chart = lrMeansChart(rows, { groups, sessions, document });
    const svg = [...chart.children].find((c) => c.tagName.toLowerCase() === "svg")!;
    expect(svg.querySelectorAll('g[aria-label="dot"] circle, g[aria-label="dot"] path').length).toBe(8);
    expect(chart.querySelector("h2")?.textContent).toBe("Mean learning rate by news valence, group and session");
    expect([...chart.querySelectorAll("text")].some((t) => /Mean learning rate α/.test(t.textContent ?? ""))).toBe(true);
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/^Each dot is a group mean/);
  });

  it("draws published means as hollow diamonds with a Published legend entry", () => {
    const published = [
      { group: "Ketamine", session: "pre", valence: "good" as const, mean: 0.5, sem: 0.04 },
      { group: "Ketamine", session: "pre", valence: "bad" as const, mean: 0.3 },
    ];
    const chart = lrMeansChart(rows, { groups, sessions, document, published });
    const diamonds = chart.querySelectorAll('g[aria-description="published"] path');
    expect(diamonds.length).toBe(2);
    for (const d of diamonds) expect(d.closest("g")!.getAttribute("fill")).toBe("none");
    expect(chart.textContent).toContain("Published");
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/Hollow diamonds are the published means/);
  });

  it("has no Published legend entry without published values", () => {
    const chart = lrMeansChart(rows, { groups, sessions, document });
    expect(chart.textContent).not.toContain("Published");
  });
});
