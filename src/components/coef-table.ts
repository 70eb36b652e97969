/**
 * Fixed-effect coefficients of a mixed model as an HTML table: one row per term, with an
 * optional column of the published values and one highlighted term.
 */
import type { Coefficient } from "../lib/stats/coefficient.js";
import { captionText, docOf, fmt, formatP, pText, type ChartOptions } from "./theme.js";

/** A row of the table (the library's coefficient row). */
export type CoefRow = Coefficient;

export interface PublishedCoef {
  estimate?: number;
  t?: number;
  df?: number;
  p?: number;
}

export interface CoefTableOptions extends Pick<ChartOptions, "document" | "note"> {
  /** Term whose row gets the class "highlight" (e.g. the group × session × valence interaction). */
  highlight?: string;
  /** Published values by term; adds a "Published" column. */
  published?: Record<string, PublishedCoef>;
  caption?: string;
}

/** "β = 0.123, t(45.0) = 2.10, p = .041" from whatever of the published values are given. */
export function publishedText(p: PublishedCoef | undefined): string {
  if (!p) return "";
  const parts: string[] = [];
  if (p.estimate !== undefined) parts.push(`β = ${fmt(p.estimate, 3)}`);
  if (p.t !== undefined) parts.push(p.df !== undefined ? `t(${fmt(p.df, 1)}) = ${fmt(p.t, 2)}` : `t = ${fmt(p.t, 2)}`);
  else if (p.df !== undefined) parts.push(`df = ${fmt(p.df, 1)}`);
  if (p.p !== undefined) parts.push(pText(p.p));
  return parts.join(", ");
}

export function coefTable(rows: readonly CoefRow[], options: CoefTableOptions = {}): HTMLTableElement {
  const doc = docOf(options);
  const { highlight, published, caption, note } = options;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, numeric = false) => {
    const e = doc.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (numeric) e.setAttribute("style", "text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;");
    return e;
  };
  const table = el("table");
  // table-scroll (src/style.css): scrolls sideways inside a narrow container instead of widening the page.
  table.className = "coef-table table-scroll";
  if (caption || note) {
    const c = el("caption", captionText(caption ?? "", note).trim());
    c.setAttribute("style", "caption-side: bottom; text-align: left;");
    table.append(c);
  }
  const headers = ["Term", "Estimate", "SE", "df", "t", "p", "95% CI"];
  if (published) headers.push("Published");
  const headRow = el("tr");
  headers.forEach((h, i) => headRow.append(el("th", h, i > 0 && i < 7)));
  table.append(el("thead"));
  table.tHead!.append(headRow);
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr");
    tr.setAttribute("data-term", r.term);
    if (r.term === highlight) {
      tr.className = "highlight";
      tr.setAttribute("style", "background: color-mix(in srgb, #E69F00 18%, transparent);");
    }
    const ci = r.ci ? `[${fmt(r.ci[0], 3)}, ${fmt(r.ci[1], 3)}]` : "–";
    const cells = [fmt(r.estimate, 3), fmt(r.se, 3), fmt(r.df, 1), fmt(r.t, 2), formatP(r.p), ci];
    const term = el("td");
    if (r.term === highlight) term.append(el("strong", r.term));
    else term.textContent = r.term;
    tr.append(term, ...cells.map((c) => el("td", c, true)));
    if (published) tr.append(el("td", publishedText(published[r.term])));
    body.append(tr);
  }
  table.append(body);
  return table;
}
