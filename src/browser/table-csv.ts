/**
 * Every table of a dashboard page downloads as CSV: a "Download CSV" link under each table, made
 * from the table as shown (header rows, then body rows; a cell spanning columns is repeated). The
 * Data and methods page also offers the analysis's tables at full precision (data-view.ts).
 */
import { toCsv } from "../lib/study/csv.js";
import { downloadLink } from "./data-view.js";

/** The CSV of a table as shown. */
export function tableCsv(table: HTMLTableElement): string {
  const rows = [...table.rows].map((tr) => [...tr.cells].flatMap((c) => Array<string>(Math.max(1, c.colSpan)).fill((c.textContent ?? "").replace(/\s+/g, " ").trim())));
  const width = Math.max(0, ...rows.map((r) => r.length));
  const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill("")]);
  return toCsv(padded[0] ?? [], padded.slice(1));
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "table";
}

/** Give a table its download link (once). Tables of Inputs.table (the Data page's, with their own link) and those marked data-no-csv are left alone. */
export function addTableDownload(table: HTMLTableElement, prefix: string): void {
  // Tables of controls (the Plan page's rates) are inputs, not data.
  if (table.closest(".data-table, [data-no-csv], form") || table.querySelector("input, select") || table.dataset.csv === "1") return;
  table.dataset.csv = "1";
  const name = `${prefix}-${slug(table.dataset.table ?? table.className ?? table.caption?.textContent ?? "table")}.csv`;
  const link = downloadLink(name, () => tableCsv(table));
  link.textContent = "Download CSV";
  link.classList.add("table-csv");
  const after = table.parentElement?.classList.contains("table-scroll") ? table.parentElement : table;
  after.after(link);
}

/** Watch `root` and give every table that appears in it a download link; returns the function that stops watching. */
export function tableDownloads(root: Element, prefix: string): () => void {
  const scan = () => root.querySelectorAll("table").forEach((t) => addTableDownload(t, prefix));
  scan();
  if (typeof MutationObserver === "undefined") return () => {};
  const observer = new MutationObserver(scan);
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
