import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { recoveryChart, type RecoveryPoint } from "../../src/components/recovery-chart.js";

const { document } = new JSDOM("").window;

const points: RecoveryPoint[] = [
  ...[0.1, 0.3, 0.5, 0.7].map((t) => ({ parameter: "alpha_good", truth: t, estimate: t + 0.01 })),
  ...[1, 2, 3].map((t) => ({ parameter: "scale", truth: t, estimate: t - 0.1 })),
  { parameter: "scale", truth: 2, estimate: NaN },
];
const stats = [
  { parameter: "alpha_good", r: 0.987, bias: 0.01, n: 4 },
  { parameter: "scale", r: 0.95, bias: -0.1, n: 3 },
];

describe("recoveryChart", () => {
  it("draws one panel per parameter with its own dots and identity line", () => {
    const figure = recoveryChart(points, stats, { document });
    const panels = [...figure.querySelectorAll(".recovery-panel")];
    expect(panels.map((p) => p.getAttribute("data-parameter"))).toEqual(["alpha_good", "scale"]);
    expect(panels[0].querySelectorAll('g[aria-label="dot"] circle').length).toBe(4);
    expect(panels[1].querySelectorAll('g[aria-label="dot"] circle').length).toBe(3); // NaN estimate left out
    for (const p of panels) expect(p.querySelectorAll('g[aria-description="identity"] path').length).toBe(1);
  });

  it("writes r and bias in each panel", () => {
    const figure = recoveryChart(points, stats, { document });
    const panel = figure.querySelector('[data-parameter="scale"]')!;
    const annotation = panel.querySelector('g[aria-description="recovery statistics"]')!.textContent;
    expect(annotation).toContain("r = 0.95");
    expect(annotation).toContain("bias = −0.100");
    expect(annotation).toContain("n = 3");
  });

  it("has a title, axis labels and a caption saying what a dot is", () => {
    const figure = recoveryChart(points, stats, { document, note: "Simulated." });
    expect(figure.querySelector("h2")?.textContent).toMatch(/Parameter recovery/);
    const texts = [...figure.querySelectorAll("text")].map((t) => t.textContent ?? "");
    expect(texts.some((t) => t.includes("True alpha_good"))).toBe(true);
    expect(texts.some((t) => t.includes("Estimated alpha_good"))).toBe(true);
    expect(figure.querySelector("figcaption")?.textContent).toMatch(/^Each dot is one simulated participant-session.*Simulated\.$/);
  });
});
