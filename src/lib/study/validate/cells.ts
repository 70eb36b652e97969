/**
 * The cells of the study's CSV files as the validator reads them: a table over csv.ts (field offsets
 * into the text when the file has no quote, rows of strings otherwise), the required-column checks,
 * and the number checks with the format's messages (a fast path for plain numbers).
 */
import { CsvLimitError, parseCsv, parseCsvFields, type CsvFieldTable, type Delimiter } from "../csv.js";
import { REQUIRED_COLUMNS, type StudyFileName } from "./format.js";
import { show, type Collector } from "./issues.js";

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

/**
 * A parsed CSV file as the validator reads it: field offsets into the text when the file has no
 * double quote (csv.ts parseCsvFields, no string per cell), otherwise parseCsv's rows of strings.
 */
export class Table {
  readonly delimiter: Delimiter;
  readonly header: string[];
  readonly nRows: number;
  readonly lines: ArrayLike<number>;
  constructor(
    readonly fields: CsvFieldTable | null,
    private readonly rows: string[][] | null,
    parsed: { delimiter: Delimiter; header: string[]; lines: ArrayLike<number> },
  ) {
    this.delimiter = parsed.delimiter;
    this.header = parsed.header;
    this.lines = parsed.lines;
    this.nRows = fields ? fields.nRows : rows!.length;
  }
  static parse(text: string): Table {
    const fields = parseCsvFields(text);
    if (fields) return new Table(fields, null, fields);
    const t = parseCsv(text);
    return new Table(null, t.rows, t);
  }
  fieldCount(r: number): number {
    const f = this.fields;
    return f ? f.first[r + 1] - f.first[r] : this.rows![r].length;
  }
  /** The raw (untrimmed) cell; "" when the record has fewer fields. */
  raw(r: number, c: number): string {
    const f = this.fields;
    if (!f) return this.rows![r][c] ?? "";
    const i = f.first[r] + c;
    const next = f.first[r + 1];
    if (!(c >= 0) || i >= next) return "";
    return f.text.slice(f.start[i], i + 1 < next ? f.start[i + 1] - 1 : f.end[r]);
  }
}

/** Parse a CSV file and check its required columns; returns column indices by name. */
export function readTable(
  file: Exclude<StudyFileName, "study.json">,
  text: string | undefined,
  c: Collector,
  maxBytes: number,
  required: readonly string[] = REQUIRED_COLUMNS[file],
): { table: Table; col: Record<string, number> } | null {
  if (text === undefined) {
    c.error({ file, message: `file is missing: expected ${file} with columns ${required.join(", ")}` });
    return null;
  }
  if (text.length > maxBytes) {
    const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`;
    c.error({ file, line: 1, message: `file is ${mb(text.length)}; the kit reads files up to ${mb(maxBytes)} (split the study, or aggregate trials first)` });
    return null;
  }
  let table: Table;
  try {
    table = Table.parse(text);
  } catch (e) {
    if (!(e instanceof CsvLimitError)) throw e;
    c.error({ file, line: e.line, message: `cannot be read: ${e.message}` });
    return null;
  }
  const col: Record<string, number> = {};
  table.header.forEach((h, i) => {
    if (!(h in col)) col[h] = i;
  });
  let ok = table.header.length > 0 && table.header.some((h) => h !== "");
  for (const name of required) {
    if (!(name in col)) {
      ok = false;
      c.error({ file, line: 1, field: name, message: `missing required column "${name}"; the header has ${table.header.map((h) => JSON.stringify(h)).join(", ") || "nothing"}` });
    }
  }
  const seen = new Set<string>();
  table.header.forEach((h, i) => {
    if (seen.has(h)) c.error({ file, line: 1, column: i + 1, field: h, message: `column "${h}" appears twice in the header` });
    seen.add(h);
  });
  if (!ok) return null;
  const nHeader = table.header.length;
  for (let r = 0; r < table.nRows; r++) {
    const n = table.fieldCount(r);
    if (n !== nHeader) c.error({ file, line: table.lines[r], message: `expected ${nHeader} fields as in the header, got ${n}` });
  }
  return { table, col };
}

export interface NumOptions {
  optional?: boolean;
  what?: string;
}

/** Reads the cells of one row at a time (set `r`), with the messages of the format's checks. */
export class CellReader {
  r = 0;
  constructor(
    private readonly file: string,
    private readonly table: Table,
    private readonly col: Record<string, number>,
    private readonly c: Collector,
  ) {}
  at(r: number): this {
    this.r = r;
    return this;
  }
  str(name: string): string {
    return this.table.raw(this.r, this.col[name]).trim();
  }
  num(name: string, lo: number, hi: number, opts: NumOptions = {}): number | null {
    const { file, c, table } = this;
    const v = this.str(name);
    const line = table.lines[this.r];
    const column = this.col[name] + 1;
    if (v === "") {
      if (opts.optional) return null;
      c.error({ file, line, column, field: name, message: `${expectedNumber(opts, lo, hi)}, got an empty cell` });
      return null;
    }
    let text = v;
    if (DECIMAL_COMMA.test(v)) {
      if (table.delimiter === ";") text = v.replace(",", ".");
      else {
        c.error({ file, line, column, field: name, message: `${expectedNumber(opts, lo, hi)}, got ${show(v)} (a decimal comma? write ${show(v.replace(",", "."))}, or save the file separated by semicolons)` });
        return null;
      }
    }
    if (!NUMBER.test(text)) {
      c.error({ file, line, column, field: name, message: `${expectedNumber(opts, lo, hi)}, got ${show(v)}` });
      return null;
    }
    const x = Number(text);
    if (!(x >= lo && x <= hi)) {
      c.error({ file, line, column, field: name, message: `${expectedNumber(opts, lo, hi)}, got ${show(v)}` });
      return null;
    }
    return x;
  }
}

function expectedNumber(opts: NumOptions, lo: number, hi: number): string {
  return `expected ${opts.what ?? `a number from ${lo} to ${hi}`}`;
}

/** 10^k for the exact decimal fast path (k <= 22: exactly representable). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The number in text[s, e) when it is plain digits with at most one decimal point (at most 15
 * digits) and within [lo, hi]: then it equals Number() of the cell (an exact integer divided by an
 * exact power of ten is correctly rounded, as Number() is) and passes every check of
 * CellReader.num. NaN otherwise: the caller takes CellReader.num for the message or the rarer forms.
 */
export function plainNumber(text: string, s: number, e: number, lo: number, hi: number): number {
  let v = 0;
  let digits = 0;
  let dot = -1;
  for (let i = s; i < e; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      v = v * 10 + (ch - 48);
      digits++;
    } else if (ch === 46 && dot < 0) dot = i;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  if (dot >= 0) v /= POW10[e - dot - 1];
  return v >= lo && v <= hi ? v : NaN;
}

/** Bounds [BOUNDS[0], BOUNDS[1]) of field k of data record r of a field table; false when the record has fewer fields. */
export const BOUNDS = new Int32Array(2);
export function fieldBounds(t: CsvFieldTable, r: number, k: number): boolean {
  const f0 = t.first[r];
  const nf = t.first[r + 1] - f0;
  if (!(k < nf)) return false;
  BOUNDS[0] = t.start[f0 + k];
  BOUNDS[1] = k + 1 < nf ? t.start[f0 + k + 1] - 1 : t.end[r];
  return true;
}

/** A character that String.prototype.trim would not remove, and that is plain ASCII. */
export function solid(ch: number): boolean {
  return ch > 32 && ch < 127;
}

