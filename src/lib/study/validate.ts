/**
 * The one validator of the study folder format (README, "The study folder format").
 * Pure: it takes the files' text, never touches the file system, and is used alike by the
 * data loaders, the command line and the browser. Every problem names the file, line and
 * column and says what was expected; all problems are collected (up to a cap).
 */
import { CsvLimitError, parseCsv, parseCsvFields, type CsvFieldTable, type Delimiter } from "./csv.js";
import { jsonErrorOffset } from "./json-position.js";
import { STUDY_DESIGNS, type ClinicalRow, type Participant, type ResponseDefinition, type SecondaryScale, type Study, type StudyDesign, type StudyMeta, type Trial } from "./types.js";

export type Severity = "error" | "warning";

export interface ValidationIssue {
  severity: Severity;
  file: string;
  line?: number;
  column?: number;
  field?: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  study: Study | null;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** Errors found beyond the cap (not listed). */
  moreErrors: number;
}

export interface ValidateOptions {
  /** At most this many errors are listed; the rest are counted. Default 50. */
  maxErrors?: number;
  /** Minimum trials of each valence per participant-session before a warning. Default 10. */
  minTrialsPerValence?: number;
  /** Largest file read, in bytes (UTF-16 code units of the text). Default 64 MiB. */
  maxFileBytes?: number;
  /** Called as rows are checked: (file, rows done, rows in all). */
  onProgress?: (file: string, done: number, total: number) => void;
}

const PROGRESS_EVERY = 50_000;
const OPTIONAL = { optional: true } as const;

export const STUDY_FILES = ["study.json", "participants.csv", "trials.csv", "clinical.csv"] as const;
export type StudyFileName = (typeof STUDY_FILES)[number];
export type StudyFiles = Partial<Record<StudyFileName, string>>;

export const REQUIRED_COLUMNS: Record<Exclude<StudyFileName, "study.json">, string[]> = {
  "participants.csv": ["participant_id", "group", "age", "sex", "education_years"],
  "trials.csv": ["participant_id", "session", "event_id", "first_estimate", "base_rate", "second_estimate"],
  "clinical.csv": ["participant_id", "session", "score"],
};

/**
 * Further required columns of clinical.csv by design (besides REQUIRED_COLUMNS and any declared
 * secondary scale). Crossover and parallel studies need no trials.csv.
 */
export const DESIGN_CLINICAL_COLUMNS: Record<StudyDesign, string[]> = {
  "belief-updating": [],
  crossover: ["condition", "period"],
  parallel: [],
};

/** Default responder threshold of crossover and parallel studies: at least 50 % reduction from baseline. */
export const DEFAULT_RESPONSE_THRESHOLD = 0.5;

/** `trials.csv:57:5 (second_estimate): expected a number from 0 to 100, got "1O5"` */
export function formatIssue(issue: ValidationIssue): string {
  let where = issue.file;
  if (issue.line !== undefined) where += `:${issue.line}`;
  if (issue.column !== undefined) where += `:${issue.column}`;
  const field = issue.field ? ` (${issue.field})` : "";
  return `${where}${field}: ${issue.message}`;
}

export function formatValidation(result: ValidationResult): string {
  const lines: string[] = [];
  for (const e of result.errors) lines.push(`error   ${formatIssue(e)}`);
  if (result.moreErrors > 0) lines.push(`… and ${result.moreErrors} more error${result.moreErrors === 1 ? "" : "s"}`);
  for (const w of result.warnings) lines.push(`warning ${formatIssue(w)}`);
  return lines.join("\n");
}

/** Thrown by loaders and commands that refuse an invalid study. */
export class StudyValidationError extends Error {
  constructor(public readonly result: ValidationResult, where = "study") {
    const n = result.errors.length + result.moreErrors;
    super(`${where} is not a valid study folder (${n} error${n === 1 ? "" : "s"}):\n${formatValidation({ ...result, warnings: [] })}`);
    this.name = "StudyValidationError";
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;

class Collector {
  errors: ValidationIssue[] = [];
  warnings: ValidationIssue[] = [];
  moreErrors = 0;
  constructor(private readonly maxErrors: number) {}
  error(issue: Omit<ValidationIssue, "severity">) {
    if (this.errors.length < this.maxErrors) this.errors.push({ severity: "error", ...issue });
    else this.moreErrors++;
  }
  warn(issue: Omit<ValidationIssue, "severity">) {
    if (this.warnings.length < this.maxErrors) this.warnings.push({ severity: "warning", ...issue });
  }
}

function show(value: string): string {
  return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
}

/** Line (1-based) and column of a character offset, for JSON syntax errors. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/**
 * The design a study.json declares, read leniently so that the other files can be checked
 * against it even when study.json has errors: "belief-updating" when the file is missing,
 * unreadable or has no "design" key; null when "design" holds something else.
 */
function declaredDesign(text: string | undefined): StudyDesign | null {
  if (text === undefined) return "belief-updating";
  try {
    const raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw) || !("design" in raw)) return "belief-updating";
    const d = (raw as Record<string, unknown>).design;
    return typeof d === "string" && (STUDY_DESIGNS as readonly string[]).includes(d) ? (d as StudyDesign) : null;
  } catch {
    return "belief-updating";
  }
}

const RESERVED_CLINICAL = new Set(["participant_id", "session", "score", "condition", "period"]);

function validateMeta(text: string | undefined, c: Collector): StudyMeta | null {
  const file = "study.json";
  if (text === undefined) {
    c.error({ file, message: "file is missing: every study folder needs study.json (see README, The study folder format)" });
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const offset = jsonErrorOffset(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    const pos = offset === null ? undefined : lineCol(text, offset);
    c.error({ file, line: pos?.line, column: pos?.column, message: `expected valid JSON: ${msg.split("\n")[0]}` });
    return null;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    c.error({ file, line: 1, column: 1, message: "expected a JSON object with id, title, description, citation, synthetic, groups, sessions, clinical_scale" });
    return null;
  }
  const o = raw as Record<string, unknown>;
  const before = c.errors.length + c.moreErrors;
  // Line and column of a key in the text (line 1, column 1 when the key is absent).
  const at = (key: string) => {
    const i = text.indexOf(`"${key}"`);
    return i < 0 ? { line: 1, column: 1 } : lineCol(text, i);
  };
  for (const key of ["id", "title", "description", "citation"]) {
    if (typeof o[key] !== "string" || (key !== "description" && key !== "citation" && (o[key] as string).trim() === ""))
      c.error({ file, ...at(key), field: key, message: `expected a non-empty string, got ${JSON.stringify(o[key] ?? null)}` });
  }
  if (typeof o.id === "string" && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o.id))
    c.error({ file, ...at("id"), field: "id", message: `expected letters, digits, ".", "_" or "-" (it names the folder and URLs), got ${show(o.id)}` });
  if (typeof o.synthetic !== "boolean")
    c.error({ file, ...at("synthetic"), field: "synthetic", message: `expected true or false (is the cohort simulated?), got ${JSON.stringify(o.synthetic ?? null)}` });
  let design: StudyDesign = "belief-updating";
  if ("design" in o) {
    if (typeof o.design === "string" && (STUDY_DESIGNS as readonly string[]).includes(o.design)) design = o.design as StudyDesign;
    else c.error({ file, ...at("design"), field: "design", message: `expected ${STUDY_DESIGNS.map((d) => JSON.stringify(d)).join(", ")} (default "belief-updating"), got ${JSON.stringify(o.design ?? null)}` });
  }
  const g = o.groups as Record<string, unknown> | undefined;
  // A crossover study has conditions instead of groups (groups are derived from them).
  if (design !== "crossover") {
    if (typeof g !== "object" || g === null || typeof g.reference !== "string" || typeof g.treatment !== "string" || g.reference === "" || g.treatment === "")
      c.error({ file, ...at("groups"), field: "groups", message: `expected {"reference": "<label>", "treatment": "<label>"}, got ${JSON.stringify(o.groups ?? null)}` });
    else if (g.reference === g.treatment)
      c.error({ file, ...at("groups"), field: "groups", message: `expected two different labels, got "${g.reference}" twice` });
  }
  const s = o.sessions;
  if (!Array.isArray(s) || s.length === 0 || !s.every((x) => typeof x === "string" && x !== ""))
    c.error({ file, ...at("sessions"), field: "sessions", message: `expected a non-empty list of session ids (the first is the baseline), got ${JSON.stringify(s ?? null)}` });
  else if (new Set(s).size !== s.length)
    c.error({ file, ...at("sessions"), field: "sessions", message: `expected unique session ids, got ${JSON.stringify(s)}` });
  const cs = o.clinical_scale as Record<string, unknown> | undefined;
  if (typeof cs !== "object" || cs === null || typeof cs.name !== "string" || typeof cs.min !== "number" || typeof cs.max !== "number" || !(cs.min < cs.max))
    c.error({ file, ...at("clinical_scale"), field: "clinical_scale", message: `expected {"name": "MADRS", "min": 0, "max": 60} with min < max, got ${JSON.stringify(o.clinical_scale ?? null)}` });
  const trial = design === "crossover" || design === "parallel" ? validateTrialMeta(o, design, at, c) : null;
  if (c.errors.length + c.moreErrors > before) return null;
  const meta: StudyMeta = {
    id: o.id as string,
    title: o.title as string,
    description: o.description as string,
    citation: o.citation as string,
    synthetic: o.synthetic as boolean,
    groups:
      design === "crossover"
        ? { reference: trial!.conditions![0], treatment: trial!.conditions![1] }
        : { reference: g!.reference as string, treatment: g!.treatment as string },
    sessions: [...(s as string[])],
    clinical_scale: { name: cs!.name as string, min: cs!.min as number, max: cs!.max as number },
  };
  if ("design" in o) meta.design = design;
  if (trial) Object.assign(meta, trial);
  return meta;
}

/** The keys of study.json that only crossover and parallel studies have (docs/designs.md). */
function validateTrialMeta(
  o: Record<string, unknown>,
  design: "crossover" | "parallel",
  at: (key: string) => { line: number; column: number },
  c: Collector,
): Pick<StudyMeta, "conditions" | "sequences" | "response" | "secondary_scales"> | null {
  const file = "study.json";
  const before = c.errors.length + c.moreErrors;
  const out: Pick<StudyMeta, "conditions" | "sequences" | "response" | "secondary_scales"> = {};
  const sessions = Array.isArray(o.sessions) && o.sessions.every((x) => typeof x === "string" && x !== "") ? (o.sessions as string[]) : null;
  if (sessions && sessions.length < 2)
    c.error({ file, ...at("sessions"), field: "sessions", message: `expected at least two time points for a ${design} study (the first is the baseline), got ${JSON.stringify(sessions)}` });

  if (design === "crossover") {
    const cond = o.conditions;
    if (!Array.isArray(cond) || cond.length !== 2 || !cond.every((x) => typeof x === "string" && x.trim() !== ""))
      c.error({ file, ...at("conditions"), field: "conditions", message: `expected a list of the two conditions, reference first (for example ["placebo", "naltrexone"]), got ${JSON.stringify(cond ?? null)}` });
    else if (cond[0] === cond[1]) c.error({ file, ...at("conditions"), field: "conditions", message: `expected two different conditions, got "${cond[0]}" twice` });
    else out.conditions = [...(cond as string[])];
    const seq = o.sequences;
    const example = out.conditions
      ? `{"AB": ${JSON.stringify(out.conditions)}, "BA": ${JSON.stringify([...out.conditions].reverse())}}`
      : `{"AB": ["<reference>", "<other>"], "BA": ["<other>", "<reference>"]}`;
    if (typeof seq !== "object" || seq === null || Array.isArray(seq) || Object.keys(seq).length === 0)
      c.error({ file, ...at("sequences"), field: "sequences", message: `expected the sequences (the group column of participants.csv) with their conditions in period order, for example ${example}, got ${JSON.stringify(seq ?? null)}` });
    else if (out.conditions) {
      const sequences: Record<string, string[]> = {};
      const orders = new Map<string, string>();
      for (const [label, list] of Object.entries(seq as Record<string, unknown>)) {
        const ok =
          label.trim() !== "" &&
          Array.isArray(list) &&
          list.length === out.conditions.length &&
          out.conditions.every((x) => list.filter((y) => y === x).length === 1);
        if (!ok) {
          c.error({ file, ...at("sequences"), field: "sequences", message: `expected sequence ${JSON.stringify(label)} to list each condition (${out.conditions.map((x) => JSON.stringify(x)).join(", ")}) once, in period order, got ${JSON.stringify(list ?? null)}` });
          continue;
        }
        const key = (list as string[]).join("\u0000");
        const other = orders.get(key);
        if (other !== undefined) c.error({ file, ...at("sequences"), field: "sequences", message: `expected different orders, got ${JSON.stringify(other)} and ${JSON.stringify(label)} both ${JSON.stringify(list)}` });
        orders.set(key, label);
        sequences[label] = [...(list as string[])];
      }
      out.sequences = sequences;
    }
  }

  const r = o.response;
  let threshold = DEFAULT_RESPONSE_THRESHOLD;
  let session = sessions && sessions.length >= 2 ? sessions[1] : "";
  if (r !== undefined) {
    const rr = r as Record<string, unknown>;
    if (typeof r !== "object" || r === null || Array.isArray(r))
      c.error({ file, ...at("response"), field: "response", message: `expected {"threshold": 0.5, "session": "<time point>"} (both optional), got ${JSON.stringify(r)}` });
    else {
      if ("threshold" in rr) {
        if (typeof rr.threshold !== "number" || !(rr.threshold > 0 && rr.threshold <= 1))
          c.error({ file, ...at("response"), field: "response.threshold", message: `expected a fraction of the baseline score above 0 and at most 1 (0.5 = at least 50 % reduction), got ${JSON.stringify(rr.threshold ?? null)}` });
        else threshold = rr.threshold;
      }
      if ("session" in rr && sessions) {
        if (typeof rr.session !== "string" || !sessions.slice(1).includes(rr.session))
          c.error({ file, ...at("response"), field: "response.session", message: `expected one of the time points after the baseline (${sessions.slice(1).join(", ")}), got ${JSON.stringify(rr.session ?? null)}` });
        else session = rr.session;
      }
    }
  }
  out.response = { threshold, session } satisfies ResponseDefinition;

  const ss = o.secondary_scales;
  if (ss !== undefined) {
    if (!Array.isArray(ss))
      c.error({ file, ...at("secondary_scales"), field: "secondary_scales", message: `expected a list of {"column": "hamd6", "name": "HAM-D-6", "min": 0, "max": 22}, got ${JSON.stringify(ss)}` });
    else {
      const scales: SecondaryScale[] = [];
      const primary = (o.clinical_scale as Record<string, unknown> | undefined)?.name;
      for (const x of ss as unknown[]) {
        const e = x as Record<string, unknown>;
        if (
          typeof x !== "object" || x === null ||
          typeof e.column !== "string" || e.column.trim() === "" || RESERVED_CLINICAL.has(e.column) ||
          typeof e.name !== "string" || e.name.trim() === "" ||
          typeof e.min !== "number" || typeof e.max !== "number" || !(e.min < e.max)
        ) {
          c.error({ file, ...at("secondary_scales"), field: "secondary_scales", message: `expected {"column": "<clinical.csv column other than ${[...RESERVED_CLINICAL].join(", ")}>", "name": "<scale>", "min": <number>, "max": <number>} with min < max, got ${JSON.stringify(x)}` });
          continue;
        }
        if (scales.some((y) => y.column === e.column) || scales.some((y) => y.name === e.name) || e.name === primary) {
          c.error({ file, ...at("secondary_scales"), field: "secondary_scales", message: `expected each scale once (columns and names differ from each other and from clinical_scale), got ${JSON.stringify(e.column)} / ${JSON.stringify(e.name)} again` });
          continue;
        }
        scales.push({ column: e.column, name: e.name, min: e.min, max: e.max });
      }
      out.secondary_scales = scales;
    }
  }
  return c.errors.length + c.moreErrors > before ? null : out;
}

/**
 * A parsed CSV file as the validator reads it: field offsets into the text when the file has no
 * double quote (csv.ts parseCsvFields, no string per cell), otherwise parseCsv's rows of strings.
 */
class Table {
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
function readTable(
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

interface NumOptions {
  optional?: boolean;
  what?: string;
}

/** Reads the cells of one row at a time (set `r`), with the messages of the format's checks. */
class CellReader {
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
function plainNumber(text: string, s: number, e: number, lo: number, hi: number): number {
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

/**
 * Interned strings with small integer ids: every repeated participant, session and event id of
 * trials.csv is one string (less memory, fast comparisons later), looked up from its characters in
 * the text without cutting a new string for each cell.
 */
class Interner {
  readonly strings: string[] = [];
  private hashes: Int32Array = new Int32Array(256);
  private slots: Int32Array = new Int32Array(1024).fill(-1);
  private readonly byString = new Map<string, number>();
  constructor(private readonly text: string) {}
  private insert(str: string, h: number): number {
    const id = this.strings.length;
    this.strings.push(str);
    if (id >= this.hashes.length) {
      const g = new Int32Array(this.hashes.length * 2);
      g.set(this.hashes);
      this.hashes = g;
    }
    this.hashes[id] = h;
    if (2 * this.strings.length > this.slots.length) {
      const slots = new Int32Array(this.slots.length * 2).fill(-1);
      const mask = slots.length - 1;
      for (let j = 0; j < this.strings.length - 1; j++) {
        let k = this.hashes[j] & mask;
        while (slots[k] >= 0) k = (k + 1) & mask;
        slots[k] = j;
      }
      this.slots = slots;
    }
    const mask = this.slots.length - 1;
    let k = h & mask;
    while (this.slots[k] >= 0) k = (k + 1) & mask;
    this.slots[k] = id;
    this.byString.set(str, id);
    return id;
  }
  /** Id of text[s, e). */
  range(s: number, e: number): number {
    const text = this.text;
    let h = 0x811c9dc5 | 0;
    for (let i = s; i < e; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    const mask = this.slots.length - 1;
    const len = e - s;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const id = this.slots[k];
      if (id < 0) break;
      if (this.hashes[id] === h) {
        const str = this.strings[id];
        if (str.length === len && text.startsWith(str, s)) return id;
      }
    }
    return this.insert(text.slice(s, e), h);
  }
  /** Id of a string. */
  of(str: string): number {
    const known = this.byString.get(str);
    if (known !== undefined) return known;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), 16777619);
    return this.insert(str, h);
  }
}

/** Bounds [BOUNDS[0], BOUNDS[1]) of field k of data record r of a field table; false when the record has fewer fields. */
const BOUNDS = new Int32Array(2);
function fieldBounds(t: CsvFieldTable, r: number, k: number): boolean {
  const f0 = t.first[r];
  const nf = t.first[r + 1] - f0;
  if (!(k < nf)) return false;
  BOUNDS[0] = t.start[f0 + k];
  BOUNDS[1] = k + 1 < nf ? t.start[f0 + k + 1] - 1 : t.end[r];
  return true;
}

/** A character that String.prototype.trim would not remove, and that is plain ASCII. */
function solid(ch: number): boolean {
  return ch > 32 && ch < 127;
}

/** Per participant-session of trials.csv (first-seen order): ids and scorable good/bad-news counts. */
interface TrialsRead {
  psId: string[];
  psSession: string[];
  psGood: Int32Array;
  psBad: Int32Array;
}

/**
 * The rows of trials.csv: the reference, event, duplicate and number checks of the format (in this
 * order within a row, rows in file order), one Trial per row into `trials`, and the scorable
 * good/bad-news counts per participant-session for the cross-file checks. Participant, session and
 * event ids are interned (one string per distinct id). On a table with field offsets the common cells
 * (ids that need no trimming, plain numbers) are read from the text without cutting strings; every
 * other cell goes through CellReader, the one definition of the messages.
 */
function readTrials(
  table: Table,
  col: Record<string, number>,
  c: Collector,
  groupOf: Map<string, string> | null,
  sessions: Set<string> | null,
  progress: (r: number, total: number) => void,
  trials: Trial[],
): TrialsRead {
  const file = "trials.csv";
  const cell = new CellReader(file, table, col, c);
  const fields = table.fields;
  const text = fields ? fields.text : "";
  const ids = new Interner(text);
  const emptyId = ids.of("");
  const events = new Interner(text);
  const emptyEvent = events.of("");
  // Per interned id: declared participant / session (0 not yet looked up, 1 yes, 2 no).
  let knownParticipant: Uint8Array = new Uint8Array(256);
  let knownSession: Uint8Array = new Uint8Array(256);
  const psId: string[] = [];
  const psSession: string[] = [];
  let psGood: Int32Array = new Int32Array(256);
  let psBad: Int32Array = new Int32Array(256);
  // Participant-session by (participant id, session id); per participant-session, the first line of each event id.
  const psOf = new Map<number, number>();
  const psOfLarge = new Map<string, number>();
  // lineOf[ps * stride + event id]: line of the first trial of that event in that participant-session (0: none).
  let stride = 64;
  let lineOf: Int32Array = new Int32Array(256 * stride);
  let lastPid = -1;
  let lastSess = -1;
  let lastPs = -1;
  // Text range of the last participant / session id read from the text (to recognise a repeat cheaply).
  let pidAt = -1;
  let sessAt = -1;
  const cPid = col.participant_id;
  const cSession = col.session;
  const cEvent = col.event_id;
  const cE1 = col.first_estimate;
  const cBr = col.base_rate;
  const cE2 = col.second_estimate;
  const sessionList = sessions ? [...sessions].join(", ") : "";
  /** Same characters at text[a..a+len) and text[b..b+len). */
  const sameRange = (a: number, b: number, len: number): boolean => {
    for (let k = 0; k < len; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
    return true;
  };
  const total = table.nRows;
  let s0 = 0;
  let e0 = 0;
  /**
   * Kind of cell k of row r, its bounds in s0, e0: EMPTY (no such field, or empty), PLAIN (printable
   * ASCII without outer spaces: needs no trimming), OTHER.
   */
  const EMPTY = 0;
  const PLAIN = 1;
  const OTHER = 2;
  const kindOf = (r: number, k: number): number => {
    if (!fieldBounds(fields!, r, k)) return EMPTY;
    s0 = BOUNDS[0];
    e0 = BOUNDS[1];
    if (s0 === e0) return EMPTY;
    return solid(text.charCodeAt(s0)) && solid(text.charCodeAt(e0 - 1)) ? PLAIN : OTHER;
  };
  const numOf = (r: number, k: number, name: string): number | null => {
    if (fields) {
      if (!fieldBounds(fields, r, k) || BOUNDS[0] === BOUNDS[1]) return null; // empty cell: optional
      const x = plainNumber(text, BOUNDS[0], BOUNDS[1], 0, 100);
      if (x === x) return x;
    }
    return cell.num(name, 0, 100, OPTIONAL);
  };
  for (let r = 0; r < total; r++) {
    if (r % PROGRESS_EVERY === 0) progress(r, total);
    cell.at(r);
    const line = table.lines[r];
    // Participant and session ids.
    let pidId: number;
    let sessId: number;
    if (fields) {
      let kind = kindOf(r, cPid);
      if (kind === PLAIN) {
        if (pidAt >= 0 && e0 - s0 === ids.strings[lastPid].length && sameRange(s0, pidAt, e0 - s0)) pidId = lastPid;
        else pidId = ids.range(s0, e0);
        pidAt = s0;
      } else {
        pidId = kind === EMPTY ? emptyId : ids.of(cell.str("participant_id"));
        pidAt = -1;
      }
      kind = kindOf(r, cSession);
      if (kind === PLAIN) {
        if (sessAt >= 0 && e0 - s0 === ids.strings[lastSess].length && sameRange(s0, sessAt, e0 - s0)) sessId = lastSess;
        else sessId = ids.range(s0, e0);
        sessAt = s0;
      } else {
        sessId = kind === EMPTY ? emptyId : ids.of(cell.str("session"));
        sessAt = -1;
      }
    } else {
      pidId = ids.of(cell.str("participant_id"));
      sessId = ids.of(cell.str("session"));
    }
    const id = ids.strings[pidId];
    const session = ids.strings[sessId];
    // References (checkRef).
    if (groupOf) {
      if (pidId >= knownParticipant.length) knownParticipant = grownBytes(knownParticipant, pidId + 1);
      if (knownParticipant[pidId] === 0) knownParticipant[pidId] = groupOf.has(id) ? 1 : 2;
      if (knownParticipant[pidId] !== 1)
        c.error({ file, line, column: col.participant_id + 1, field: "participant_id", message: `participant ${show(id)} is not declared in participants.csv` });
    }
    if (sessions) {
      if (sessId >= knownSession.length) knownSession = grownBytes(knownSession, sessId + 1);
      if (knownSession[sessId] === 0) knownSession[sessId] = sessions.has(session) ? 1 : 2;
      if (knownSession[sessId] !== 1)
        c.error({ file, line, column: col.session + 1, field: "session", message: `expected one of the sessions declared in study.json (${sessionList}), got ${show(session)}` });
    }
    // Event id.
    let evId: number;
    if (fields) {
      const kind = kindOf(r, cEvent);
      evId = kind === PLAIN ? events.range(s0, e0) : kind === EMPTY ? emptyEvent : events.of(cell.str("event_id"));
    } else evId = events.of(cell.str("event_id"));
    const event = events.strings[evId];
    if (event === "") c.error({ file, line, column: col.event_id + 1, field: "event_id", message: "expected an event id, got an empty cell" });
    // Duplicate trial: the same participant, session and event id.
    let ps: number;
    if (pidId === lastPid && sessId === lastSess) ps = lastPs;
    else {
      const found = sessId < 4194304 ? psOf.get(pidId * 4194304 + sessId) : psOfLarge.get(`${pidId},${sessId}`);
      if (found !== undefined) ps = found;
      else {
        ps = psId.length;
        if (sessId < 4194304) psOf.set(pidId * 4194304 + sessId, ps);
        else psOfLarge.set(`${pidId},${sessId}`, ps);
        psId.push(id);
        psSession.push(session);
        if (ps >= psGood.length) {
          psGood = grownInts(psGood, ps + 1);
          psBad = grownInts(psBad, ps + 1);
          lineOf = grownInts(lineOf, psGood.length * stride);
        }
      }
      lastPid = pidId;
      lastSess = sessId;
      lastPs = ps;
    }
    if (evId >= stride) {
      // More distinct event ids than the layout has room for: widen every participant-session's row.
      let wider = stride * 2;
      while (wider <= evId) wider *= 2;
      const g = new Int32Array(psGood.length * wider);
      for (let q = 0; q < psId.length; q++) g.set(lineOf.subarray(q * stride, (q + 1) * stride), q * wider);
      lineOf = g;
      stride = wider;
    }
    const first = lineOf[ps * stride + evId];
    if (first !== 0)
      c.error({ file, line, message: `duplicate trial: participant ${show(id)}, session ${show(session)}, event ${show(event)} already on line ${first}` });
    else lineOf[ps * stride + evId] = line;
    // Estimates.
    const e1 = numOf(r, cE1, "first_estimate");
    const br = numOf(r, cBr, "base_rate");
    const e2 = numOf(r, cE2, "second_estimate");
    trials.push({ participant_id: id, session, event_id: event, first_estimate: e1, base_rate: br, second_estimate: e2 });
    if (e1 !== null && br !== null && e2 !== null) {
      if (br < e1) psGood[ps]++;
      else if (br > e1) psBad[ps]++;
    }
  }
  progress(total, total);
  return { psId, psSession, psGood, psBad };
}

function grownBytes(a: Uint8Array, need: number): Uint8Array {
  const g = new Uint8Array(Math.max(a.length * 2, need));
  g.set(a);
  return g;
}

function grownInts(a: Int32Array, need: number): Int32Array {
  const g = new Int32Array(Math.max(a.length * 2, need));
  g.set(a);
  return g;
}

export function validateStudy(files: StudyFiles, options: ValidateOptions = {}): ValidationResult {
  const c = new Collector(options.maxErrors ?? 50);
  const maxBytes = options.maxFileBytes ?? 64 * 2 ** 20;
  const progress = (file: string, r: number, total: number) => {
    if (options.onProgress && (r % PROGRESS_EVERY === 0 || r === total)) options.onProgress(file, r, total);
  };
  const minPerValence = options.minTrialsPerValence ?? 10;
  const meta = validateMeta(files["study.json"], c);
  // The design decides which files and columns are needed; null: study.json names an unknown design.
  const design: StudyDesign | null = meta ? (meta.design ?? "belief-updating") : declaredDesign(files["study.json"]);
  const trialDesign = design === "crossover" || design === "parallel";
  const groups = meta && design !== "crossover" ? new Set([meta.groups.reference, meta.groups.treatment]) : null;
  const sequences = meta && design === "crossover" ? meta.sequences ?? {} : null;
  const sessions = meta ? new Set(meta.sessions) : null;

  // participants.csv
  const participants: Participant[] = [];
  const groupOf = new Map<string, string>();
  const participantLines = new Map<string, number>();
  const pt = readTable("participants.csv", files["participants.csv"], c, maxBytes);
  if (pt) {
    const { table, col } = pt;
    const file = "participants.csv";
    const required = new Set(REQUIRED_COLUMNS[file]);
    const cell = new CellReader(file, table, col, c);
    for (let r = 0; r < table.nRows; r++) {
      cell.at(r);
      const line = table.lines[r];
      const id = cell.str("participant_id");
      if (id === "") c.error({ file, line, column: col.participant_id + 1, field: "participant_id", message: "expected a participant id, got an empty cell" });
      else if (groupOf.has(id)) c.error({ file, line, column: col.participant_id + 1, field: "participant_id", message: `participant ${show(id)} is listed twice` });
      const group = cell.str("group");
      if (groups && !groups.has(group))
        c.error({ file, line, column: col.group + 1, field: "group", message: `expected one of the groups declared in study.json (${[...groups].map((x) => JSON.stringify(x)).join(", ")}), got ${show(group)}` });
      if (sequences && !Object.hasOwn(sequences, group))
        c.error({ file, line, column: col.group + 1, field: "group", message: `expected one of the sequences declared in study.json (${Object.keys(sequences).map((x) => JSON.stringify(x)).join(", ")}), got ${show(group)}` });
      const age = cell.num("age", 10, 110, { what: "an age in years from 10 to 110" });
      const sex = cell.str("sex");
      if (sex === "") c.error({ file, line, column: col.sex + 1, field: "sex", message: "expected a value (for example F or M), got an empty cell" });
      const edu = cell.num("education_years", 0, 40, { what: "years of education from 0 to 40" });
      if (id !== "" && !groupOf.has(id)) {
        groupOf.set(id, group);
        participantLines.set(id, line);
        const extra: Record<string, string> = {};
        table.header.forEach((h, i) => {
          if (!required.has(h)) extra[h] = table.raw(r, i);
        });
        participants.push({ participant_id: id, group, age: age ?? NaN, sex, education_years: edu ?? NaN, extra });
      }
    }
    if (table.nRows === 0) c.error({ file, line: 2, message: "expected at least one participant, got none" });
  }

  const checkRef = (file: string, cell: CellReader, col: Record<string, number>, line: number) => {
    const id = cell.str("participant_id");
    const session = cell.str("session");
    if (pt && !groupOf.has(id))
      c.error({ file, line, column: col.participant_id + 1, field: "participant_id", message: `participant ${show(id)} is not declared in participants.csv` });
    if (sessions && !sessions.has(session))
      c.error({ file, line, column: col.session + 1, field: "session", message: `expected one of the sessions declared in study.json (${[...sessions].join(", ")}), got ${show(session)}` });
    return { id, session };
  };

  // trials.csv (belief-updating studies only)
  const trials: Trial[] = [];
  const tt = design === "belief-updating" ? readTable("trials.csv", files["trials.csv"], c, maxBytes) : null;
  if (trialDesign && files["trials.csv"] !== undefined)
    c.warn({ file: "trials.csv", message: `not used by a ${design} study (ignored)` });
  const read: TrialsRead = tt
    ? readTrials(tt.table, tt.col, c, pt ? groupOf : null, sessions, (r, total) => progress("trials.csv", r, total), trials)
    : { psId: [], psSession: [], psGood: new Int32Array(0), psBad: new Int32Array(0) };
  const { psId, psSession, psGood, psBad } = read;

  // clinical.csv
  const clinical: ClinicalRow[] = [];
  const secondaryScales = meta?.secondary_scales ?? [];
  const clinicalRequired = [...REQUIRED_COLUMNS["clinical.csv"], ...(design ? DESIGN_CLINICAL_COLUMNS[design] : []), ...secondaryScales.map((x) => x.column)];
  const ct = readTable("clinical.csv", files["clinical.csv"], c, maxBytes, clinicalRequired);
  if (ct) {
    const { table, col } = ct;
    const file = "clinical.csv";
    const seen = new Map<string, number>();
    const scale = meta?.clinical_scale;
    const crossover = design === "crossover";
    const conditions = meta?.conditions ? new Set(meta.conditions) : null;
    const nPeriods = meta?.conditions?.length ?? 2;
    const cell = new CellReader(file, table, col, c);
    for (let r = 0; r < table.nRows; r++) {
      cell.at(r);
      const line = table.lines[r];
      const { id, session } = checkRef(file, cell, col, line);
      let condition = "";
      let period: number | null = null;
      if (crossover) {
        condition = cell.str("condition");
        if (conditions && !conditions.has(condition))
          c.error({ file, line, column: col.condition + 1, field: "condition", message: `expected one of the conditions declared in study.json (${[...conditions].map((x) => JSON.stringify(x)).join(", ")}), got ${show(condition)}` });
        const rawPeriod = cell.str("period");
        period = cell.num("period", 1, nPeriods, { what: `a period number from 1 to ${nPeriods}` });
        if (period !== null && !Number.isInteger(period)) {
          c.error({ file, line, column: col.period + 1, field: "period", message: `expected a period number from 1 to ${nPeriods}, got ${show(rawPeriod)}` });
          period = null;
        }
        // The period must agree with the participant's sequence (participants.csv group).
        const seq = sequences && groupOf.has(id) ? sequences[groupOf.get(id)!] : undefined;
        if (seq && period !== null && conditions?.has(condition) && seq[period - 1] !== condition)
          c.error({ file, line, column: col.period + 1, field: "period", message: `expected period ${seq.indexOf(condition) + 1} for condition ${show(condition)}, as participant ${show(id)} is in sequence ${show(groupOf.get(id)!)} (${seq.join(", ")}), got ${show(rawPeriod)}` });
      }
      const key = crossover ? `${id}\u0000${condition}\u0000${session}` : `${id}\u0000${session}`;
      const first = seen.get(key);
      if (first !== undefined)
        c.error({ file, line, message: crossover
          ? `duplicate score: participant ${show(id)}, condition ${show(condition)}, session ${show(session)} already on line ${first}`
          : `duplicate score: participant ${show(id)}, session ${show(session)} already on line ${first}` });
      else seen.set(key, line);
      const score = scale
        ? cell.num("score", scale.min, scale.max, { optional: true, what: `a ${scale.name} score from ${scale.min} to ${scale.max}` })
        : null;
      const row: ClinicalRow = crossover ? { participant_id: id, condition, period: period ?? NaN, session, score } : { participant_id: id, session, score };
      if (secondaryScales.length) {
        row.secondary = {};
        for (const x of secondaryScales)
          row.secondary[x.column] = cell.num(x.column, x.min, x.max, { optional: true, what: `a ${x.name} score from ${x.min} to ${x.max}` });
      }
      clinical.push(row);
    }
  }

  // Cross-file checks of crossover and parallel studies.
  if (meta && trialDesign && pt && ct) checkTrialScores(meta, participants, participantLines, clinical, c);

  // Cross-file checks: every participant has trials; warnings for thin or missing sessions.
  if (meta && pt && tt) {
    // Scorable good/bad trials per participant and session (counted while reading trials.csv).
    const bySession = new Map<string, Map<string, { good: number; bad: number }>>();
    for (let ps = 0; ps < psId.length; ps++) {
      let m = bySession.get(psId[ps]);
      if (!m) bySession.set(psId[ps], (m = new Map()));
      m.set(psSession[ps], { good: psGood[ps], bad: psBad[ps] });
    }
    const sessionsOfGroup = new Map<string, Set<string>>();
    for (const p of participants) {
      const m = bySession.get(p.participant_id);
      if (!m) continue;
      let s = sessionsOfGroup.get(p.group);
      if (!s) sessionsOfGroup.set(p.group, (s = new Set()));
      for (const k of m.keys()) s.add(k);
    }
    for (const p of participants) {
      const m = bySession.get(p.participant_id);
      if (!m) {
        const where = participantLines.get(p.participant_id);
        c.error({ file: "participants.csv", line: where, column: 1, field: "participant_id", message: `participant ${show(p.participant_id)} has no trials in trials.csv` });
        continue;
      }
      for (const session of meta.sessions) {
        const n = m.get(session);
        if (!n) {
          if (sessionsOfGroup.get(p.group)?.has(session))
            c.warn({ file: "trials.csv", message: `participant ${show(p.participant_id)} has no trials in session ${show(session)}, which others of group ${show(p.group)} have` });
          continue;
        }
        for (const v of ["good", "bad"] as const) {
          if (n[v] < minPerValence)
            c.warn({ file: "trials.csv", message: `participant ${show(p.participant_id)}, session ${show(session)}: only ${n[v]} scorable ${v}-news trial${n[v] === 1 ? "" : "s"} (fewer than ${minPerValence})` });
        }
      }
    }
  }

  const ok = c.errors.length === 0 && c.moreErrors === 0;
  return {
    ok,
    study: ok && meta ? { meta, participants, trials, clinical } : null,
    errors: c.errors,
    warnings: c.warnings,
    moreErrors: c.moreErrors,
  };
}

/**
 * Crossover and parallel studies: every participant has scores; warnings for what the analyses
 * will leave out (a condition without scores, a missing baseline or time point, a zero baseline).
 */
function checkTrialScores(meta: StudyMeta, participants: readonly Participant[], participantLines: Map<string, number>, clinical: readonly ClinicalRow[], c: Collector): void {
  const crossover = meta.design === "crossover";
  const scaleName = meta.clinical_scale.name;
  const [baseline, ...later] = meta.sessions;
  const byParticipant = new Map<string, ClinicalRow[]>();
  for (const r of clinical) {
    let list = byParticipant.get(r.participant_id);
    if (!list) byParticipant.set(r.participant_id, (list = []));
    list.push(r);
  }
  const file = "clinical.csv";
  for (const p of participants) {
    const rows = byParticipant.get(p.participant_id);
    if (!rows) {
      c.error({ file: "participants.csv", line: participantLines.get(p.participant_id), column: 1, field: "participant_id", message: `participant ${show(p.participant_id)} has no scores in clinical.csv` });
      continue;
    }
    const cells: (string | undefined)[] = crossover ? meta.conditions! : [undefined];
    for (const condition of cells) {
      const mine = crossover ? rows.filter((r) => r.condition === condition) : rows;
      const under = condition === undefined ? "" : ` under condition ${show(condition)}`;
      if (crossover && mine.length === 0) {
        c.warn({ file, message: `participant ${show(p.participant_id)} has no scores${under}: kept in the mixed models, left out of the paired analyses (McNemar, carry-over)` });
        continue;
      }
      const at = (session: string) => mine.find((r) => r.session === session)?.score ?? null;
      const base = at(baseline);
      if (base === null)
        c.warn({ file, message: `participant ${show(p.participant_id)} has no baseline ${scaleName} score (${show(baseline)})${under}: no change from baseline can be computed${crossover ? " in this condition" : ""}` });
      else if (base === 0)
        c.warn({ file, message: `participant ${show(p.participant_id)} has a baseline ${scaleName} score of 0${under}: the percent reduction and response are undefined` });
      for (const session of later) {
        if (at(session) === null)
          c.warn({ file, message: `participant ${show(p.participant_id)} has no ${scaleName} score at ${show(session)}${under}: left out of the analyses of that time point` });
      }
    }
  }
}
