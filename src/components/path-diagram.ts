/**
 * Mediation path diagram drawn by hand: X → M → Y with the paths a, b, the direct effect c′, and
 * the total effect c and indirect effect a·b (with its CI) written below.
 */
import { measureDejaVu } from "./text-metrics.js";
import { FONT_FAMILY, captionText, docOf, fmt, pText, typeOf, type ChartOptions } from "./theme.js";

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
 *
 * Laid out from the type scale (`type.label` for the boxes and effects, `type.mark` for p values)
 * and the measured widths of its texts (DejaVu Sans metrics, which are wider than most screen
 * fonts): each box fits its own label, so the diagram needs only the width of the X and Y boxes and
 * the c′ label between them, and it fills `width` when that is more. Nothing is scaled down at the
 * width of a journal column.
 */
export function pathDiagram(effects: PathEffects, options: PathDiagramOptions = {}): HTMLElement {
  const doc = docOf(options);
  const digits = options.digits ?? 3;
  const type = typeOf(options);
  const f = type.label;
  const fs = type.mark;
  const { labels, p = {} } = effects;
  const measure = (text: string, size: number, bold = false) => measureDejaVu(text, size, bold);
  const margin = 4;
  const pad = Math.round(f * 0.9);
  const hh = Math.round(f * 1.6); // half the height of a box
  const boxWidth = (text: string) => Math.ceil(measure(text, f) + 2 * pad);
  const [wX, wM, wY] = [boxWidth(labels.x), boxWidth(labels.m), boxWidth(labels.y)];
  const effectText = (name: string, value: number) => `${name} = ${fmt(value, digits)}`;
  // X and Y side by side with the c′ arrow between them (its label goes below the boxes' bottom).
  const gap = Math.ceil(3 * f);
  const needed = Math.max(wX + wY + gap, wM) + 2 * margin;
  const width = Math.max(options.width ?? 640, needed);
  const rise = Math.round(7.5 * f); // from the middle of M to the middle of X and Y
  const el = (tag: string, attrs: Record<string, string | number> = {}, text?: string) => {
    const e = doc.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(typeof v === "number" ? Math.round(v * 100) / 100 : v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = el("svg", { fill: "currentColor", "font-family": FONT_FAMILY, "font-size": f, role: "img" }) as SVGSVGElement;
  svg.setAttribute("aria-label", `Mediation: a = ${fmt(effects.a, digits)}, b = ${fmt(effects.b, digits)}, c′ = ${fmt(effects.c_prime, digits)}, c = ${fmt(effects.c, digits)}, a·b = ${fmt(effects.indirect, digits)}`);
  svg.setAttribute("style", "max-width: 100%; height: auto; overflow: visible;");

  const M: Box = { cx: width / 2, cy: margin + hh, hw: wM / 2, hh };
  const X: Box = { cx: margin + wX / 2, cy: M.cy + rise, hw: wX / 2, hh };
  const Y: Box = { cx: width - margin - wY / 2, cy: M.cy + rise, hw: wY / 2, hh };
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
   * (1: below/right of the direction of travel, −1: above/left) and anchored away from the line;
   * kept inside the drawing.
   */
  const arrow = (from: Box, to: Box, name: string, metric: string, value: number, pv: number | null | undefined, side: 1 | -1, anchor: "start" | "middle" | "end", off = 1.4 * f) => {
    const [x1, y1] = edge(from, to.cx, to.cy);
    const [x2, y2] = edge(to, from.cx, from.cy);
    const len = Math.hypot(x2 - x1, y2 - y1);
    const [ux, uy] = [(x2 - x1) / len, (y2 - y1) / len];
    const head = Math.round(0.8 * f);
    const g = el("g", { "data-path": metric });
    g.append(
      el("line", { x1, y1, x2: x2 - ux * head, y2: y2 - uy * head, stroke: "currentColor", "stroke-width": 1.5 }),
      el("polygon", { points: [[x2, y2], [x2 - ux * head - uy * head * 0.45, y2 - uy * head + ux * head * 0.45], [x2 - ux * head + uy * head * 0.45, y2 - uy * head - ux * head * 0.45]].map((q) => q.map((v) => Math.round(v * 100) / 100).join(",")).join(" ") }),
    );
    let [ax, ay] = [(x1 + x2) / 2 - uy * off * side, (y1 + y2) / 2 + ux * off * side];
    const textW = Math.max(measure(effectText(name, value), f, true), pv != null ? measure(pText(pv), fs) : 0);
    const [lo, hi] = anchor === "end" ? [margin + textW, width - margin] : anchor === "start" ? [margin, width - margin - textW] : [margin + textW / 2, width - margin - textW / 2];
    ax = Math.min(hi, Math.max(lo, ax));
    const above = ay < (y1 + y2) / 2;
    const line2 = 1.25 * f;
    const nameY = above && pv != null ? ay - line2 / 2 : ay;
    const label = el("text", { x: ax, y: nameY, "text-anchor": anchor, "dominant-baseline": "central" });
    label.append(el("tspan", { "font-style": "italic" }, name), doc.createTextNode(" = "), el("tspan", { "data-metric": metric, "font-weight": "bold" }, fmt(value, digits)));
    g.append(label);
    if (pv != null) g.append(el("text", { x: ax, y: nameY + line2, "text-anchor": anchor, "dominant-baseline": "central", "font-size": fs, "fill-opacity": 0.8 }, pText(pv)));
    svg.append(g);
  };
  arrow(X, M, "a", "a", effects.a, p.a, -1, "end"); // above left, outside the triangle
  arrow(M, Y, "b", "b", effects.b, p.b, -1, "start"); // above right
  arrow(X, Y, "c′", "c_prime", effects.c_prime, p.c_prime, 1, "middle", hh + 0.9 * f); // below, clear of the boxes

  // Below the boxes and the c′ label: the total effect, the indirect effect and its interval.
  const line = 1.6 * f;
  let y = X.cy + hh + 0.9 * f + (p.c_prime != null ? 1.25 * f : 0) + 2 * f;
  const total = el("text", { x: width / 2, y, "text-anchor": "middle" });
  total.append(doc.createTextNode("Total effect "), el("tspan", { "font-style": "italic" }, "c"), doc.createTextNode(" = "), el("tspan", { "data-metric": "c", "font-weight": "bold" }, fmt(effects.c, digits)));
  if (p.c != null) total.append(doc.createTextNode(` (${pText(p.c)})`));
  y += line;
  const indirect = el("text", { x: width / 2, y, "text-anchor": "middle" });
  indirect.append(doc.createTextNode("Indirect effect "), el("tspan", { "font-style": "italic" }, "a·b"), doc.createTextNode(" = "), el("tspan", { "data-metric": "indirect", "font-weight": "bold" }, fmt(effects.indirect, digits)));
  const ciLabel = effects.ci ? (effects.ciLabel ?? "95% CI") : effects.ci === null ? `(${effects.ciLabel ?? "CI"} not available)` : "";
  const interval = effects.ci ? `[${fmt(effects.ci[0], digits)}, ${fmt(effects.ci[1], digits)}]` : "";
  const room = width - 2 * margin;
  const fits = (text: string) => measure(text, f) <= room;
  const indirectW = measure("Indirect effect a·b = ", f) + measure(fmt(effects.indirect, digits), f, true);
  svg.append(total, indirect);
  // The interval on the indirect effect's line if it fits, else on a line of its own, else its
  // label and the interval on two lines.
  const ciLine = () => {
    y += line;
    const t = el("text", { x: width / 2, y, "text-anchor": "middle" });
    svg.append(t);
    return t;
  };
  if (effects.ci) {
    const sep = `, ${ciLabel} `;
    if (indirectW + measure(sep + interval, f) <= room) indirect.append(doc.createTextNode(sep), el("tspan", { "data-metric": "ci" }, interval));
    else if (fits(`${ciLabel} ${interval}`)) ciLine().append(doc.createTextNode(`${ciLabel} `), el("tspan", { "data-metric": "ci" }, interval));
    else {
      ciLine().append(doc.createTextNode(ciLabel));
      ciLine().append(el("tspan", { "data-metric": "ci" }, interval));
    }
  } else if (effects.ci === null) {
    if (indirectW + measure(` ${ciLabel}`, f) <= room) indirect.append(doc.createTextNode(` ${ciLabel}`));
    else ciLine().append(doc.createTextNode(ciLabel));
  }
  const height = Math.max(options.height ?? 0, Math.ceil(y + 0.6 * f));
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);

  const figure = doc.createElement("figure");
  // Not Framework's 640 px cap on figures: the diagram takes the width it is drawn at.
  figure.setAttribute("style", "margin: 0; max-width: none;");
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
