/**
 * Reading CSV text as researchers' tools write it: comma, semicolon or tab separated,
 * UTF-8 with or without a byte-order mark, LF or CRLF line ends, quoted fields.
 * Parsing is d3-dsv's; this module adds dialect detection and the source line of every
 * record (a quoted field may span lines), so that validation messages can name it. For text
 * without any double quote, parseCsvFields gives the same table as field offsets (no string per
 * cell), which is how the validator reads large files.
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

/** The delimiter (given, or detected) and the header's field count; throws CsvLimitError when the header has more than limits.maxColumns (500) fields. */
function readHeader(text: string, delimiter: Delimiter | undefined, limits: CsvLimits): { delim: Delimiter; headerFields: number } {
  const delim = delimiter ?? detectDelimiter(text);
  const maxColumns = limits.maxColumns ?? 500;
  const headEnd = text.search(/\r?\n/);
  const headerFields = (headEnd < 0 ? text : text.slice(0, headEnd)).split(delim).length;
  if (headerFields > maxColumns)
    throw new CsvLimitError(`the header has ${headerFields.toLocaleString("en-US")} columns; at most ${maxColumns} are read`, 1);
  return { delim, headerFields };
}

/** Parse CSV text; throws CsvLimitError (with the line) when a limit is broken. */
export function parseCsv(raw: string, delimiter?: Delimiter, limits: CsvLimits = {}): CsvTable {
  const text = stripBom(raw);
  const { delim } = readHeader(text, delimiter, limits);
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

/**
 * A parsed table that keeps field offsets into the text instead of one string per cell: what the
 * validator reads a large trials.csv from (a million rows would otherwise be a million arrays
 * and 6 million strings). Only for text without any double quote, where records and fields are
 * plain splits; then it describes exactly the table parseCsv returns (test/lib/csv-fields.test.ts).
 */
export interface CsvFieldTable {
  delimiter: Delimiter;
  header: string[];
  /** The text the offsets refer to (byte-order mark removed). */
  text: string;
  /** Number of data records (blank lines skipped, header excluded). */
  nRows: number;
  /** 1-based source line of each data record. */
  lines: Int32Array;
  /** Fields of data record r are f = first[r] .. first[r + 1] - 1. */
  first: Int32Array;
  /** Start offset of each field; a field ends where the next one starts, less one (the delimiter), or at its record's end. */
  start: Int32Array;
  /** End offset (exclusive) of each data record. */
  end: Int32Array;
}

function growInt(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * parseCsv for text without double quotes, as field offsets (see CsvFieldTable); null when the
 * text has a double quote (use parseCsv). Same delimiter detection, limits and errors as parseCsv.
 */
export function parseCsvFields(raw: string, delimiter?: Delimiter, limits: CsvLimits = {}): CsvFieldTable | null {
  const text = stripBom(raw);
  if (text.indexOf('"') >= 0) return null;
  const { delim, headerFields } = readHeader(text, delimiter, limits);
  // recordStartLines without quotes: the first line (between LFs) longer than maxRecord + 1 characters.
  const maxRecord = limits.maxRecordChars ?? 100_000;
  {
    let line = 1;
    let from = 0;
    for (;;) {
      const nl = text.indexOf("\n", from);
      const stop = nl < 0 ? text.length : nl;
      if (stop - from >= maxRecord + 2) throw new CsvLimitError(`the record starting on line ${line} is longer than ${maxRecord.toLocaleString("en-US")} characters`, line);
      if (nl < 0) break;
      line++;
      from = nl + 1;
    }
  }
  // d3-dsv's parseRows without quotes: drop one trailing LF, then one trailing CR; records end at
  // CRLF, CR or LF; fields split at the delimiter.
  let N = text.length;
  // d3 decides "no record at all" before dropping the line end: "\n" is one empty record.
  const any = N > 0;
  if (text.charCodeAt(N - 1) === 10) --N;
  if (text.charCodeAt(N - 1) === 13) --N;
  const D = delim.charCodeAt(0);
  const header: string[] = [];
  // Sizes: at most one record per line end (+1); as many fields per record as the header has, usually.
  let nLineEnds = 0;
  for (let k = text.indexOf("\n"); k >= 0; k = text.indexOf("\n", k + 1)) nLineEnds++;
  const capRows = nLineEnds + 2;
  let lines: Int32Array = new Int32Array(capRows);
  let first: Int32Array = new Int32Array(capRows + 1);
  let start: Int32Array = new Int32Array(capRows * headerFields + 16);
  let end: Int32Array = new Int32Array(capRows);
  let nRows = 0;
  let nFields = 0;
  let record = 0;
  let i = 0;
  if (any) {
    for (;;) {
      // One record from i: field starts, then its end.
      const recFirst = nFields;
      start = growInt(start, nFields + 1);
      start[nFields++] = i;
      let c = 0;
      while (i < N) {
        c = text.charCodeAt(i);
        if (c === D) {
          start = growInt(start, nFields + 1);
          start[nFields++] = i + 1;
        } else if (c === 10 || c === 13) break;
        i++;
      }
      const recEnd = i;
      if (record === 0) {
        for (let f = recFirst; f < nFields; f++) header.push(text.slice(start[f], f + 1 < nFields ? start[f + 1] - 1 : recEnd).trim());
        nFields = 0;
      } else if (nFields - recFirst === 1 && text.slice(start[recFirst], recEnd).trim() === "") {
        nFields = recFirst; // blank line
      } else {
        lines = growInt(lines, nRows + 1);
        first = growInt(first, nRows + 2);
        end = growInt(end, nRows + 1);
        lines[nRows] = record + 1;
        first[nRows] = recFirst;
        end[nRows] = recEnd;
        nRows++;
      }
      record++;
      if (i >= N) break;
      // End of line: CRLF, CR or LF.
      if (c === 13 && text.charCodeAt(i + 1) === 10) i += 2;
      else i++;
      if (i >= N) {
        // A line end right before the (trimmed) end: d3 still returns one empty last record (blank).
        record++;
        break;
      }
    }
  }
  first[nRows] = nFields;
  return { delimiter: delim, header, text, nRows, lines: lines.subarray(0, nRows), first: first.subarray(0, nRows + 1), start: start.subarray(0, nFields), end: end.subarray(0, nRows) };
}

/** Raw text of field `c` of data record `r` of a field table ("" when the record has fewer fields). */
export function fieldText(t: CsvFieldTable, r: number, c: number): string {
  const f = t.first[r] + c;
  const next = t.first[r + 1];
  if (f >= next) return "";
  return t.text.slice(t.start[f], f + 1 < next ? t.start[f + 1] - 1 : t.end[r]);
}

/** RFC 4180 quoting, also of a value with leading or trailing spaces (which readers may trim). */
function quote(value: string): string {
  return /[",\n\r]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Comma-separated text with LF line ends and a final newline; null/undefined become empty cells. */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const out = [columns.map(quote).join(",")];
  for (const row of rows) out.push(row.map((v) => (v === null || v === undefined ? "" : quote(String(v)))).join(","));
  return out.join("\n") + "\n";
}
