/**
 * Reading CSV text as researchers' tools write it: comma, semicolon or tab separated,
 * UTF-8 with or without a byte-order mark, LF or CRLF line ends, quoted fields.
 * Parsing is d3-dsv's; this module adds dialect detection and the source line of every
 * record (a quoted field may span lines), so that validation messages can name it.
 */
import { dsvFormat } from "d3-dsv";

export type Delimiter = "," | ";" | "\t";

export interface CsvTable {
  delimiter: Delimiter;
  header: string[];
  /** Data records (header excluded), each as an array of raw cell strings. */
  rows: string[][];
  /** 1-based source line of each data record. */
  lines: number[];
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The delimiter that splits the header line into the most fields (ties: comma, semicolon, tab). */
export function detectDelimiter(text: string): Delimiter {
  const end = text.search(/\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  let best: Delimiter = ",";
  let bestCount = -1;
  for (const d of [",", ";", "\t"] as const) {
    const count = head.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** 1-based line numbers at which each record starts, honouring quoted newlines. */
function recordStartLines(text: string): number[] {
  const starts: number[] = [1];
  let line = 1;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) inQuotes = !inQuotes;
    else if (ch === 10 /* \n */) {
      line++;
      if (!inQuotes) starts.push(line);
    }
  }
  return starts;
}

export function parseCsv(raw: string, delimiter?: Delimiter): CsvTable {
  const text = stripBom(raw);
  const delim = delimiter ?? detectDelimiter(text);
  const all = dsvFormat(delim).parseRows(text);
  const starts = recordStartLines(text);
  // d3-dsv drops a trailing empty line; it also returns [""] for blank lines, which we skip.
  const header = (all[0] ?? []).map((h) => h.trim());
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 1; r < all.length; r++) {
    const row = all[r];
    if (row.length === 1 && row[0].trim() === "") continue;
    rows.push(row);
    lines.push(starts[r] ?? r + 1);
  }
  return { delimiter: delim, header, rows, lines };
}

function quote(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Comma-separated text with LF line ends and a final newline; null/undefined become empty cells. */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const out = [columns.map(quote).join(",")];
  for (const row of rows) out.push(row.map((v) => (v === null || v === undefined ? "" : quote(String(v)))).join(","));
  return out.join("\n") + "\n";
}
