import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { sensitivityCurve } from "../../src/components/sensitivity-curve.js";

const { document } = new JSDOM("").window;
const curve = Array.from({ length: 41 }, (_, k) => ({ rho: -1 + k / 20, indirect: -1 + 2 * (-1 + k / 20) }));

describe("sensitivityCurve", () => {
  it("draws the indirect effect against ρ with a rule at zero and at the crossing", () => {
    const chart = sensitivityCurve(curve, { document, rho_zero: 0.5, estimate: -1 });
    expect(chart.querySelectorAll('g[aria-description="sensitivity curve"] path').length).toBe(1);
    expect(chart.querySelectorAll('g[aria-description="zero crossing"] line').length).toBe(1);
    expect(chart.querySelector('g[aria-description="zero crossing label"]')!.textContent).toBe("ρ = 0.50");
    expect(chart.querySelectorAll('g[aria-description="estimate"] circle').length).toBe(1);
  });

  it("explains ρ in the caption, citing Imai, Keele & Yamamoto (2010)", () => {
    const chart = sensitivityCurve(curve, { document, rho_zero: 0.5, estimate: -1 });
    const caption = chart.querySelector("figcaption")!.textContent!;
    expect(caption).toMatch(/errors of the mediator and outcome equations/);
    expect(caption).toMatch(/Imai, Keele & Yamamoto 2010/);
    expect(caption).toMatch(/zero at ρ = 0\.50/);
    const texts = [...chart.querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(texts.some((t) => t.startsWith("ρ, correlation between mediator and outcome errors"))).toBe(true);
  });

  it("shortens the axis labels on a narrow chart, keeping ρ and the units", () => {
    const chart = sensitivityCurve(curve, { document, rho_zero: 0.5, estimate: -1, width: 300 });
    const texts = [...chart.querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(texts.some((t) => t.startsWith("ρ (error correlation)"))).toBe(true);
    expect(texts.some((t) => t.startsWith("ρ, correlation between"))).toBe(false);
    expect(texts.some((t) => t.includes("Indirect effect a·b (points)"))).toBe(true);
    // The caption still explains ρ in full.
    expect(chart.querySelector("figcaption")!.textContent).toMatch(/errors of the mediator and outcome equations/);
  });

  it("draws no crossing when the effect does not cross zero", () => {
    const chart = sensitivityCurve(curve, { document, rho_zero: null, estimate: -1 });
    expect(chart.querySelectorAll('g[aria-description="zero crossing"] line').length).toBe(0);
    expect(chart.querySelector("figcaption")!.textContent).toMatch(/does not cross zero/);
  });
});
