/**
 * Per-participant marks: tag the SVG elements Plot draws with `data-participant`, and show a
 * selection (`data-selected="true"`, others faded) or one highlighted participant without redrawing.
 */
import type { RenderFunction } from "@observablehq/plot";
import { FADED_OPACITY, HIGHLIGHT_COLOR, SELECTED_COLOR, toSet } from "./theme.js";

/**
 * A Plot render transform that sets `data-participant` on each element a mark draws. Plot binds
 * each element to its data index (dots, rects) or to its series' indices (lines, areas) as
 * d3's `__data__`, so this works whatever order or facet the element is drawn in.
 */
export function tagParticipants<T>(data: readonly T[], id: (d: T) => string): RenderFunction {
  return function (index, scales, values, dimensions, context, next) {
    const g = next!(index, scales, values, dimensions, context);
    if (!g) return g;
    for (const el of g.querySelectorAll("*")) {
      const bound = (el as Element & { __data__?: number | number[] }).__data__;
      const i = Array.isArray(bound) ? bound[0] : bound;
      if (typeof i === "number" && data[i] !== undefined) el.setAttribute("data-participant", id(data[i]));
    }
    return g;
  };
}

/** Set an attribute, remembering the original value so `restore` can put it back. */
function setKept(el: Element, name: string, value: string): void {
  const key = `data-orig-${name}`;
  if (!el.hasAttribute(key)) el.setAttribute(key, el.getAttribute(name) ?? "");
  el.setAttribute(name, value);
}

function restore(el: Element, name: string): void {
  const key = `data-orig-${name}`;
  if (!el.hasAttribute(key)) return;
  const v = el.getAttribute(key)!;
  if (v === "") el.removeAttribute(name);
  else el.setAttribute(name, v);
  el.removeAttribute(key);
}

const STYLED = ["opacity", "fill-opacity", "stroke-opacity", "stroke", "stroke-width"];

/**
 * Mark the selected participants under `root`: `data-selected="true"`, full opacity, an outline
 * (dots: `circle`) or a thicker line (lines: `path`) in the text colour, drawn on top; other
 * participants faded. An empty or null selection clears it. Returns the number of elements
 * marked selected. Original attributes are kept in `data-orig-*` while a selection is shown.
 */
export function applySelection(root: Element, selected: Iterable<string> | null | undefined): number {
  const ids = toSet(selected);
  let count = 0;
  for (const el of root.querySelectorAll("[data-participant]")) {
    if (el.getAttribute("data-highlighted") === "true") continue;
    for (const name of STYLED) restore(el, name);
    el.removeAttribute("data-selected");
    if (ids.size === 0) continue;
    if (ids.has(el.getAttribute("data-participant")!)) {
      el.setAttribute("data-selected", "true");
      setKept(el, "opacity", "1");
      if (el.tagName.toLowerCase() === "path") {
        setKept(el, "stroke", SELECTED_COLOR);
        setKept(el, "stroke-opacity", "1");
        setKept(el, "stroke-width", "2");
      } else {
        setKept(el, "fill-opacity", "1");
        setKept(el, "stroke", SELECTED_COLOR);
        setKept(el, "stroke-width", "1.5");
      }
      el.parentNode?.appendChild(el); // draw on top
      count++;
    } else {
      setKept(el, "opacity", String(FADED_OPACITY));
    }
  }
  return count;
}

/** Show one participant bold in HIGHLIGHT_COLOR (`data-highlighted="true"`), drawn on top. */
export function applyHighlight(root: Element, id: string | null | undefined): void {
  for (const el of root.querySelectorAll("[data-participant]")) {
    if (id == null || el.getAttribute("data-participant") !== id) continue;
    el.setAttribute("data-highlighted", "true");
    el.setAttribute("opacity", "1");
    el.setAttribute("stroke", HIGHLIGHT_COLOR);
    el.setAttribute("stroke-opacity", "1");
    el.setAttribute("stroke-width", el.tagName.toLowerCase() === "path" ? "3.5" : "2");
    el.parentNode?.appendChild(el);
  }
}
