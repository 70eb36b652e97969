import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { jitter, updateDistribution, type UpdateCellDatum } from "../../src/components/update-distribution.js";

const { document } = new JSDOM("").window;
const groups = ["Healthy", "Ketamine"];
const sessions = ["pre", "post1", "post2"];

function cells(): UpdateCellDatum[] {
  const out: UpdateCellDatum[] = [];
  for (const [g, ids] of [["Healthy", ["H1", "H2"]], ["Ketamine", ["K1", "K2", "K3"]]] as const)
    for (const id of ids)
      for (const session of g === "Healthy" ? ["pre", "post1"] : sessions)
        for (const valence of ["good", "bad"] as const)
          out.push({ participant_id: id, group: g, session, valence, update: valence === "good" ? 12 : 8, n_trials: 20 });
  return out;
}

describe("updateDistribution", () => {
  it("draws one dot per participant, session and valence", () => {
    const data = cells();
    const chart = updateDistribution(data, { groups, sessions, document });
    const dots = chart.querySelectorAll("circle[data-participant]");
    expect(dots.length).toBe(data.length);
    expect([...dots].filter((d) => d.getAttribute("data-participant") === "K3").length).toBe(6);
  });

  it("has a title, axis labels with units and a caption naming what a dot is", () => {
    const chart = updateDistribution(cells(), { groups, sessions, document, note: "Synthetic cohort: simulated data, not patient data." });
    expect(chart.querySelector("h2")?.textContent).toMatch(/mean updates/i);
    const caption = chart.querySelector("figcaption")?.textContent ?? "";
    expect(caption).toMatch(/^Each dot is one participant's mean update/);
    expect(caption).toMatch(/Synthetic cohort/);
    const texts = [...chart.querySelectorAll("text")].map((t) => t.textContent);
    expect(texts.some((t) => /Mean update \(percentage points\)/.test(t ?? ""))).toBe(true);
    expect(texts).toContain("post1");
  });

  it("draws group-mean ticks for every group × session × valence", () => {
    const chart = updateDistribution(cells(), { groups, sessions, document });
    // Healthy: 2 sessions × 2 valences; Ketamine: 3 × 2
    const ticks = chart.querySelectorAll('g[aria-description="group mean"] line');
    expect(ticks.length).toBe(10);
  });

  it("marks the selected participants and fades the others", () => {
    const chart = updateDistribution(cells(), { groups, sessions, document, selected: ["K1"] });
    const sel = chart.querySelectorAll('[data-selected="true"]');
    expect(sel.length).toBe(6);
    for (const el of sel) expect(el.getAttribute("data-participant")).toBe("K1");
    const other = chart.querySelector('[data-participant="H1"]')!;
    expect(Number(other.getAttribute("opacity"))).toBeLessThan(0.5);
  });

  it("jitters deterministically within ±0.5", () => {
    expect(jitter("P01")).toBe(jitter("P01"));
    for (const id of ["a", "b", "P001", "K12"]) expect(Math.abs(jitter(id))).toBeLessThanOrEqual(0.5);
  });
});
