import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { updatesChart } from "../../src/components/updates-chart.js";

const { document } = new JSDOM("").window;
const groups = ["Healthy", "Ketamine"];
const sessions = ["pre", "post1"];
const summary = groups.flatMap((group) =>
  sessions.flatMap((session) => (["bad", "good"] as const).map((valence) => ({ group, session, valence, mean: valence === "good" ? 12 : 8, sem: 1, n: 20 }))),
);

describe("updatesChart", () => {
  it("draws one mean dot per group × session × valence with SEM bars, title, axis label and caption", () => {
    const chart = updatesChart(summary, { groups, sessions, document, note: "Synthetic cohort." });
    const svg = [...chart.children].find((c) => c.tagName.toLowerCase() === "svg")!;
    expect(svg.querySelectorAll('g[aria-label="dot"] circle').length).toBe(8);
    expect(chart.querySelector("h2")?.textContent).toBe("Mean belief update by news valence, group and session");
    expect([...chart.querySelectorAll("text")].some((t) => t.textContent === "Mean update (percentage points)")).toBe(true);
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/^Each dot is a group mean.*Synthetic cohort\.$/);
  });
});
