import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { bestModelTable, deltaBic, modelComparisonChart, type ModelBic } from "../../src/components/model-comparison.js";

const { document } = new JSDOM("").window;
const rows: ModelBic[] = [
  { model: "single", group: "Healthy", bic: 1200 },
  { model: "valence", group: "Healthy", bic: 1180 },
  { model: "scaling-asymmetry", group: "Healthy", bic: 1190 },
  { model: "single", group: "Ketamine", bic: 1500 },
  { model: "valence", group: "Ketamine", bic: 1505 },
  { model: "scaling-asymmetry", group: "Ketamine", bic: 1530 },
];

describe("modelComparisonChart", () => {
  it("computes ΔBIC relative to the best model of each group", () => {
    const d = deltaBic(rows);
    expect(d.map((r) => r.delta)).toEqual([20, 0, 10, 0, 5, 30]);
    expect(d.filter((r) => r.best).map((r) => `${r.group}:${r.model}`)).toEqual(["Healthy:valence", "Ketamine:single"]);
  });

  it("draws one bar per model and group, labels the best and says lower is better", () => {
    const chart = modelComparisonChart(rows, { document });
    expect(chart.querySelectorAll('g[aria-label="bar"] rect').length).toBe(6);
    const labels = [...chart.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(labels.filter((t) => t === "best").length).toBe(2);
    expect(labels).toContain("30.0");
    expect(chart.querySelector("h2")?.textContent).toMatch(/ΔBIC/);
    expect([...chart.querySelectorAll("text")].some((t) => /ΔBIC \(BIC points; lower is better\)/.test(t.textContent ?? ""))).toBe(true);
    expect(chart.querySelector("figcaption")?.textContent).toMatch(/^Each bar is one model's BIC.*Lower is better/);
  });
});

describe("bestModelTable", () => {
  it("has one row per model and one column per group, with zero for missing counts", () => {
    const table = bestModelTable(
      [
        { model: "single", group: "Healthy", n_best: 3 },
        { model: "valence", group: "Healthy", n_best: 9 },
        { model: "valence", group: "Ketamine", n_best: 4.5 },
      ],
      { document, models: ["single", "valence", "ee-weighted"] },
    );
    expect([...table.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["Model", "Healthy", "Ketamine"]);
    const body = [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(body).toEqual([
      ["single", "3", "0"],
      ["valence", "9", "4.5"],
      ["ee-weighted", "0", "0"],
    ]);
    expect(table.querySelector("caption")?.textContent).toMatch(/lowest under each model/);
  });
});

describe("modelComparisonChart with the analysis's tie rule", () => {
  it("labels every model the analysis calls best, even when floating-point sums differ in the last digit", () => {
    const tied: ModelBic[] = [
      { model: "single", group: "HC", bic: 1058, delta: 58, best: false },
      { model: "valence", group: "HC", bic: 1000, delta: 0, best: true },
      // Equal to valence up to rounding of the sums: the analysis counts it as tied.
      { model: "scaling-asymmetry", group: "HC", bic: 1000.0000000002, delta: 0, best: true },
    ];
    const chart = modelComparisonChart(tied, { document });
    const labels = [...chart.querySelectorAll('g[aria-label="text"] text')].map((t) => t.textContent);
    expect(labels.filter((t) => t === "best")).toHaveLength(2);
    expect(labels).not.toContain("0.0");
  });
});
