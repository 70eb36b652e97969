/** Shared chart conventions: colour-blind-safe colours (Okabe & Ito 2008) and labels. */
export const VALENCE_COLORS = { good: "#0072B2", bad: "#D55E00" } as const;
export const VALENCE_LABELS = { good: "Good news", bad: "Bad news" } as const;
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif";

export interface ChartOptions {
  width?: number;
  height?: number;
  /** A document to draw into (jsdom on the server); defaults to the global one. */
  document?: Document;
  /** Words appended to the caption, e.g. that the cohort is synthetic. */
  note?: string;
  /** Font sizes of the chart's text (default SCREEN_TYPE; the figure exporter passes PRINT_TYPE). */
  type?: TypeScale;
}

/**
 * Font sizes of a chart's text, in px (CSS px, 96 per inch). The chart functions use `tick`,
 * `label` and `mark`; the SVG exporter (src/figures/svg-export.ts) the others, for the HTML parts
 * of a figure (titles, legend, caption) that it draws itself.
 */
export interface TypeScale {
  /** Tick labels. */
  tick: number;
  /** Axis labels, facet (panel) labels and the boxes of the path diagram. */
  label: number;
  /** Text drawn among the marks: value labels, annotations, the path diagram's p values. */
  mark: number;
  /** Legend entries. */
  legend: number;
  /** The caption. */
  caption: number;
  /** A panel's title (the "A.", "B." of a composed figure). */
  title: number;
  /** The figure's title. */
  figureTitle: number;
}

/**
 * The type scale of exported (paper) figures, in points at the printed size, whatever the journal
 * width (single column 89 mm, double 183 mm, or any --width): the exporter draws every chart at the
 * figure's width, never scaled, so these are the sizes on paper: tick labels, legend, in-plot
 * text and caption 7 pt; axis, facet and path-diagram labels 8 pt; panel titles 9 pt; the
 * figure's title 10 pt. test/figures/type-scale.test.ts measures every text of every exported
 * figure at print scale against it.
 */
export const PRINT_TYPE_PT = { tick: 7, label: 8, mark: 7, legend: 7, caption: 7, title: 9, figureTitle: 10 } as const satisfies TypeScale;

/** Points per CSS px (72 pt and 96 px per inch). */
export const PT_PER_PX = 72 / 96;

/** PRINT_TYPE_PT in px of a figure drawn at 96 px per inch of its printed width. */
export const PRINT_TYPE: TypeScale = Object.fromEntries(Object.entries(PRINT_TYPE_PT).map(([k, pt]) => [k, pt / PT_PER_PX])) as unknown as TypeScale;

/** On screen (dashboard, embeds, Download SVG/PNG): 12 px chart text, at least 11 px anywhere. */
export const SCREEN_TYPE: TypeScale = { tick: 12, label: 12, mark: 12, legend: 11, caption: 11, title: 12, figureTitle: 14 };

/** The options' type scale (SCREEN_TYPE unless given). */
export function typeOf(options: { type?: TypeScale }): TypeScale {
  return options.type ?? SCREEN_TYPE;
}

/** Plot's `style` for a chart in this type scale: tick labels and everything else at `tick`. */
export function plotStyle(type: TypeScale): { fontFamily: string; fontSize: string; overflow: "visible" } {
  return { fontFamily: FONT_FAMILY, fontSize: `${type.tick}px`, overflow: "visible" };
}

/**
 * Give a Plot chart's axis labels and facet labels the `label` size and its text marks the `mark`
 * size (Plot draws all its text at one size: `tick`). Returns the chart.
 */
export function applyType<T extends Element>(chart: T, type: TypeScale): T {
  const svg = plotSvg(chart);
  if (!svg) return chart;
  for (const g of svg.querySelectorAll('g[aria-label$="axis label"], g[aria-label="fx-axis tick label"], g[aria-label="fy-axis tick label"]')) g.setAttribute("font-size", String(round2(type.label)));
  for (const g of svg.querySelectorAll('g[aria-label="text"]')) if (!g.hasAttribute("font-size")) g.setAttribute("font-size", String(round2(type.mark)));
  return chart;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Okabe–Ito colours for the reference and treatment groups (distinct from the valence pair). */
export const GROUP_COLORS = { reference: "#009E73", treatment: "#CC79A7" } as const;
/** Further Okabe–Ito colours for groups past the first two (none of them a valence colour). */
export const EXTRA_COLORS = ["#56B4E9", "#F0E442", "#E69F00"] as const;
/** Rules of bootstrap intervals (Okabe–Ito sky blue and orange). */
export const INTERVAL_COLORS = { percentile: "#56B4E9", bca: "#E69F00" } as const;
/** Outline of selected dots and stroke of selected lines: the text colour, so it works in light and dark mode. */
export const SELECTED_COLOR = "currentColor";
/** Stroke of the one highlighted participant (Okabe–Ito orange; not a group or valence colour). */
export const HIGHLIGHT_COLOR = "#E69F00";
/** Opacity of unselected participant marks while a selection is active. */
export const FADED_OPACITY = 0.3;

/**
 * Colour scale of the news valences that `rows` actually contain (in the order good, bad), so
 * that a legend lists only what is drawn.
 */
export function valenceColor(rows: Iterable<{ valence: "good" | "bad" }>): { domain: string[]; range: string[]; legend: true } {
  const present = new Set<string>();
  for (const r of rows) present.add(r.valence);
  const valences = (["good", "bad"] as const).filter((v) => present.has(v));
  return { domain: valences.map((v) => VALENCE_LABELS[v]), range: valences.map((v) => VALENCE_COLORS[v]), legend: true };
}

/** Of `groups` (the colour order), those that `drawn` contains, with their colours: a legend of only what is drawn. */
export function drawnGroupColors(groups: readonly string[], drawn: Iterable<string>): { domain: string[]; range: string[] } {
  const present = new Set(drawn);
  const range = groupColorRange(groups);
  const idx = groups.map((_, i) => i).filter((i) => present.has(groups[i]));
  return { domain: idx.map((i) => groups[i]), range: idx.map((i) => range[i]) };
}

/** Colour range for `groups` in order: reference, treatment, then further Okabe–Ito colours. */
export function groupColorRange(groups: readonly string[]): string[] {
  const base = [GROUP_COLORS.reference, GROUP_COLORS.treatment, ...EXTRA_COLORS];
  return groups.map((_, i) => base[i % base.length]);
}

/**
 * The caption sentence of every chart of fitted learning rates: the fits are not bounded, and what
 * a rate outside [0, 1] means. `hierarchical`: the rates are the hierarchical fit's MAP estimates.
 */
export function unboundedRatesText(hierarchical = false): string {
  return `${hierarchical ? "The hierarchical (MAP) rates, like the least-squares ones," : "The least-squares rates"} are not bounded to [0, 1]: a negative rate means the second estimate moved away from the base rate, a rate above 1 that it overshot the base rate.`;
}

/** A caption followed by the optional note. */
export function captionText(text: string, note?: string): string {
  return note ? `${text} ${note}` : text;
}

/** Fixed-point number with a true minus sign (d3-format style): fmt(-0.1234, 3) = "−0.123". */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const s = Math.abs(x).toFixed(digits);
  return x < 0 && Number(s) !== 0 ? `\u2212${s}` : s;
}

/** APA-style p value: "< .001", else three decimals without the leading zero (".023"). */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "–";
  if (p < 0.001) return "< .001";
  return p.toFixed(3).replace(/^0\./, ".");
}

/** "p < .001" or "p = .023". */
export function pText(p: number | null | undefined): string {
  const s = formatP(p);
  return s.startsWith("<") ? `p ${s}` : `p = ${s}`;
}

/** Selected ids as a Set (empty when none). */
export function toSet(selected: Iterable<string> | null | undefined): Set<string> {
  return new Set(selected ?? []);
}

/** The document to draw into: the option, else the global one. */
export function docOf(options: { document?: Document }): Document {
  const doc = options.document ?? (globalThis as { document?: Document }).document;
  if (!doc) throw new Error("No document: pass options.document when rendering outside a browser");
  return doc;
}

/** The chart's plot `<svg>`: the element itself, else the last direct `<svg>` child of the `<figure>` (legends come before it). */
export function plotSvg(chart: Element): SVGSVGElement | null {
  if (chart.tagName.toLowerCase() === "svg") return chart as SVGSVGElement;
  const svgs = [...chart.children].filter((c) => c.tagName.toLowerCase() === "svg");
  return (svgs[svgs.length - 1] as SVGSVGElement | undefined) ?? null;
}
