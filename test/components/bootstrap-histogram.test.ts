import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { bootstrapHistogram, finiteReplicates } from "../../src/components/bootstrap-histogram.js";

const { document } = new JSDOM("").window;
const replicates = Float64Array.from({ length: 500 }, (_, i) => (i % 50 === 0 ? NaN : -1 + Math.sin(i) * 0.8));
const finite = finiteReplicates(replicates).length;

const binCounts = (chart: Element) => [...chart.querySelectorAll('g[aria-description="histogram"] rect')].map((r) => Number(r.querySelector("title")!.textContent));

describe("bootstrapHistogram", () => {
  it("counts only the finite replicates in its bars (NaN ignored)", () => {
    expect(finite).toBe(490);
    const chart = bootstrapHistogram(replicates, { document, estimate: -1 });
    const counts = binCounts(chart);
    expect(counts.length).toBeGreaterThan(5);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(490);
  });

  it("draws rules for the estimate, zero and both intervals, with a legend", () => {
    const chart = bootstrapHistogram(replicates, { document, estimate: -1, percentile: [-1.7, -0.3], bca: [-1.8, -0.25] });
    expect(chart.querySelectorAll('g[aria-description="estimate"] line').length).toBe(1);
    expect(chart.querySelectorAll('g[aria-description="zero"] line').length).toBe(1);
    expect(chart.querySelectorAll('g[aria-description="percentile interval"] line').length).toBe(2);
    expect(chart.querySelectorAll('g[aria-description="BCa interval"] line').length).toBe(2);
    const legend = chart.textContent ?? "";
    expect(legend).toContain("Estimate (−1.000)");
    expect(legend).toContain("95% percentile CI [−1.700, −0.300]");
    expect(legend).toContain("95% BCa CI [−1.800, −0.250]");
  });

  it("leaves out interval rules that are not given", () => {
    const chart = bootstrapHistogram(replicates, { document, estimate: -1, percentile: [-1.7, -0.3], bca: null });
    expect(chart.querySelectorAll('g[aria-description="BCa interval"] line').length).toBe(0);
    expect(chart.textContent).not.toContain("BCa CI [");
  });

  it("states the number of resamples and of undefined ones in the caption", () => {
    const chart = bootstrapHistogram(replicates, { document, estimate: -1, note: "Synthetic cohort." });
    const caption = chart.querySelector("figcaption")!.textContent!;
    expect(caption).toMatch(/^Each bar counts the bootstrap resamples/);
    expect(caption).toContain("500 resamples (10 with an undefined estimate left out)");
    expect(caption).toMatch(/Synthetic cohort\.$/);
    expect(chart.querySelector("h2")?.textContent).toMatch(/Bootstrap distribution/);
    expect([...chart.querySelectorAll("text")].some((t) => /Resamples \(count\)/.test(t.textContent ?? ""))).toBe(true);
  });
});
