/**
 * A rectangular brush on a Plot chart (pattern of Framework's mortgage-rates example): d3.brush
 * over the plot area, using the chart's own x/y scales to find the points inside. The API is kept
 * small so that a native Plot brush could replace it.
 *
 * Clicks and drags: the participants' marks (`[data-participant]`, e.g. the scatter's dots) are
 * drawn ABOVE the brush's overlay, so a real click on a dot reaches the dot (its own click
 * listeners, e.g. mediationScatter's `onDotClick`, fire; the selection is left alone). A drag
 * that starts on a dot still brushes: once the pointer has moved a few pixels, the gesture is
 * handed to the brush as if it had started on the overlay. After a drag, d3 swallows the click,
 * so a drag never opens a dot.
 *
 * The rectangle stays visible after release, until the reader clears it (a click on empty space)
 * or `clear()` is called. A page that redraws the chart when the selection changes (each brush
 * move, in a reactive page) gets the rectangle back on the new chart: attachBrush remembers the
 * last rectangle per chart (`key`, default the chart's title) in data units and draws it again
 * when the new chart shows exactly the selection that rectangle made; or pass `initial`.
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
/** A rectangle in data units of the chart's x and y scales, [[x0, y0], [x1, y1]] (corners in any order). */
export type DataRect = [[number, number], [number, number]];

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
  scale(name: "x" | "y"): { apply(value: unknown): number; invert?(value: number): unknown; range?: readonly number[] } | undefined;
}

export interface BrushHandle {
  /** Move the brush to a pixel rectangle (null: clear); fires onChange like a user brush. */
  move(rect: PixelRect | null): void;
  /** Clear the brush (fires onChange(null)). */
  clear(): void;
  /** Remove the brush from the chart. */
  remove(): void;
  /** The brush's rectangle in data units (null: none). */
  rect(): DataRect | null;
}

export interface BrushOptions {
  document?: Document;
  /**
   * The rectangle to show when attached, in data units, without firing onChange (e.g. the one
   * the last onChange reported, when the page redraws the chart). Default: the remembered one
   * (see `key`). null: none.
   */
  initial?: DataRect | null;
  /** Which remembered rectangle is this chart's (default: the chart's title, else its axis labels). */
  key?: string;
  /** Pixels the pointer must move, after pressing on a dot, before the gesture becomes a brush (default 3). */
  dragThreshold?: number;
}

/** The last rectangle brushed per chart key, with the ids it selected (see BrushOptions.key). */
const remembered = new Map<string, { rect: DataRect; ids: string[] }>();

/**
 * The brush gesture in progress (mouse button down), so that a chart redrawn mid-drag can take it
 * over: what was pressed (d3's "overlay", "selection" or a handle), where the press was and where
 * the pointer last was, in client pixels.
 */
let gesture: { key: string; type: string; start: [number, number]; last: [number, number] } | null = null;
/** Per chart key, the redrawn chart that can take over the gesture from the one the page replaced. */
const takeovers = new Map<string, (move: MouseEvent) => boolean>();

function chartKey(chart: Element): string {
  const title = chart.querySelector(":scope > h2")?.textContent?.trim();
  if (title) return title;
  return [...chart.querySelectorAll('g[aria-label$="axis label"] text')].map((t) => t.textContent ?? "").join(" | ");
}

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);

/**
 * Attach a brush to a Plot chart (the element Plot returned: `<svg>` or `<figure>`). On every
 * brush move, selected dots get `data-selected="true"` and onChange receives the ids inside the
 * rectangle and the rectangle in data units, or (null, null) when the brush is cleared.
 */
export function attachBrush(
  chart: Element,
  points: readonly BrushPoint[],
  onChange: (ids: string[] | null, rect: DataRect | null) => void,
  options: BrushOptions = {},
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
  const key = options.key ?? chartKey(chart);
  const toData = (r: PixelRect): DataRect | null => {
    if (!x.invert || !y.invert) return null;
    const inv = (s: typeof x, v: number) => Number(s!.invert!(v));
    return [
      [inv(x, r[0][0]), inv(y, r[0][1])],
      [inv(x, r[1][0]), inv(y, r[1][1])],
    ];
  };
  const toPixels = (r: DataRect): PixelRect => [
    [x.apply(r[0][0]), y.apply(r[0][1])],
    [x.apply(r[1][0]), y.apply(r[1][1])],
  ];
  let current: DataRect | null = null;
  let silent = false;
  const brush = d3
    .brush()
    .extent(extent)
    // d3's default test, guarded for environments without `navigator` (Node 20 + jsdom)
    .touchable(function (this: SVGGElement) {
      return (typeof navigator !== "undefined" && navigator.maxTouchPoints > 0) || "ontouchstart" in this;
    })
    .on("start brush end", (event: d3.D3BrushEvent<unknown>) => {
      const source = event.sourceEvent as MouseEvent | undefined;
      // A chart the page has replaced (redrawn mid-drag) no longer places the pointer: its events
      // are ignored; a move hands the gesture to the chart that replaced it.
      if (source && !svg.isConnected) {
        if (event.type === "end") {
          gesture = null;
          takeovers.delete(key);
        } else if (source.type === "mousemove" && takeovers.get(key)?.(source)) takeovers.delete(key);
        return;
      }
      if (source && "clientX" in source) {
        const at: [number, number] = [source.clientX, source.clientY];
        if (event.type === "start") gesture = { key, type: ((source.target as { __data__?: { type?: string } } | null)?.__data__?.type ?? "overlay"), start: at, last: at };
        else if (gesture?.key === key) gesture.last = at;
        if (event.type === "end") gesture = null;
      }
      if (event.type === "start") return;
      const rect = event.selection as PixelRect | null;
      current = rect ? toData(rect) : null;
      if (silent) return;
      const ids = rect ? pointsInRect(points, (v) => x.apply(v), (v) => y.apply(v), rect) : null;
      if (ids && current) remembered.set(key, { rect: current, ids });
      else remembered.delete(key);
      setBrushSelection(chart, ids);
      onChange(ids, current);
    });
  const g = d3.select(svg as SVGSVGElement).append("g").attr("class", "brush").attr("aria-hidden", "true").call(brush);
  // Visible on light and dark backgrounds (d3's default is grey with a white outline).
  g.select(".selection").attr("fill", "currentColor").attr("fill-opacity", 0.08).attr("stroke", "currentColor").attr("stroke-opacity", 0.7).attr("stroke-dasharray", "4 3");

  // The participants' marks above the overlay (then any tip, so tips stay on top).
  const raised = new Set<Element>();
  for (const el of svg.querySelectorAll("[data-participant]")) {
    const parent = el.parentNode as Element | null;
    if (parent && parent !== svg) raised.add(parent);
  }
  for (const el of raised) svg.append(el);
  for (const tip of svg.querySelectorAll(':scope > g[aria-label="tip"]')) svg.append(tip);

  // A press on a dot becomes a brush once the pointer moves: hand the gesture to the brush.
  const threshold = options.dragThreshold ?? 3;
  const overlay = g.select<SVGRectElement>(".overlay").node()!;
  for (const group of raised)
    group.addEventListener("mousedown", (down) => {
      const event = down as MouseEvent;
      if (event.button !== 0 || event.ctrlKey) return;
      const view = (event.view ?? svg.ownerDocument.defaultView) as (Window & typeof globalThis) | null;
      if (!view) return;
      event.preventDefault(); // no text selection while deciding
      const { clientX, clientY } = event;
      const moved = (m: Event) => {
        const me = m as MouseEvent;
        if (Math.hypot(me.clientX - clientX, me.clientY - clientY) < threshold) return;
        done();
        const init = { bubbles: true, cancelable: true, view, clientX, clientY, screenX: event.screenX, screenY: event.screenY, button: 0 };
        // The brush element under the press (the selection, to move it; a handle), else the overlay.
        const under = svg.ownerDocument.elementsFromPoint?.(clientX, clientY).find((e) => e.parentNode === g.node()) ?? overlay;
        under.dispatchEvent(new view.MouseEvent("mousedown", init));
        view.dispatchEvent(new view.MouseEvent("mousemove", { ...init, clientX: me.clientX, clientY: me.clientY, screenX: me.screenX, screenY: me.screenY }));
      };
      const done = () => {
        view.removeEventListener("mousemove", moved, true);
        view.removeEventListener("mouseup", done, true);
      };
      view.addEventListener("mousemove", moved, true);
      view.addEventListener("mouseup", done, true);
    });

  // The rectangle asked for, or the remembered one if this chart shows the selection it made.
  const restore = (rect: DataRect) => {
    silent = true;
    try {
      g.call(brush.move, toPixels(rect));
    } finally {
      silent = false;
    }
  };
  if (options.initial) restore(options.initial);
  else if (options.initial === undefined) {
    const last = remembered.get(key);
    const shown = [...new Set([...svg.querySelectorAll('[data-participant][data-selected="true"]')].map((e) => e.getAttribute("data-participant")!))];
    if (last && shown.length && sameIds(shown, last.ids)) {
      const inside = pointsInRect(points, (v) => x.apply(v), (v) => y.apply(v), toPixels(last.rect));
      if (sameIds(inside, last.ids)) restore(last.rect);
    }
  }
  // Redrawn while the reader is still dragging (the page redraws on every brush move): the next
  // move the replaced chart's brush receives hands the gesture over to this chart's brush, pressed
  // where the gesture was pressed (d3's window listeners of the old brush are replaced).
  if (gesture?.key === key) {
    takeovers.set(key, (move) => {
      const view = svg.ownerDocument.defaultView as (Window & typeof globalThis) | null;
      const g0 = gesture;
      if (!svg.isConnected || !view || !g0 || g0.key !== key) return false;
      const target = g0.type === "overlay" ? overlay : (g.select<SVGElement>(g0.type === "selection" ? ".selection" : `.handle--${g0.type}`).node() ?? overlay);
      const [cx, cy] = g0.type === "overlay" ? g0.start : g0.last;
      target.dispatchEvent(new view.MouseEvent("mousedown", { bubbles: true, cancelable: true, view, clientX: cx, clientY: cy, button: 0 }));
      view.dispatchEvent(new view.MouseEvent("mousemove", { bubbles: true, cancelable: true, view, clientX: move.clientX, clientY: move.clientY }));
      return true;
    });
  }
  return {
    move: (rect) => g.call(brush.move, rect),
    clear: () => g.call(brush.move, null),
    remove: () => g.remove(),
    rect: () => current,
  };
}

/** Mark the dots of `ids` as selected (`data-selected`, others faded) without recomputing; null or [] clears. */
export function setBrushSelection(chart: Element, ids: Iterable<string> | null): void {
  applySelection(chart, ids);
}
