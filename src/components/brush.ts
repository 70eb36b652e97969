/**
 * A rectangular brush on a Plot chart (pattern of Framework's mortgage-rates example): d3.brush
 * over the plot area, using the chart's own x/y scales to find the points inside. The API is kept
 * small so that a native Plot brush could replace it.
 */
import * as d3 from "d3";
import { applySelection } from "./participants.js";
import { plotSvg } from "./theme.js";

export interface BrushPoint {
  id: string;
  x: number;
  y: number;
}

/** A rectangle in pixels, [[x0, y0], [x1, y1]] (corners in any order). */
export type PixelRect = [[number, number], [number, number]];

type ScaleFn = (value: number) => number | undefined;

/** Ids of the points whose pixel position (xScale(x), yScale(y)) lies in the rectangle (edges included). Pure. */
export function pointsInRect(points: readonly BrushPoint[], xScale: ScaleFn, yScale: ScaleFn, rect: PixelRect): string[] {
  const [[ax, ay], [bx, by]] = rect;
  const [x0, x1] = [Math.min(ax, bx), Math.max(ax, bx)];
  const [y0, y1] = [Math.min(ay, by), Math.max(ay, by)];
  const ids: string[] = [];
  for (const p of points) {
    const px = xScale(p.x);
    const py = yScale(p.y);
    if (px === undefined || py === undefined || !Number.isFinite(px) || !Number.isFinite(py)) continue;
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1) ids.push(p.id);
  }
  return ids;
}

/** What Plot attaches to its returned element. */
interface ScaledChart extends Element {
  scale(name: "x" | "y"): { apply(value: unknown): number; range?: readonly number[] } | undefined;
}

export interface BrushHandle {
  /** Move the brush to a pixel rectangle (null: clear); fires onChange like a user brush. */
  move(rect: PixelRect | null): void;
  /** Clear the brush (fires onChange(null)). */
  clear(): void;
  /** Remove the brush from the chart. */
  remove(): void;
}

/**
 * Attach a brush to a Plot chart (the element Plot returned: `<svg>` or `<figure>`). On every
 * brush move, selected dots get `data-selected="true"` and onChange receives the ids inside the
 * rectangle, or null when the brush is cleared.
 */
export function attachBrush(
  chart: Element,
  points: readonly BrushPoint[],
  onChange: (ids: string[] | null) => void,
  _options: { document?: Document } = {},
): BrushHandle {
  const scaled = chart as ScaledChart;
  const x = scaled.scale("x");
  const y = scaled.scale("y");
  const svg = plotSvg(chart);
  if (!x || !y || !svg) throw new Error("attachBrush: the chart needs x and y scales and an <svg>");
  const [xa, xb] = x.range ?? [0, 0];
  const [ya, yb] = y.range ?? [0, 0];
  const extent: PixelRect = [
    [Math.min(xa, xb), Math.min(ya, yb)],
    [Math.max(xa, xb), Math.max(ya, yb)],
  ];
  const brush = d3
    .brush()
    .extent(extent)
    // d3's default test, guarded for environments without `navigator` (Node 20 + jsdom)
    .touchable(function (this: SVGGElement) {
      return (typeof navigator !== "undefined" && navigator.maxTouchPoints > 0) || "ontouchstart" in this;
    })
    .on("brush end", (event: d3.D3BrushEvent<unknown>) => {
      const rect = event.selection as PixelRect | null;
      const ids = rect ? pointsInRect(points, (v) => x.apply(v), (v) => y.apply(v), rect) : null;
      setBrushSelection(chart, ids);
      onChange(ids);
    });
  const g = d3.select(svg as SVGSVGElement).append("g").attr("class", "brush").attr("aria-hidden", "true").call(brush);
  return {
    move: (rect) => g.call(brush.move, rect),
    clear: () => g.call(brush.move, null),
    remove: () => g.remove(),
  };
}

/** Mark the dots of `ids` as selected (`data-selected`, others faded) without recomputing; null or [] clears. */
export function setBrushSelection(chart: Element, ids: Iterable<string> | null): void {
  applySelection(chart, ids);
}
