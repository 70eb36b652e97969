import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { attachBrush, pointsInRect, setBrushSelection, type BrushPoint } from "../../src/components/brush.js";
import { mediationScatter } from "../../src/components/mediation-scatter.js";
import { plotSvg } from "../../src/components/theme.js";

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

describe("clicks and drags on a brushed mediation scatter (pointer events in jsdom)", () => {
  // jsdom has no layout: d3.pointer falls back to clientX/clientY, which are then the svg's pixels.
  const dom = new JSDOM("<!doctype html><html><body></body></html>");
  const win = dom.window;
  const doc = win.document;
  const data = [
    { participant_id: "P1", dM: -1, dY: -1 },
    { participant_id: "P2", dM: 0, dY: 0 },
    { participant_id: "P3", dM: 1, dY: 1 },
    { participant_id: "P4", dM: 1, dY: -1 },
  ];
  const line = [
    { x: -1, y: -1, lo: -2, hi: 0 },
    { x: 1, y: 1, lo: 0, hi: 2 },
  ];
  const brushPoints = data.map((d) => ({ id: d.participant_id, x: d.dM, y: d.dY }));

  function setup(extra: { selected?: string[]; key?: string } = {}) {
    const clicks: string[] = [];
    const changes: (string[] | null)[] = [];
    const chart = mediationScatter(data, line, { xLabel: "ΔM", yLabel: "ΔY", document: doc, selected: extra.selected, onDotClick: (id) => clicks.push(id) });
    doc.body.replaceChildren(chart);
    const handle = attachBrush(chart, brushPoints, (ids) => changes.push(ids), { document: doc, key: extra.key });
    const x = chart.scale("x")!;
    const y = chart.scale("y")!;
    const at = (dM: number, dY: number) => ({ clientX: x.apply(dM), clientY: y.apply(dY) });
    return { chart, handle, clicks, changes, at, svg: plotSvg(chart)! };
  }
  const mouse = (target: EventTarget, type: string, pos: { clientX: number; clientY: number }, detail = 1) =>
    target.dispatchEvent(new win.MouseEvent(type, { bubbles: true, cancelable: true, view: win as unknown as Window, button: 0, detail, ...pos }));
  const selectionRect = (chart: Element) => chart.querySelector("g.brush .selection") as SVGRectElement;
  const shown = (r: SVGRectElement) => r.style.display !== "none" && Number(r.getAttribute("width")) > 0 && Number(r.getAttribute("height")) > 0;

  it("draws the dots above the brush overlay, so that a click on a dot reaches the dot", () => {
    const { svg } = setup();
    const children = [...svg.children];
    const brushAt = children.findIndex((c) => c.matches("g.brush"));
    const dotsAt = children.findIndex((c) => c.querySelector("circle[data-participant]") !== null);
    expect(brushAt).toBeGreaterThanOrEqual(0);
    expect(dotsAt).toBeGreaterThan(brushAt); // later in the document = painted on top, hit first
  });

  it("a click on a dot fires the dot's action and leaves the selection alone", () => {
    const { chart, handle, clicks, changes, at } = setup({ key: "click" });
    handle.move([[at(-0.5, 1.5).clientX, at(-0.5, 1.5).clientY], [at(1.5, -0.5).clientX, at(1.5, -0.5).clientY]]);
    expect(changes.at(-1)).toEqual(["P2", "P3"]);
    const n = changes.length;
    const dot = chart.querySelector('circle[data-participant="P1"]')!;
    mouse(dot, "mousedown", at(-1, -1));
    mouse(dot, "mouseup", at(-1, -1));
    mouse(dot, "click", at(-1, -1));
    expect(clicks).toEqual(["P1"]);
    expect(changes.length).toBe(n); // no brush event
    expect(shown(selectionRect(chart))).toBe(true);
    // A double click is not a second action.
    mouse(dot, "click", at(-1, -1), 2);
    expect(clicks).toEqual(["P1"]);
    // Keyboard: Enter on a focused dot.
    expect(dot.getAttribute("tabindex")).toBe("0");
    dot.dispatchEvent(new win.KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(clicks).toEqual(["P1", "P1"]);
  });

  it("a drag on empty space selects the dots inside, and the rectangle stays after release", () => {
    const { chart, changes, clicks, at } = setup({ key: "drag-empty" });
    const overlay = chart.querySelector("g.brush .overlay")!;
    mouse(overlay, "mousedown", at(-0.5, 1.5));
    mouse(win, "mousemove", at(0.5, 0.5));
    mouse(win, "mousemove", at(1.5, -0.5));
    mouse(win, "mouseup", at(1.5, -0.5));
    expect(changes.at(-1)).toEqual(["P2", "P3"]);
    expect(shown(selectionRect(chart))).toBe(true);
    expect([...chart.querySelectorAll('circle[data-selected="true"]')].map((c) => c.getAttribute("data-participant")).sort()).toEqual(["P2", "P3"]);
    expect(clicks).toEqual([]);
    // A click on empty space clears it.
    mouse(overlay, "mousedown", at(-0.9, 0.9));
    mouse(win, "mouseup", at(-0.9, 0.9));
    expect(changes.at(-1)).toBeNull();
    expect(shown(selectionRect(chart))).toBe(false);
  });

  it("a drag that starts on a dot brushes, and does not open the dot", async () => {
    const { chart, changes, clicks, at } = setup({ key: "drag-dot" });
    const dot = chart.querySelector('circle[data-participant="P2"]')!;
    mouse(dot, "mousedown", at(0, 0));
    mouse(win, "mousemove", { clientX: at(0, 0).clientX + 1, clientY: at(0, 0).clientY + 1 }); // under the threshold: still a click
    expect(changes.length).toBe(0);
    mouse(win, "mousemove", at(1.5, -1.5));
    mouse(win, "mouseup", at(1.5, -1.5));
    mouse(dot, "click", at(1.5, -1.5)); // the browser's click after the drag: swallowed by d3
    expect(changes.at(-1)!.sort()).toEqual(["P2", "P4"]);
    expect(shown(selectionRect(chart))).toBe(true);
    expect(clicks).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
  });

  it("draws the rectangle again on a redrawn chart that shows the selection it made (a reactive page)", () => {
    const first = setup({ key: "redraw" });
    const overlay = first.chart.querySelector("g.brush .overlay")!;
    mouse(overlay, "mousedown", first.at(-0.5, 1.5));
    mouse(win, "mousemove", first.at(1.5, -0.5));
    mouse(win, "mouseup", first.at(1.5, -0.5));
    const ids = first.changes.at(-1)!;
    // The page redraws the chart with the selection (as src/mediation.md does on every change).
    const again = setup({ key: "redraw", selected: ids });
    expect(shown(selectionRect(again.chart))).toBe(true);
    expect(again.changes).toEqual([]); // restoring does not fire onChange
    expect(again.handle.rect()).not.toBeNull();
    // Another selection (e.g. from the list): no rectangle.
    const other = setup({ key: "redraw", selected: ["P1"] });
    expect(shown(selectionRect(other.chart))).toBe(false);
  });
});
