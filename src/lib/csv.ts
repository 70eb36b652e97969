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

export interface CsvLimits {
  /** Most characters one record may have (a run-away quoted field trips this). Default 100,000. */
  maxRecordChars?: number;
  /** Most columns in the header. Default 500. */
  maxColumns?: number;
}

/** A file that breaks a size limit; parsing stops at once rather than hang. */
export class CsvLimitError extends Error {
  constructor(message: string, public readonly line: number) {
    super(message);
    this.name = "CsvLimitError";
  }
}

/** 1-based line numbers at which each record starts, honouring quoted newlines; enforces the limits. */
function recordStartLines(text: string, limits: CsvLimits): number[] {
  const maxRecord = limits.maxRecordChars ?? 100_000;
  const starts: number[] = [1];
  let line = 1;
  let inQuotes = false;
  let recordStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) inQuotes = !inQuotes;
    else if (ch === 10 /* \n */) {
      line++;
      if (!inQuotes) {
        starts.push(line);
        recordStart = i + 1;
      }
    }
    if (i - recordStart > maxRecord) {
      const first = starts[starts.length - 1];
      throw new CsvLimitError(
        `the record starting on line ${first} is longer than ${maxRecord.toLocaleString("en-US")} characters${inQuotes ? " (an unclosed quote?)" : ""}`,
        first,
      );
    }
  }
  return starts;
}

/** Parse CSV text; throws CsvLimitError (with the line) when a limit is broken. */
export function parseCsv(raw: string, delimiter?: Delimiter, limits: CsvLimits = {}): CsvTable {
  const text = stripBom(raw);
  const delim = delimiter ?? detectDelimiter(text);
  const maxColumns = limits.maxColumns ?? 500;
  const headEnd = text.search(/\r?\n/);
  const headerFields = (headEnd < 0 ? text : text.slice(0, headEnd)).split(delim).length;
  if (headerFields > maxColumns)
    throw new CsvLimitError(`the header has ${headerFields.toLocaleString("en-US")} columns; at most ${maxColumns} are read`, 1);
  const starts = recordStartLines(text, limits);
  const all = dsvFormat(delim).parseRows(text);
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
