import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { powerCurve, type PowerCurveDatum } from "../../src/components/power-curve.js";

const { document } = new JSDOM("").window;
const data: PowerCurveDatum[] = [10, 20, 40].flatMap((x, i) => [
  { metric: "asymmetry", label: "Asymmetry (paired t)", x, power: 0.4 + 0.2 * i, lo: 0.35 + 0.2 * i, hi: 0.45 + 0.2 * i, replicates: 500 },
  { metric: "lmm", label: "Mixed model", x, power: 0.2 + 0.1 * i, lo: 0.15 + 0.1 * i, hi: 0.25 + 0.1 * i, replicates: 500 },
]);

describe("powerCurve", () => {
  it("draws one line per metric, a dot and a Monte Carlo bar per point, the targets and the design", () => {
    const chart = powerCurve(data, { document, x: "n", design: 26 });
    expect(chart.querySelectorAll('g[aria-description="power curve"] path').length).toBe(2);
    expect(chart.querySelectorAll('g[aria-description="power"] circle').length).toBe(6);
    expect(chart.querySelectorAll('g[aria-description="Monte Carlo interval"] line').length).toBe(6);
    expect(chart.querySelectorAll('g[aria-description="target power"] line').length).toBe(2);
    expect(chart.querySelectorAll('g[aria-description="this design"] line').length).toBe(1);
  });

  it("says in the caption what power and the bars are, and how many studies are behind them", () => {
    const chart = powerCurve(data, { document, x: "events", alpha: 0.01, note: "Synthetic." });
    const caption = chart.querySelector("figcaption")!.textContent!;
    expect(caption).toMatch(/share of 500 simulated studies per point whose test is significant at α = 0.01/);
    expect(caption).toMatch(/Monte Carlo error/);
    expect(caption).toMatch(/Synthetic\.$/);
    expect(chart.querySelectorAll('g[aria-description="this design"] line').length).toBe(0);
  });

  it("while the curve fills in, the caption gives the range of studies so far", () => {
    const partial = data.map((d, i) => ({ ...d, replicates: i < 2 ? 100 : 50 }));
    expect(powerCurve(partial, { document, x: "n" }).querySelector("figcaption")!.textContent).toMatch(/50–100 simulated studies per point so far/);
  });

  it("shortens the axis label on a narrow chart", () => {
    const texts = (w: number) => [...powerCurve(data, { document, x: "n", width: w }).querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(texts(640).some((t) => t.includes("every group this size"))).toBe(true);
    expect(texts(360).some((t) => t.includes("every group this size"))).toBe(false);
  });
});
