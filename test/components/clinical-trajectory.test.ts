import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { clinicalTrajectory, type ClinicalScoreRow } from "../../src/components/clinical-trajectory.js";

const { document } = new JSDOM("").window;
const sessions = ["pre", "post1", "post2"];
const scale = { name: "MADRS", min: 0, max: 60 };
const rows: ClinicalScoreRow[] = [
  { participant_id: "K1", group: "Ketamine", session: "post1", score: 20 },
  { participant_id: "K1", group: "Ketamine", session: "pre", score: 32 },
  { participant_id: "K1", group: "Ketamine", session: "post2", score: 15 },
  { participant_id: "K2", group: "Ketamine", session: "pre", score: 28 },
  { participant_id: "K2", group: "Ketamine", session: "post1", score: null },
  { participant_id: "K2", group: "Ketamine", session: "post2", score: 22 },
  { participant_id: "H1", group: "Healthy", session: "pre", score: 2 },
  { participant_id: "H1", group: "Healthy", session: "post1", score: 3 },
];
const groups = ["Healthy", "Ketamine"];

const lines = (chart: Element) => [...chart.querySelectorAll('g[aria-description="participant lines"] path[data-participant]')];

describe("clinicalTrajectory", () => {
  it("draws one line per participant and one dot per non-missing score", () => {
    const chart = clinicalTrajectory(rows, { sessions, scale, groups, document });
    expect(lines(chart).map((l) => l.getAttribute("data-participant")).sort()).toEqual(["H1", "K1", "K2"]);
    expect(chart.querySelectorAll('g[aria-description="participant dots"] circle[data-participant]').length).toBe(7);
    expect(chart.querySelectorAll('g[aria-description="group mean"] path').length).toBe(2);
  });

  it("labels the score axis with the scale and its range", () => {
    const chart = clinicalTrajectory(rows, { sessions, scale, groups, document, note: "Synthetic cohort." });
    expect(chart.querySelector("h2")?.textContent).toBe("MADRS scores across sessions");
    expect([...chart.querySelectorAll("text")].some((t) => (t.textContent ?? "").includes("MADRS score (points, 0–60)"))).toBe(true);
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/^Each thin line is one participant's MADRS score.*Synthetic cohort\.$/);
  });

  it("marks selected participants and shows the highlighted one bold", () => {
    const chart = clinicalTrajectory(rows, { sessions, scale, groups, document, selected: ["K1"], highlight: "K2" });
    const selected = [...chart.querySelectorAll('[data-selected="true"]')];
    expect(selected.length).toBe(4); // K1: one line, three dots
    expect(selected.every((e) => e.getAttribute("data-participant") === "K1")).toBe(true);
    const bold = chart.querySelector('path[data-highlighted="true"]')!;
    expect(bold.getAttribute("data-participant")).toBe("K2");
    expect(Number(bold.getAttribute("stroke-width"))).toBeGreaterThan(3);
    expect(Number(chart.querySelector('path[data-participant="H1"]')!.getAttribute("opacity"))).toBeLessThan(1);
  });
});
