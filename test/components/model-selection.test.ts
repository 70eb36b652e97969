import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { modelSelectionChart, type ModelSelectionCell } from "../../src/components/model-selection.js";

const { document } = new JSDOM("").window;
const cells: ModelSelectionCell[] = [
  { group: "TRD", session: "pre", n: 20, frequency: { "vb-single": 0.7, "vb-signed": 0.3 }, protected_exceedance: { "vb-single": 0.9, "vb-signed": 0.1 }, bor: 0.2 },
  { group: "TRD", session: "post", n: 20, frequency: { "vb-single": 0.25, "vb-signed": 0.75 }, protected_exceedance: { "vb-single": 0.05, "vb-signed": 0.95 }, bor: 0.05 },
];

describe("modelSelectionChart", () => {
  it("draws one protected-exceedance bar and one frequency dot per model and group x session, on [0, 1]", () => {
    const chart = modelSelectionChart(cells, { document, models: ["vb-single", "vb-signed"], width: 500 });
    const bars = [...chart.querySelectorAll('g[aria-label="bar"] rect')];
    expect(bars).toHaveLength(4);
    // Bar widths are proportional to the protected exceedance probabilities.
    const widths = bars.map((b) => Number(b.getAttribute("width")));
    expect(widths[1] / widths[0]).toBeCloseTo(0.1 / 0.9, 2);
    expect(chart.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(4);
    const text = chart.textContent ?? "";
    expect(text).toContain("TRD, pre (n 20, BOR 0.20)");
    expect(text).toContain("TRD, post (n 20, BOR 0.05)");
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/protected exceedance probability.*Rigoux/);
  });

  it("leaves the bars out when the exceedance is not protected (one cell with too few subjects)", () => {
    const chart = modelSelectionChart([{ ...cells[0], protected_exceedance: null }], { document, models: ["vb-single", "vb-signed"] });
    expect(chart.querySelectorAll('g[aria-label="bar"] rect')).toHaveLength(0);
    expect(chart.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(2);
  });
});
