import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { attachBrush, pointsInRect, setBrushSelection, type BrushPoint } from "../../src/components/brush.js";
import { mediationScatter } from "../../src/components/mediation-scatter.js";

const { document } = new JSDOM("").window;

const identity = (v: number) => v;
const points: BrushPoint[] = [
  { id: "in", x: 5, y: 5 },
  { id: "edge", x: 10, y: 0 },
  { id: "left", x: -1, y: 5 },
  { id: "below", x: 5, y: 11 },
  { id: "nan", x: NaN, y: 5 },
];

describe("pointsInRect", () => {
  it("selects exactly the points inside the rectangle, edges included", () => {
    expect(pointsInRect(points, identity, identity, [[0, 0], [10, 10]])).toEqual(["in", "edge"]);
  });

  it("accepts the corners in any order", () => {
    expect(pointsInRect(points, identity, identity, [[10, 10], [0, 0]])).toEqual(["in", "edge"]);
  });

  it("applies the scales before testing (y pixels grow downward)", () => {
    const x = (v: number) => 100 + 10 * v;
    const y = (v: number) => 200 - 10 * v;
    // data x in [0, 10] -> pixels [100, 200]; data y in [4, 6] -> pixels [140, 160]
    expect(pointsInRect(points, x, y, [[100, 140], [200, 160]])).toEqual(["in"]);
  });

  it("skips points the scales cannot place", () => {
    const x = (v: number) => (v < 0 ? undefined : v);
    expect(pointsInRect(points, x, identity, [[-100, -100], [100, 100]])).toEqual(["in", "edge", "below"]);
  });
});

describe("attachBrush on a mediation scatter", () => {
  const data = [
    { participant_id: "P1", dM: -1, dY: -1 },
    { participant_id: "P2", dM: 0, dY: 0 },
    { participant_id: "P3", dM: 1, dY: 1 },
  ];
  const line = [
    { x: -1, y: -1, lo: -2, hi: 0 },
    { x: 1, y: 1, lo: 0, hi: 2 },
  ];
  const brushPoints = data.map((d) => ({ id: d.participant_id, x: d.dM, y: d.dY }));

  it("adds a d3 brush over the plot area and reports the brushed ids", () => {
    const chart = mediationScatter(data, line, { xLabel: "ΔM", yLabel: "ΔY", document });
    const calls: (string[] | null)[] = [];
    const handle = attachBrush(chart, brushPoints, (ids) => calls.push(ids), { document });
    expect(chart.querySelector("g.brush")).not.toBeNull();
    const x = chart.scale("x")!;
    const y = chart.scale("y")!;
    // a rectangle around P2 and P3
    const rect: [[number, number], [number, number]] = [
      [x.apply(-0.5), y.apply(1.5)],
      [x.apply(1.5), y.apply(-0.5)],
    ];
    handle.move(rect);
    expect(calls.at(-1)).toEqual(["P2", "P3"]);
    const selected = [...chart.querySelectorAll('[data-selected="true"]')].map((e) => e.getAttribute("data-participant")).sort();
    expect(selected).toEqual(["P2", "P3"]);
    handle.clear();
    expect(calls.at(-1)).toBeNull();
    expect(chart.querySelectorAll('[data-selected="true"]').length).toBe(0);
    handle.remove();
    expect(chart.querySelector("g.brush")).toBeNull();
  });

  it("setBrushSelection marks dots without recomputing, null clears", () => {
    const chart = mediationScatter(data, line, { xLabel: "ΔM", yLabel: "ΔY", document });
    setBrushSelection(chart, ["P1"]);
    expect(chart.querySelector('[data-participant="P1"]')!.getAttribute("data-selected")).toBe("true");
    expect(chart.querySelector('[data-participant="P2"]')!.hasAttribute("data-selected")).toBe(false);
    setBrushSelection(chart, null);
    expect(chart.querySelectorAll("[data-selected]").length).toBe(0);
    expect(chart.querySelector('[data-participant="P2"]')!.hasAttribute("opacity")).toBe(false);
  });
});
