import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { posteriorIntervalsChart, type PosteriorInterval } from "../../src/components/posterior-intervals.js";

const { document } = new JSDOM("").window;
const rows: PosteriorInterval[] = [
  { participant_id: "P1", group: "TRD", session: "pre", estimate: 0.3, lo: 0.1, hi: 0.5 },
  { participant_id: "P2", group: "TRD", session: "pre", estimate: -0.2, lo: -0.4, hi: 0 },
  { participant_id: "P3", group: "HC", session: "pre", estimate: 0.05, lo: -0.1, hi: 0.2 },
  { participant_id: "P1", group: "TRD", session: "post", estimate: 0.4, lo: 0.2, hi: 0.6 },
];

describe("posteriorIntervalsChart", () => {
  it("draws one interval and one dot per participant-session, in order of the estimate within each session", () => {
    const chart = posteriorIntervalsChart(rows, { document, groups: ["HC", "TRD"], sessions: ["pre", "post", "post3"], width: 600 });
    const titles = [...chart.querySelectorAll('g[aria-label="dot"] circle title')].map((t) => t.textContent);
    expect(titles).toEqual(["P2: -0.20 [-0.40, 0.00]", "P3: 0.05 [-0.10, 0.20]", "P1: 0.30 [0.10, 0.50]", "P1: 0.40 [0.20, 0.60]"]);
    // One zero line plus four intervals; the empty session gets no panel.
    expect(chart.querySelectorAll('g[aria-label="rule"] line').length).toBeGreaterThanOrEqual(5);
    expect(chart.textContent).not.toContain("post3");
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/95% posterior interval/);
  });
});
