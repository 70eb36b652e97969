/**
 * Per-participant marks: tag the SVG elements Plot draws with `data-participant`, and show a
 * selection (`data-selected="true"`, others faded) or one highlighted participant without redrawing.
 * For large cohorts, a seeded sample of the participants to draw (sampleParticipants).
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
  // Clearing: only elements a previous selection changed need restoring (every one of them keeps its
  // original opacity in data-orig-opacity). A fresh chart of thousands of participants has none.
  const elements = root.querySelectorAll(ids.size === 0 ? "[data-participant][data-orig-opacity], [data-participant][data-selected]" : "[data-participant]");
  for (const el of elements) {
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

/** A 32-bit FNV-1a hash of the seed and an id (the sample's random order, stable per id). */
function hashId(id: string, seed: number): number {
  let h = (0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final mix, so that ids differing in their last character are not ordered alike.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * A seeded random sample of `n` of `ids` (distinct), plus every id of `keep` among them: the ids
 * with the smallest hash of (seed, id). The same participant stays in the sample when others are
 * added or left out (e.g. by an exclusion rule), so the drawn lines do not jump between analyses.
 */
export function sampleParticipants(ids: Iterable<string>, n: number, seed = 1, keep?: Iterable<string> | null): Set<string> {
  const all = [...new Set(ids)];
  if (all.length <= n) return new Set(all);
  const hashed = all.map((id) => ({ id, h: hashId(id, seed) }));
  hashed.sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out = new Set(hashed.slice(0, Math.max(0, n)).map((d) => d.id));
  const present = new Set(all);
  for (const id of keep ?? []) if (present.has(id)) out.add(id);
  return out;
}
