import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { mediationScatter } from "../../src/components/mediation-scatter.js";
import { plotSvg } from "../../src/components/theme.js";

const { document } = new JSDOM("").window;
const points = [
  { participant_id: "K1", dM: -0.2, dY: -12 },
  { participant_id: "K2", dM: 0.1, dY: -8 },
  { participant_id: "K3", dM: 0.3, dY: -5 },
  { participant_id: "K4", dM: NaN, dY: -5 },
];
const line = [
  { x: -0.2, fit: -12, lo: -14, hi: -10 },
  { x: 0.05, fit: -9, lo: -10, hi: -8 },
  { x: 0.3, fit: -5, lo: -7, hi: -3 },
];
const opts = { xLabel: "Δ learning-rate asymmetry", yLabel: "Δ MADRS (points)", document };

describe("mediationScatter", () => {
  it("draws one dot per patient carrying its id", () => {
    const chart = mediationScatter(points, line, opts);
    const dots = [...chart.querySelectorAll("circle[data-participant]")];
    expect(dots.map((d) => d.getAttribute("data-participant")).sort()).toEqual(["K1", "K2", "K3"]);
  });

  it("draws the regression line and its confidence band (accepting `fit` or `y`)", () => {
    const chart = mediationScatter(points, line, opts);
    expect(chart.querySelectorAll('g[aria-description="regression line"] path').length).toBe(1);
    expect(chart.querySelectorAll('g[aria-description="confidence band"] path').length).toBe(1);
    const withY = mediationScatter(points, line.map(({ fit, ...d }) => ({ ...d, y: fit, lo: null, hi: null })), opts);
    expect(withY.querySelectorAll('g[aria-description="regression line"] path').length).toBe(1);
    expect(withY.querySelectorAll('g[aria-description="confidence band"] path').length).toBe(0);
  });

  it("has a title, both axis labels and a caption naming one dot as one patient", () => {
    const chart = mediationScatter(points, line, { ...opts, note: "Synthetic cohort: simulated data, not patient data." });
    expect(chart.tagName).toBe("FIGURE");
    expect(chart.querySelector("h2")?.textContent).toMatch(/mediator/);
    const texts = [...chart.querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(texts.some((t) => t.includes("Δ learning-rate asymmetry"))).toBe(true);
    expect(texts.some((t) => t.includes("Δ MADRS (points)"))).toBe(true);
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/^Each dot is one patient.*not patient data\.$/);
  });

  it("exposes the x and y scales on the returned figure, whose plot svg holds the dots", () => {
    const chart = mediationScatter(points, line, opts);
    expect(chart.scale("x")?.domain).toBeDefined();
    expect(chart.scale("y")?.apply(-12)).toBeGreaterThan(chart.scale("y")!.apply(-5));
    expect(plotSvg(chart)!.querySelectorAll("circle[data-participant]").length).toBe(3);
  });

  it("marks the selected patients", () => {
    const chart = mediationScatter(points, line, { ...opts, selected: ["K2"] });
    expect([...chart.querySelectorAll('[data-selected="true"]')].map((e) => e.getAttribute("data-participant"))).toEqual(["K2"]);
  });
});
