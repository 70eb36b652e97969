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

describe("mediationScatter with many patients (maxPoints)", () => {
  const many = Array.from({ length: 3000 }, (_, i) => ({ participant_id: `K${i}`, dM: Math.sin(i) * (1 + (i % 7) / 7), dY: -10 + 8 * Math.cos(i * 1.3) }));
  const dotIds = (chart: Element) => [...chart.querySelectorAll("circle[data-participant]")].map((d) => d.getAttribute("data-participant"));

  it("draws a seeded sample of the dots, keeps the axes of everyone and says so in the caption", () => {
    const full = mediationScatter(many, line, opts);
    const chart = mediationScatter(many, line, { ...opts, maxPoints: 500, note: "Synthetic data." });
    expect(dotIds(full).length).toBe(3000);
    expect(new Set(dotIds(chart)).size).toBe(500);
    expect(dotIds(chart).length).toBe(500);
    expect(chart.getAttribute("data-points-drawn")).toBe("500");
    expect(chart.getAttribute("data-points-total")).toBe("3000");
    expect(chart.querySelector("figcaption")?.textContent).toContain("500 of 3,000 patients drawn (seeded sample); the line and band are fitted to all 3,000.");
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/Synthetic data\.$/);
    expect(chart.scale("x")!.domain).toEqual(full.scale("x")!.domain);
    expect(chart.scale("y")!.domain).toEqual(full.scale("y")!.domain);
    // Line, band, title and axis labels as without the sample.
    expect(chart.querySelectorAll('g[aria-description="regression line"] path').length).toBe(1);
    expect(chart.querySelector("h2")?.textContent).toMatch(/mediator/);
    const texts = [...chart.querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(texts.some((t) => t.includes("Δ learning-rate asymmetry"))).toBe(true);
    expect(texts.some((t) => t.includes("Δ MADRS (points)"))).toBe(true);
  });

  it("always draws the selected patients; draws everyone in a small study", () => {
    const chart = mediationScatter(many, line, { ...opts, maxPoints: 100, selected: ["K2999"] });
    expect(dotIds(chart)).toContain("K2999");
    expect(chart.querySelectorAll('circle[data-selected="true"]').length).toBe(1);
    const small = mediationScatter(points, line, { ...opts, maxPoints: 100 });
    expect(dotIds(small).sort()).toEqual(["K1", "K2", "K3"]);
    expect(small.querySelector("figcaption")?.textContent).not.toMatch(/drawn/);
  });
});

describe("mediationScatter axes", () => {
  // The spread of the bundled study: Δ asymmetry from −0.45 to 0.95, Δ MADRS from −20 to −5.
  const spread = [
    { participant_id: "A", dM: -0.45, dY: -11 },
    { participant_id: "B", dM: 0.95, dY: -17 },
    { participant_id: "C", dM: 0.1, dY: -20 },
    { participant_id: "D", dM: 0.4, dY: -5 },
    { participant_id: "E", dM: 0, dY: -12 },
  ];
  const fit = [
    { x: -0.45, y: -9, lo: -12, hi: -6 },
    { x: 0.95, y: -18, lo: -21, hi: -14 },
  ];
  const ticks = (chart: Element, axis: "x" | "y") => [...chart.querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`)].map((t) => t.textContent);

  it.each([320, 420, 640])("at %i px: nice domains, at least four ticks per axis, and no dot on the frame", (width) => {
    const chart = mediationScatter(spread, fit, { ...opts, width, height: Math.round(width * 0.75) });
    expect(ticks(chart, "x").length).toBeGreaterThanOrEqual(4);
    expect(ticks(chart, "y").length).toBeGreaterThanOrEqual(4);
    const x = chart.scale("x")!;
    const y = chart.scale("y")!;
    // Round ends beyond the data.
    const [x0, x1] = x.domain as number[];
    expect(x0).toBeLessThanOrEqual(-0.45);
    expect(x1).toBeGreaterThanOrEqual(0.95);
    for (const v of [x0, x1]) expect(Math.abs(v * 10 - Math.round(v * 10))).toBeLessThan(1e-9);
    const [y0, y1] = y.domain as number[];
    for (const v of [y0, y1]) expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-9);
    // Every dot at least its radius (4 px) plus 2 px inside the frame.
    const svg = plotSvg(chart)!;
    const W = Number(svg.getAttribute("width"));
    const H = Number(svg.getAttribute("height"));
    const [left, right] = [40, W - 20]; // Plot's default margins (left 40, right 20, top 20) and ours (bottom 40)
    const [top, bottom] = [20, H - 40];
    const xr = [Math.min(...(x.range as number[])), Math.max(...(x.range as number[]))];
    const yr = [Math.min(...(y.range as number[])), Math.max(...(y.range as number[]))];
    for (const c of chart.querySelectorAll("circle[data-participant]")) {
      const cx = Number(c.getAttribute("cx"));
      const cy = Number(c.getAttribute("cy"));
      expect(cx - left).toBeGreaterThanOrEqual(6);
      expect(right - cx).toBeGreaterThanOrEqual(6);
      expect(cy - top).toBeGreaterThanOrEqual(6);
      expect(bottom - cy).toBeGreaterThanOrEqual(6);
      expect(cx).toBeGreaterThanOrEqual(xr[0]);
      expect(cx).toBeLessThanOrEqual(xr[1]);
      expect(cy).toBeGreaterThanOrEqual(yr[0]);
      expect(cy).toBeLessThanOrEqual(yr[1]);
    }
  });
});
