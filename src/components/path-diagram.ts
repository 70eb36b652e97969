/**
 * Mediation path diagram drawn by hand: X → M → Y with the paths a, b, the direct effect c′, and
 * the total effect c and indirect effect a·b (with its CI) written below.
 */
import { FONT_FAMILY, captionText, docOf, fmt, pText, type ChartOptions } from "./theme.js";

export interface PathEffects {
  a: number;
  b: number;
  c: number;
  c_prime: number;
  indirect: number;
  ci?: [number, number] | null;
  /** What the CI is, e.g. "95% BCa bootstrap CI". */
  ciLabel?: string;
  p?: { a?: number | null; b?: number | null; c?: number | null; c_prime?: number | null };
  labels: { x: string; m: string; y: string };
}

export interface PathDiagramOptions extends ChartOptions {
  title?: string;
  caption?: string;
  /** Decimals of the effects (default 3). */
  digits?: number;
}

const SVG_NS = "http://www.w3.org/2000/svg";
type Box = { cx: number; cy: number; hw: number; hh: number };

/** Where the segment from the centre of `box` toward (tx, ty) leaves the box. */
function edge(box: Box, tx: number, ty: number): [number, number] {
  const dx = tx - box.cx;
  const dy = ty - box.cy;
  const t = Math.min(dx ? box.hw / Math.abs(dx) : Infinity, dy ? box.hh / Math.abs(dy) : Infinity);
  return [box.cx + dx * t, box.cy + dy * t];
}

/**
 * A `<figure>` with an `<h2>`, the diagram `<svg>` and a `<figcaption>`. Numbers carry
 * `data-metric` ("a", "b", "c_prime", "c", "indirect", "ci"); each holds exactly the formatted value.
 */
export function pathDiagram(effects: PathEffects, options: PathDiagramOptions = {}): HTMLElement {
  const doc = docOf(options);
  const digits = options.digits ?? 3;
  const { labels, p = {} } = effects;
  const longest = Math.max(labels.x.length, labels.m.length, labels.y.length);
  const bw = Math.max(150, Math.round(longest * 7.4) + 24);
  const width = Math.max(options.width ?? 640, 2 * bw + 140);
  const height = options.height ?? 300;
  const el = (tag: string, attrs: Record<string, string | number> = {}, text?: string) => {
    const e = doc.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, fill: "currentColor", "font-family": FONT_FAMILY, "font-size": 13, role: "img" }) as SVGSVGElement;
  svg.setAttribute("aria-label", `Mediation: a = ${fmt(effects.a, digits)}, b = ${fmt(effects.b, digits)}, c′ = ${fmt(effects.c_prime, digits)}, c = ${fmt(effects.c, digits)}, a·b = ${fmt(effects.indirect, digits)}`);
  svg.setAttribute("style", "max-width: 100%; height: auto; overflow: visible;");

  const X: Box = { cx: bw / 2 + 8, cy: 170, hw: bw / 2, hh: 26 };
  const Y: Box = { cx: width - bw / 2 - 8, cy: 170, hw: bw / 2, hh: 26 };
  const M: Box = { cx: width / 2, cy: 44, hw: bw / 2, hh: 26 };
  for (const [box, text, role] of [[X, labels.x, "x"], [M, labels.m, "m"], [Y, labels.y, "y"]] as const) {
    const g = el("g", { "data-node": role });
    g.append(
      el("rect", { x: box.cx - box.hw, y: box.cy - box.hh, width: 2 * box.hw, height: 2 * box.hh, rx: 6, fill: "none", stroke: "currentColor", "stroke-width": 1.5 }),
      el("text", { x: box.cx, y: box.cy, "text-anchor": "middle", "dominant-baseline": "central" }, text),
    );
    svg.append(g);
  }

  /**
   * Arrow from box to box with its label (name = value, p below), placed `side` of the arrow
   * (1: below/right of the direction of travel, −1: above/left) and anchored away from the line.
   */
  const arrow = (from: Box, to: Box, name: string, metric: string, value: number, pv: number | null | undefined, side: 1 | -1, anchor: "start" | "middle" | "end") => {
    const [x1, y1] = edge(from, to.cx, to.cy);
    const [x2, y2] = edge(to, from.cx, from.cy);
    const len = Math.hypot(x2 - x1, y2 - y1);
    const [ux, uy] = [(x2 - x1) / len, (y2 - y1) / len];
    const head = 10;
    const g = el("g", { "data-path": metric });
    g.append(
      el("line", { x1, y1, x2: x2 - ux * head, y2: y2 - uy * head, stroke: "currentColor", "stroke-width": 1.5 }),
      el("polygon", { points: `${x2},${y2} ${x2 - ux * head - uy * 5},${y2 - uy * head + ux * 5} ${x2 - ux * head + uy * 5},${y2 - uy * head - ux * 5}` }),
    );
    const [ax, ay] = [(x1 + x2) / 2 - uy * 20 * side, (y1 + y2) / 2 + ux * 20 * side];
    const above = ay < (y1 + y2) / 2;
    const nameY = above && pv != null ? ay - 16 : ay;
    const label = el("text", { x: ax, y: nameY, "text-anchor": anchor, "dominant-baseline": "central" });
    label.append(el("tspan", { "font-style": "italic" }, name), doc.createTextNode(" = "), el("tspan", { "data-metric": metric, "font-weight": "bold" }, fmt(value, digits)));
    g.append(label);
    if (pv != null) g.append(el("text", { x: ax, y: nameY + 16, "text-anchor": anchor, "dominant-baseline": "central", "font-size": 11, "fill-opacity": 0.8 }, pText(pv)));
    svg.append(g);
  };
  arrow(X, M, "a", "a", effects.a, p.a, -1, "end"); // above left, outside the triangle
  arrow(M, Y, "b", "b", effects.b, p.b, -1, "start"); // above right
  arrow(X, Y, "c′", "c_prime", effects.c_prime, p.c_prime, 1, "middle"); // below

  const total = el("text", { x: width / 2, y: 250, "text-anchor": "middle" });
  total.append(doc.createTextNode("Total effect "), el("tspan", { "font-style": "italic" }, "c"), doc.createTextNode(" = "), el("tspan", { "data-metric": "c", "font-weight": "bold" }, fmt(effects.c, digits)));
  if (p.c != null) total.append(doc.createTextNode(` (${pText(p.c)})`));
  const indirect = el("text", { x: width / 2, y: 276, "text-anchor": "middle" });
  indirect.append(doc.createTextNode("Indirect effect "), el("tspan", { "font-style": "italic" }, "a·b"), doc.createTextNode(" = "), el("tspan", { "data-metric": "indirect", "font-weight": "bold" }, fmt(effects.indirect, digits)));
  const ciText = effects.ci ? `${effects.ciLabel ?? "95% CI"} ` : effects.ci === null ? `(${effects.ciLabel ?? "CI"} not available)` : "";
  // One line if it fits (about 7 px per character at 13 px), else the interval on a line of its own.
  const oneLine = (30 + ciText.length + (effects.ci ? 24 : 0)) * 7 <= width - 16;
  const ciLine = oneLine ? indirect : el("text", { x: width / 2, y: 298, "text-anchor": "middle" });
  if (effects.ci) {
    ciLine.append(
      doc.createTextNode(oneLine ? `, ${ciText}` : ciText),
      el("tspan", { "data-metric": "ci" }, `[${fmt(effects.ci[0], digits)}, ${fmt(effects.ci[1], digits)}]`),
    );
  } else if (effects.ci === null) ciLine.append(doc.createTextNode(oneLine ? ` ${ciText}` : ciText));
  if (!oneLine) {
    svg.append(ciLine);
    const h = height + 22;
    svg.setAttribute("height", String(h));
    svg.setAttribute("viewBox", `0 0 ${width} ${h}`);
  }
  svg.append(total, indirect);

  const figure = doc.createElement("figure");
  figure.setAttribute("style", "margin: 0;");
  const h2 = doc.createElement("h2");
  h2.textContent = options.title ?? "Mediation of clinical change by learning-rate asymmetry";
  const caption = doc.createElement("figcaption");
  caption.textContent = captionText(
    options.caption ??
      "Within-subject mediation (Judd, Kenny & McClelland 2001; Montoya & Hayes 2017): X is the session contrast, M and Y are each patient's change scores between the two sessions. a is the mean change of M; b the effect of the change of M on the change of Y; c′ the direct effect (mean change of Y at no change of M); c the total effect (mean change of Y), c = c′ + a·b.",
    options.note,
  );
  figure.append(h2, svg, caption);
  return figure;
}
