/**
 * A chart as shown (a Plot `<figure>` with its title, HTML legend, `<svg>` and caption, the path
 * diagram, or a composed figure of several panels) → one standalone SVG document: explicit size and
 * viewBox, a background, every `currentColor` resolved to the theme's foreground, fonts named
 * explicitly, legends drawn as SVG, the caption wrapped in. Pure: DOM only through the figure's own
 * document, so the same code runs in Node (jsdom, `npm run figures`) and in the browser (the
 * Download SVG / PNG buttons). It never changes the figure it reads.
 *
 * Composition: `<figure data-layout="row">` lays its panel children (`<figure>` or `<div>`) side
 * by side; otherwise children stack top to bottom in document order.
 */
import { SCREEN_TYPE, type TypeScale } from "../components/theme.js";
import { measureDejaVu, wrapText, type MeasureText } from "../components/text-metrics.js";

export type ThemeName = "light" | "dark";

/** Foreground and background of the dashboard's themes (Framework's air and near-midnight). */
export const EXPORT_THEMES: Record<ThemeName, { foreground: string; background: string }> = {
  light: { foreground: "#1b1e23", background: "#ffffff" },
  dark: { foreground: "#dfdfd6", background: "#161616" },
};

/** Named explicitly in every exported figure; the PNG rasteriser loads DejaVu Sans. */
export const EXPORT_FONT_FAMILY = "'DejaVu Sans', Arial, Helvetica, sans-serif";

export interface SvgExportOptions {
  theme?: ThemeName;
  /** Width of the exported figure in px (CSS px, 96 per inch). Default: the widest graphic plus padding. */
  width?: number;
  /** Physical width: the root `<svg>` then gets width and height in mm (the viewBox stays in px). */
  widthMm?: number;
  fontFamily?: string;
  /** Override the theme's colours (the browser passes the page's computed colours). */
  foreground?: string;
  background?: string;
  /** Text measurement for wrapping (default: DejaVu Sans metrics; a browser may pass a canvas measure). */
  measure?: MeasureText;
  /** Include the caption (default true). */
  caption?: boolean;
  /**
   * Sizes of the text the exporter draws itself (titles, legend, caption): `figureTitle`,
   * `title` (panels), `legend`, `caption`. Default SCREEN_TYPE; `npm run figures` passes PRINT_TYPE.
   */
  type?: TypeScale;
}

export interface ExportedSvg {
  svg: string;
  /** viewBox size in px. */
  width: number;
  height: number;
  width_mm: number | null;
  height_mm: number | null;
  title: string;
  caption: string;
}

const SVG_NS = "http://www.w3.org/2000/svg";
/** Outer padding and the gap between stacked blocks, px. */
export const EXPORT_PADDING = 8;
const GAP = 6;

/** Attributes (and inline style properties) of a chart's `<svg>` that its children inherit. */
const INHERITED = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-opacity",
  "stroke-width",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "font-variant",
  "text-anchor",
  "color",
  "opacity",
];

interface Ctx {
  doc: Document;
  type: TypeScale;
  measure: MeasureText;
  caption: boolean;
  titles: string[];
  captions: string[];
}

const round = (x: number) => Math.round(x * 100) / 100;

function el(doc: Document, tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const e = doc.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function parseStyle(style: string | null): Map<string, string> {
  const m = new Map<string, string>();
  for (const decl of (style ?? "").split(";")) {
    const i = decl.indexOf(":");
    if (i > 0) m.set(decl.slice(0, i).trim().toLowerCase(), decl.slice(i + 1).trim());
  }
  return m;
}

function isHidden(e: Element): boolean {
  if (e.hasAttribute("hidden")) return true;
  return parseStyle(e.getAttribute("style")).get("display") === "none";
}

function classList(e: Element): string[] {
  return (e.getAttribute("class") ?? "").split(/\s+/).filter(Boolean);
}

const isSwatches = (e: Element) => classList(e).some((c) => /-swatches$/.test(c));
const isSwatch = (e: Element) => classList(e).some((c) => /-swatch$/.test(c));

/** Drawing size of an `<svg>`: its width/height attributes, else its viewBox. */
function svgBox(svg: Element): { width: number; height: number; minX: number; minY: number; viewBox: number[] | null } {
  const vb = (svg.getAttribute("viewBox") ?? "").trim().split(/[\s,]+/).map(Number);
  const viewBox = vb.length === 4 && vb.every(Number.isFinite) ? vb : null;
  const num = (v: string | null) => (v && /^[\d.]+(px)?$/.test(v.trim()) ? parseFloat(v) : NaN);
  let width = num(svg.getAttribute("width"));
  let height = num(svg.getAttribute("height"));
  if (!Number.isFinite(width)) width = viewBox ? viewBox[2] : 0;
  if (!Number.isFinite(height)) height = viewBox ? viewBox[3] : 0;
  return { width, height, minX: viewBox ? viewBox[0] : 0, minY: viewBox ? viewBox[1] : 0, viewBox };
}

/** Widest graphic under `root` (the default export width). */
function naturalWidth(root: Element): number {
  let w = 0;
  for (const svg of root.querySelectorAll("svg")) {
    if (svg.parentElement?.closest("svg") || (svg.parentElement && isSwatch(svg.parentElement))) continue;
    w = Math.max(w, svgBox(svg).width);
  }
  return w || 640;
}

/** Wrapped lines of text; `role` (figure-title, title, caption) is kept as data-type for checks of the type scale. */
function textBlock(ctx: Ctx, parent: Element, text: string, x: number, y: number, w: number, size: number, bold: boolean, role: string): number {
  const lines = wrapText(text, w, size, ctx.measure, bold);
  const lh = size * 1.3;
  lines.forEach((line, i) => {
    parent.append(el(ctx.doc, "text", { x: round(x), y: round(y + size * 0.95 + i * lh), "font-size": round(size), ...(bold ? { "font-weight": "bold" } : {}), "data-type": role }, line));
  });
  return lines.length ? lines.length * lh : 0;
}

/** A chart `<svg>` as a `<g>`: inherited attributes and style moved onto the group, `<style>` left out. */
function graphic(ctx: Ctx, parent: Element, svg: Element, x: number, y: number, w: number): number {
  const box = svgBox(svg);
  if (!box.width || !box.height) return 0;
  const s = box.width > w ? w / box.width : 1;
  const dx = x + Math.max(0, (w - box.width * s) / 2);
  let transform = `translate(${round(dx)},${round(y)})`;
  if (s !== 1) transform += ` scale(${s.toFixed(5)})`;
  if (box.minX || box.minY) transform += ` translate(${-box.minX},${-box.minY})`;
  const g = el(ctx.doc, "g", { transform });
  for (const name of INHERITED) {
    const v = svg.getAttribute(name);
    if (v !== null) g.setAttribute(name, v);
  }
  const style = parseStyle(svg.getAttribute("style"));
  for (const name of INHERITED) {
    const v = style.get(name);
    if (v !== undefined) g.setAttribute(name, v.replace(/px$/, ""));
  }
  for (const a of ["aria-label", "aria-description", "role"]) {
    const v = svg.getAttribute(a);
    if (v !== null) g.setAttribute(a, v);
  }
  for (const child of svg.childNodes) {
    if (child.nodeType === 1 && (child as Element).tagName.toLowerCase() === "style") continue;
    g.append(child.cloneNode(true));
  }
  parent.append(g);
  return box.height * s;
}

/** Plot's HTML swatch legend as SVG: each swatch `<svg>` kept, its label as `<text>`, wrapped to `w`. */
function legend(ctx: Ctx, parent: Element, swatches: Element, x: number, y: number, w: number): number {
  const items = [...swatches.querySelectorAll("*")].filter(isSwatch);
  if (!items.length) return 0;
  const size = ctx.type.legend;
  const g = el(ctx.doc, "g", { "aria-label": "legend", "font-size": round(size), "data-type": "legend" });
  let cx = 0;
  let cy = 0;
  let rowH = 0;
  for (const item of items) {
    const sw = item.querySelector("svg");
    const label = (item.textContent ?? "").replace(/\s+/g, " ").trim();
    const box = sw ? svgBox(sw) : { width: 0, height: 0 };
    const lh = Math.max(box.height, size * 1.3);
    const itemW = box.width + (box.width ? size * 0.5 : 0) + ctx.measure(label, size);
    if (cx > 0 && cx + itemW > w) {
      cx = 0;
      cy += rowH + 4;
      rowH = 0;
    }
    if (sw) {
      const copy = sw.cloneNode(true) as Element;
      copy.removeAttribute("style");
      copy.removeAttribute("class");
      copy.setAttribute("x", String(round(x + cx)));
      copy.setAttribute("y", String(round(y + cy + (lh - box.height) / 2)));
      copy.setAttribute("width", String(box.width));
      copy.setAttribute("height", String(box.height));
      copy.setAttribute("overflow", "visible");
      g.append(copy);
    }
    g.append(el(ctx.doc, "text", { x: round(x + cx + box.width + (box.width ? size * 0.5 : 0)), y: round(y + cy + lh / 2 + size * 0.36) }, label));
    cx += itemW + size;
    rowH = Math.max(rowH, lh);
  }
  parent.append(g);
  return cy + rowH;
}

function layoutElement(ctx: Ctx, parent: Element, e: Element, x: number, y: number, w: number, level: number): number {
  if (isHidden(e)) return 0;
  const tag = e.tagName.toLowerCase();
  if (tag === "style" || tag === "script" || tag === "template" || tag === "button") return 0;
  if (/^h[1-6]$/.test(tag)) {
    const text = (e.textContent ?? "").trim();
    if (level === 0) ctx.titles.push(text);
    return textBlock(ctx, parent, text, x, y, w, level === 0 ? ctx.type.figureTitle : ctx.type.title, true, level === 0 ? "figure-title" : "title");
  }
  if (tag === "figcaption") {
    const text = (e.textContent ?? "").replace(/\s+/g, " ").trim();
    if (!text) return 0;
    ctx.captions.push(text);
    return ctx.caption ? textBlock(ctx, parent, text, x, y, w, ctx.type.caption, false, "caption") : 0;
  }
  if (tag === "svg") return graphic(ctx, parent, e, x, y, w);
  if (isSwatches(e)) return legend(ctx, parent, e, x, y, w);
  if (tag === "figure" || tag === "div" || tag === "section") return layoutChildren(ctx, parent, e, x, y, w, tag === "figure" ? level + 1 : level);
  if (tag === "p" || tag === "span") {
    const text = (e.textContent ?? "").trim();
    return text ? textBlock(ctx, parent, text, x, y, w, ctx.type.caption, false, "caption") : 0;
  }
  return 0; // tables, forms and other HTML are not part of a figure
}

function layoutChildren(ctx: Ctx, parent: Element, root: Element, x: number, y: number, w: number, level: number): number {
  const children = [...root.children];
  if (root.getAttribute("data-layout") === "row") {
    // Title and caption span the row; panels share its width.
    let cy = y;
    const panels = children.filter((c) => ["figure", "div", "svg"].includes(c.tagName.toLowerCase()) && !isSwatches(c) && !isHidden(c));
    const before = children.slice(0, children.indexOf(panels[0] ?? children[children.length - 1]));
    const after = children.filter((c) => !panels.includes(c) && !before.includes(c));
    for (const c of before) {
      const h = layoutElement(ctx, parent, c, x, cy, w, level);
      if (h > 0) cy += h + GAP;
    }
    if (panels.length) {
      const pw = (w - GAP * 2 * (panels.length - 1)) / panels.length;
      const hs = panels.map((p, i) => layoutElement(ctx, parent, p, x + i * (pw + 2 * GAP), cy, pw, level));
      cy += Math.max(...hs) + GAP;
    }
    for (const c of after) {
      const h = layoutElement(ctx, parent, c, x, cy, w, level);
      if (h > 0) cy += h + GAP;
    }
    return Math.max(0, cy - y - GAP);
  }
  let cy = y;
  let any = false;
  for (const c of children) {
    const h = layoutElement(ctx, parent, c, x, cy, w, level);
    if (h > 0) {
      cy += h + GAP;
      any = true;
    }
  }
  return any ? cy - y - GAP : 0;
}

/** Resolve currentColor, name the font, drop state kept for undoing selections. */
function finish(root: Element, fg: string, fontFamily: string): void {
  const all = [root, ...root.querySelectorAll("*")];
  for (const e of all) {
    for (const a of [...e.attributes]) {
      const name = a.name;
      if (name.startsWith("data-orig-")) {
        e.removeAttribute(name);
        continue;
      }
      if (name === "style") {
        const style = parseStyle(a.value);
        style.delete("font-family");
        for (const [k, v] of style) if (/currentcolor/i.test(v)) style.set(k, v.replace(/currentcolor/gi, fg));
        const text = [...style].map(([k, v]) => `${k}: ${v}`).join("; ");
        if (text) e.setAttribute("style", text);
        else e.removeAttribute("style");
        continue;
      }
      if (name === "font-family") e.setAttribute(name, fontFamily);
      else if (/currentcolor/i.test(a.value)) e.setAttribute(name, a.value.replace(/currentcolor/gi, fg));
    }
  }
}

/** The figure as a standalone SVG document, with its size. */
export function exportFigureSvg(figure: Element, options: SvgExportOptions = {}): ExportedSvg {
  const doc = figure.ownerDocument;
  const theme = EXPORT_THEMES[options.theme ?? "light"];
  const fg = options.foreground ?? theme.foreground;
  const bg = options.background ?? theme.background;
  const fontFamily = options.fontFamily ?? EXPORT_FONT_FAMILY;
  const ctx: Ctx = { doc, type: options.type ?? SCREEN_TYPE, measure: options.measure ?? measureDejaVu, caption: options.caption !== false, titles: [], captions: [] };
  const pad = EXPORT_PADDING;
  const width = Math.round(options.width ?? naturalWidth(figure) + 2 * pad);
  const content = el(doc, "g", { "aria-label": "figure" });
  const tag = figure.tagName.toLowerCase();
  const inner =
    tag === "svg" ? graphic(ctx, content, figure, pad, pad, width - 2 * pad) : layoutChildren(ctx, content, figure, pad, pad, width - 2 * pad, 0);
  const height = Math.ceil(inner + 2 * pad);
  const root = el(doc, "svg", {
    width: options.widthMm ? `${round(options.widthMm)}mm` : width,
    height: options.widthMm ? `${((height * options.widthMm) / width).toFixed(3)}mm` : height,
    viewBox: `0 0 ${width} ${height}`,
    "font-family": fontFamily,
    "font-size": 12,
    fill: fg,
    color: fg,
    role: "img",
  });
  const title = ctx.titles[0] ?? "";
  const caption = ctx.captions.join(" ");
  if (title) root.append(el(doc, "title", {}, title));
  if (caption) root.append(el(doc, "desc", {}, caption));
  root.append(el(doc, "rect", { width, height, fill: bg }), content);
  finish(root, fg, fontFamily);
  const Serializer = (doc.defaultView as (Window & typeof globalThis) | null)?.XMLSerializer ?? globalThis.XMLSerializer;
  let text = new Serializer().serializeToString(root);
  if (!/^<svg[^>]*\sxmlns="/.test(text)) text = text.replace(/^<svg/, `<svg xmlns="${SVG_NS}"`);
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${text}\n`;
  return {
    svg,
    width,
    height,
    width_mm: options.widthMm ?? null,
    height_mm: options.widthMm ? Number(((height * options.widthMm) / width).toFixed(3)) : null,
    title,
    caption,
  };
}

/** The figure as a standalone SVG string (see exportFigureSvg). */
export function figureToSvg(figure: Element, options: SvgExportOptions = {}): string {
  return exportFigureSvg(figure, options).svg;
}
