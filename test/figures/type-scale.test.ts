/**
 * The exported figures' type scale, measured in the SVG files `npm run figures` writes: every text
 * of every figure (belief-updating, crossover and parallel studies), at single and double column
 * width, has the size of its role in PRINT_TYPE_PT at the printed size (its font size × the scales
 * of its ancestors × the millimetres per viewBox px, in points), within 0.15 pt; no text is left
 * unclassified. And no two tick labels of an axis row overlap (the facet gap of the updates figure).
 */
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { PRINT_TYPE_PT } from "../../src/components/theme.js";
import { prepareDesignFigures, prepareFigures, type PreparedFigure } from "../../src/figures/export.js";
import { FIGURE_NAMES } from "../../src/figures/registry.js";
import { designFigures } from "../../src/figures/design-registry.js";
import { measureDejaVu } from "../../src/components/text-metrics.js";
import { bundled, bundledDesign, DESIGN_STUDIES } from "../fixtures/figures/helpers.js";

type Role = keyof typeof PRINT_TYPE_PT;
type Matrix = [number, number, number, number, number, number]; // a b c d e f

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** translate() and scale() lists (all the exporter and Plot write). */
function parseTransform(t: string | null): Matrix {
  let m: Matrix = [1, 0, 0, 1, 0, 0];
  for (const [, op, args] of (t ?? "").matchAll(/(translate|scale)\(([^)]*)\)/g)) {
    const v = args.split(/[\s,]+/).filter(Boolean).map(Number);
    m = multiply(m, op === "translate" ? [1, 0, 0, 1, v[0], v[1] ?? 0] : [v[0], 0, 0, v[1] ?? v[0], 0, 0]);
  }
  return m;
}

function ctm(el: Element): Matrix {
  const chain: Element[] = [];
  for (let e: Element | null = el; e; e = e.parentElement) chain.unshift(e);
  return chain.reduce((m, e) => multiply(m, parseTransform(e.getAttribute("transform"))), [1, 0, 0, 1, 0, 0] as Matrix);
}

function inherited(el: Element, name: string): string | null {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const v = e.getAttribute(name);
    if (v !== null) return v;
    const style = /(?:^|;)\s*font-size:\s*([\d.]+)px/.exec(e.getAttribute("style") ?? "");
    if (name === "font-size" && style) return style[1];
  }
  return null;
}

/** What a text is, for the type scale. */
function roleOf(t: Element): Role | "skip" | null {
  const typed = t.closest("[data-type]")?.getAttribute("data-type");
  if (typed === "figure-title") return "figureTitle";
  if (typed === "title" || typed === "caption" || typed === "legend") return typed;
  if (t.closest('g[aria-label="tip"]')) return "skip";
  const axis = t.closest('g[aria-label$="tick label"], g[aria-label$="axis label"]')?.getAttribute("aria-label") ?? "";
  if (/^f[xy]-axis tick label$/.test(axis)) return "label"; // facet labels
  if (/tick label$/.test(axis)) return "tick";
  if (/axis label$/.test(axis)) return "label";
  if (t.closest('g[aria-label="text"]')) return "mark";
  if (t.closest('g[aria-label^="Mediation:"]')) {
    // The path diagram: p values at the mark size, everything else at the label size.
    return t.closest("[data-path]") && t.hasAttribute("font-size") ? "mark" : "label";
  }
  return null;
}

interface Measured {
  text: string;
  role: Role | "skip" | null;
  pt: number;
  x0: number;
  x1: number;
  y: number;
  axis: string | null;
  /** The element holding the text (a facet's group, for tick labels). */
  group: Element | null;
  size: number;
}

function measure(figure: PreparedFigure<never> | PreparedFigure): Measured[] {
  const doc = new new JSDOM("").window.DOMParser().parseFromString(figure.svg.svg, "image/svg+xml");
  const root = doc.documentElement;
  const vbWidth = Number(root.getAttribute("viewBox")!.split(/\s+/)[2]);
  const ptPerUnit = ((figure.sidecar.format.width_mm / vbWidth) / 25.4) * 72;
  return [...root.querySelectorAll("text")]
    .filter((t) => (t.textContent ?? "").trim())
    .map((t) => {
      const m = ctm(t);
      const scale = Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));
      const size = Number(inherited(t, "font-size"));
      const length = (v: string | null) => (v === null ? 0 : v.endsWith("em") ? parseFloat(v) * size : parseFloat(v));
      const x = length(t.getAttribute("x"));
      const y = length(t.getAttribute("y"));
      const cx = m[0] * x + m[2] * y + m[4];
      const cy = m[1] * x + m[3] * y + m[5];
      const w = measureDejaVu(t.textContent!.trim(), size) * scale;
      const anchor = inherited(t, "text-anchor") ?? "start";
      const [x0, x1] = anchor === "middle" ? [cx - w / 2, cx + w / 2] : anchor === "end" ? [cx - w, cx] : [cx, cx + w];
      return { text: t.textContent!.trim(), role: roleOf(t), pt: size * scale * ptPerUnit, x0, x1, y: cy, axis: t.closest("g[aria-label]")?.getAttribute("aria-label") ?? null, group: t.parentElement, size: size * scale };
    });
}

const cases: { label: string; figures: () => PreparedFigure<never>[] | PreparedFigure[] }[] = [];
let prepared: Map<string, PreparedFigure<never>[] | PreparedFigure[]>;

beforeAll(async () => {
  prepared = new Map();
  const { study, params, analysis } = await bundled();
  for (const widthMm of [89, 183]) {
    prepared.set(`ketamine-trd ${widthMm}`, prepareFigures({ study, params, analysis, names: FIGURE_NAMES, widthMm, dpi: 300, theme: "light" }).figures);
    for (const id of DESIGN_STUDIES) {
      const d = await bundledDesign(id);
      prepared.set(`${id} ${widthMm}`, prepareDesignFigures({ study: d.study, analysis: d.analysis, names: designFigures(d.study.meta).map((f) => f.name), widthMm, dpi: 300, theme: "light" }).figures as never);
    }
  }
}, 60000);

for (const study of ["ketamine-trd", ...DESIGN_STUDIES])
  for (const widthMm of [89, 183]) cases.push({ label: `${study} at ${widthMm} mm`, figures: () => prepared.get(`${study} ${widthMm}`)! });

describe("the print type scale of the exported figures", () => {
  it("is the one documented: ticks 7 pt, axis labels 8 pt, panel titles 9 pt", () => {
    expect(PRINT_TYPE_PT).toEqual({ tick: 7, label: 8, mark: 7, legend: 7, caption: 7, title: 9, figureTitle: 10 });
  });

  it.each(cases)("$label: every text has its role's size at the printed size", ({ figures }) => {
    const list = figures();
    expect(list.length).toBeGreaterThan(1);
    for (const figure of list) {
      const texts = measure(figure);
      expect(texts.length).toBeGreaterThan(5);
      for (const t of texts) {
        expect({ figure: figure.name, text: t.text, role: t.role }).not.toEqual({ figure: figure.name, text: t.text, role: null });
        if (t.role === null || t.role === "skip") continue;
        const want = PRINT_TYPE_PT[t.role];
        expect({ figure: figure.name, text: t.text, role: t.role, pt: Math.round(t.pt * 100) / 100 }).toEqual({ figure: figure.name, text: t.text, role: t.role, pt: expect.toSatisfy((pt: number) => Math.abs(pt - want) <= 0.15) });
      }
      // Every role a figure has is there (ticks, labels, title, caption at least).
      const roles = new Set(texts.map((t) => t.role));
      for (const r of ["figureTitle", "caption"] as const) expect(roles.has(r)).toBe(true);
    }
  });

  it.each(cases)("$label: tick labels apart, and across a facet gap at least as far apart as within a facet", ({ figures }) => {
    let facetted = 0;
    for (const figure of figures()) {
      const ticks = measure(figure).filter((t) => t.axis === "x-axis tick label");
      const rows = new Map<number, Measured[]>();
      for (const t of ticks) rows.set(Math.round(t.y), [...(rows.get(Math.round(t.y)) ?? []), t]);
      for (const row of rows.values()) {
        row.sort((a, b) => a.x0 - b.x0);
        const within: number[] = [];
        const across: { between: string; gap: number }[] = [];
        for (let i = 1; i < row.length; i++) {
          const gap = row[i].x0 - row[i - 1].x1;
          const between = `${row[i - 1].text} | ${row[i].text}`;
          expect({ figure: figure.name, between, gap: Math.round(gap) }).toEqual({ figure: figure.name, between, gap: expect.toSatisfy((g: number) => g >= row[i].size / 2) });
          if (row[i].group === row[i - 1].group) within.push(gap);
          else across.push({ between, gap });
        }
        if (!across.length || !within.length) continue;
        facetted++;
        const least = Math.min(...within);
        for (const a of across) expect({ figure: figure.name, ...a, gap: Math.round(a.gap) }).toEqual({ figure: figure.name, ...a, gap: expect.toSatisfy((g: number) => g >= least - 0.5) });
      }
    }
    expect(facetted).toBeGreaterThan(0); // the facetted charts were checked
  });
});
