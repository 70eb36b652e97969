/**
 * Model comparison: ΔBIC of each model relative to the best model of each group (bars), and a
 * small table of how many participants each model fits best.
 */
import * as Plot from "@observablehq/plot";
import { measureDejaVu } from "./text-metrics.js";
import { applyType, captionText, docOf, fmt, plotStyle, typeOf, type ChartOptions } from "./theme.js";

export interface ModelBic {
  model: string;
  group: string;
  /** BIC summed over the group's participant-sessions. */
  bic: number;
  /** ΔBIC and the best label as the analysis decided them (groupComparison: models tied within its tolerance are all best); computed from bic when absent. */
  delta?: number;
  best?: boolean;
}

export interface ModelBestCount {
  model: string;
  group: string;
  n_best: number;
}

export interface ModelComparisonOptions extends ChartOptions {
  /** Order of the groups (default: first met). */
  groups?: string[];
  /** Order of the models (default: first met). */
  models?: string[];
}

/**
 * ΔBIC = BIC − lowest BIC of the same group (0 for the best model). Rows that carry the analysis's
 * own delta and best (groupComparison, with its tie rule) keep them, so the chart, the table and the
 * command line never disagree about a tie.
 */
export function deltaBic(rows: readonly ModelBic[]): (ModelBic & { delta: number; best: boolean })[] {
  const best = new Map<string, number>();
  for (const r of rows) if (Number.isFinite(r.bic)) best.set(r.group, Math.min(best.get(r.group) ?? Infinity, r.bic));
  return rows
    .filter((r) => Number.isFinite(r.bic))
    .map((r) => ({ ...r, delta: r.delta ?? r.bic - best.get(r.group)!, best: r.best ?? r.bic === best.get(r.group) }));
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

export function modelComparisonChart(rows: readonly ModelBic[], options: ModelComparisonOptions = {}): SVGSVGElement | HTMLElement {
  const data = deltaBic(rows);
  const groups = options.groups ?? unique(data.map((d) => d.group));
  const models = options.models ?? unique(data.map((d) => d.model));
  const { width = 640, document, note } = options;
  const type = typeOf(options);
  const height = options.height ?? 60 + groups.length * (models.length * 26 + 30);
  // Margins from the measured labels (DejaVu Sans, wider than most screen fonts): the model names
  // on the left; on the right the ΔBIC of the longest bar and then the group (facet) labels.
  const valueText = (d: { best: boolean; delta: number }) => (d.best ? "best" : fmt(d.delta, 1));
  const widest = (texts: string[], size: number) => Math.max(0, ...texts.map((t) => measureDejaVu(t, size)));
  const marginLeft = Math.ceil(widest(models, type.tick) + 14);
  const marginRight = Math.ceil(widest(data.map(valueText), type.mark) + 8 + widest(groups, type.label) + 14);
  return applyType(
    Plot.plot({
      document,
      width,
      height,
      title: "Model comparison: ΔBIC relative to the best model",
      caption: captionText(
        "Each bar is one model's BIC summed over the group's participant-sessions, minus that of the group's best model (ΔBIC = 0, labelled “best”). Lower is better; a ΔBIC above 10 is conventionally read as very strong evidence against the model (Kass & Raftery 1995).",
        note,
      ),
      style: plotStyle(type),
      marginLeft,
      marginBottom: 40,
      marginRight,
      fy: { domain: groups, label: null },
      y: { domain: models, label: null },
      x: { label: "ΔBIC (BIC points; lower is better)", grid: true, nice: true, zero: true },
      marks: [
        Plot.barX(data, { fy: "group", y: "model", x: "delta", fill: "currentColor", fillOpacity: 0.35, tip: true, title: (d) => `${d.model} (${d.group})\nBIC ${fmt(d.bic, 1)}, ΔBIC ${fmt(d.delta, 1)}` }),
        Plot.text(data, { fy: "group", y: "model", x: "delta", text: valueText, textAnchor: "start", dx: 4, fill: "currentColor" }),
        Plot.ruleX([0]),
      ],
    }),
    type,
  );
}

export interface BestModelTableOptions extends Pick<ChartOptions, "document" | "note"> {
  groups?: string[];
  models?: string[];
  caption?: string;
}

const formatCount = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** Rows = models, columns = groups, cells = number of participants best fitted by the model. */
export function bestModelTable(counts: readonly ModelBestCount[], options: BestModelTableOptions = {}): HTMLTableElement {
  const doc = docOf(options);
  const groups = options.groups ?? unique(counts.map((c) => c.group));
  const models = options.models ?? unique(counts.map((c) => c.model));
  const n = new Map(counts.map((c) => [`${c.model}\u0000${c.group}`, c.n_best]));
  const cell = (tag: "th" | "td", text: string, numeric = false) => {
    const e = doc.createElement(tag);
    e.textContent = text;
    if (numeric) e.setAttribute("style", "text-align: right; font-variant-numeric: tabular-nums;");
    return e;
  };
  const table = doc.createElement("table");
  // table-scroll (src/style.css): scrolls sideways inside a narrow container instead of widening the page.
  table.className = "best-model-table table-scroll";
  const caption = doc.createElement("caption");
  caption.setAttribute("style", "caption-side: bottom; text-align: left;");
  caption.textContent = captionText(options.caption ?? "Number of participants whose BIC is lowest under each model (ties shared).", options.note);
  const head = doc.createElement("thead");
  const hr = doc.createElement("tr");
  hr.append(cell("th", "Model"), ...groups.map((g) => cell("th", g, true)));
  head.append(hr);
  const body = doc.createElement("tbody");
  for (const m of models) {
    const tr = doc.createElement("tr");
    tr.setAttribute("data-model", m);
    tr.append(cell("td", m), ...groups.map((g) => cell("td", formatCount(n.get(`${m}\u0000${g}`) ?? 0), true)));
    body.append(tr);
  }
  table.append(caption, head, body);
  return table;
}
