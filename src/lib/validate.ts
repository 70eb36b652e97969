/**
 * The one validator of the study folder format (README, "The study folder format").
 * Pure: it takes the files' text, never touches the file system, and is used alike by the
 * data loaders, the command line and the browser. Every problem names the file, line and
 * column and says what was expected; all problems are collected (up to a cap).
 */
import { CsvLimitError, parseCsv, type CsvTable } from "./csv.js";
import { jsonErrorOffset } from "./json-position.js";
import type { ClinicalRow, Participant, Study, StudyMeta, Trial } from "./types.js";

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

export const STUDY_FILES = ["study.json", "participants.csv", "trials.csv", "clinical.csv"] as const;
export type StudyFileName = (typeof STUDY_FILES)[number];
export type StudyFiles = Partial<Record<StudyFileName, string>>;

export const REQUIRED_COLUMNS: Record<Exclude<StudyFileName, "study.json">, string[]> = {
  "participants.csv": ["participant_id", "group", "age", "sex", "education_years"],
  "trials.csv": ["participant_id", "session", "event_id", "first_estimate", "base_rate", "second_estimate"],
  "clinical.csv": ["participant_id", "session", "score"],
};

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
  const g = o.groups as Record<string, unknown> | undefined;
  if (typeof g !== "object" || g === null || typeof g.reference !== "string" || typeof g.treatment !== "string" || g.reference === "" || g.treatment === "")
    c.error({ file, ...at("groups"), field: "groups", message: `expected {"reference": "<label>", "treatment": "<label>"}, got ${JSON.stringify(o.groups ?? null)}` });
  else if (g.reference === g.treatment)
    c.error({ file, ...at("groups"), field: "groups", message: `expected two different labels, got "${g.reference}" twice` });
  const s = o.sessions;
  if (!Array.isArray(s) || s.length === 0 || !s.every((x) => typeof x === "string" && x !== ""))
    c.error({ file, ...at("sessions"), field: "sessions", message: `expected a non-empty list of session ids (the first is the baseline), got ${JSON.stringify(s ?? null)}` });
  else if (new Set(s).size !== s.length)
    c.error({ file, ...at("sessions"), field: "sessions", message: `expected unique session ids, got ${JSON.stringify(s)}` });
  const cs = o.clinical_scale as Record<string, unknown> | undefined;
  if (typeof cs !== "object" || cs === null || typeof cs.name !== "string" || typeof cs.min !== "number" || typeof cs.max !== "number" || !(cs.min < cs.max))
    c.error({ file, ...at("clinical_scale"), field: "clinical_scale", message: `expected {"name": "MADRS", "min": 0, "max": 60} with min < max, got ${JSON.stringify(o.clinical_scale ?? null)}` });
  if (c.errors.length + c.moreErrors > before) return null;
  return {
    id: o.id as string,
    title: o.title as string,
    description: o.description as string,
    citation: o.citation as string,
    synthetic: o.synthetic as boolean,
    groups: { reference: g!.reference as string, treatment: g!.treatment as string },
    sessions: [...(s as string[])],
    clinical_scale: { name: cs!.name as string, min: cs!.min as number, max: cs!.max as number },
  };
}

/** Parse a CSV file and check its required columns; returns column indices by name. */
function readTable(
  file: Exclude<StudyFileName, "study.json">,
  text: string | undefined,
  c: Collector,
  maxBytes: number,
): { table: CsvTable; col: Record<string, number> } | null {
  if (text === undefined) {
    c.error({ file, message: `file is missing: expected ${file} with columns ${REQUIRED_COLUMNS[file].join(", ")}` });
    return null;
  }
  if (text.length > maxBytes) {
    const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`;
    c.error({ file, line: 1, message: `file is ${mb(text.length)}; the kit reads files up to ${mb(maxBytes)} (split the study, or aggregate trials first)` });
    return null;
  }
  let table: CsvTable;
  try {
    table = parseCsv(text);
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
  for (const name of REQUIRED_COLUMNS[file]) {
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
  table.rows.forEach((row, r) => {
    if (row.length !== table.header.length)
      c.error({ file, line: table.lines[r], message: `expected ${table.header.length} fields as in the header, got ${row.length}` });
  });
  return { table, col };
}

interface CellReader {
  str(name: string): string;
  num(name: string, lo: number, hi: number, opts?: { optional?: boolean; what?: string }): number | null;
}

function cellReader(file: string, table: CsvTable, col: Record<string, number>, r: number, c: Collector): CellReader {
  const row = table.rows[r];
  const line = table.lines[r];
  const raw = (name: string) => (row[col[name]] ?? "").trim();
  return {
    str: raw,
    num(name, lo, hi, opts = {}) {
      const v = raw(name);
      const column = col[name] + 1;
      const expected = `expected ${opts.what ?? `a number from ${lo} to ${hi}`}`;
      if (v === "") {
        if (opts.optional) return null;
        c.error({ file, line, column, field: name, message: `${expected}, got an empty cell` });
        return null;
      }
      let text = v;
      if (DECIMAL_COMMA.test(v)) {
        if (table.delimiter === ";") text = v.replace(",", ".");
        else {
          c.error({ file, line, column, field: name, message: `${expected}, got ${show(v)} (a decimal comma? write ${show(v.replace(",", "."))}, or save the file separated by semicolons)` });
          return null;
        }
      }
      if (!NUMBER.test(text)) {
        c.error({ file, line, column, field: name, message: `${expected}, got ${show(v)}` });
        return null;
      }
      const x = Number(text);
      if (!(x >= lo && x <= hi)) {
        c.error({ file, line, column, field: name, message: `${expected}, got ${show(v)}` });
        return null;
      }
      return x;
    },
  };
}

export function validateStudy(files: StudyFiles, options: ValidateOptions = {}): ValidationResult {
  const c = new Collector(options.maxErrors ?? 50);
  const maxBytes = options.maxFileBytes ?? 64 * 2 ** 20;
  const progress = (file: string, r: number, total: number) => {
    if (options.onProgress && (r % PROGRESS_EVERY === 0 || r === total)) options.onProgress(file, r, total);
  };
  const minPerValence = options.minTrialsPerValence ?? 10;
  const meta = validateMeta(files["study.json"], c);
  const groups = meta ? new Set([meta.groups.reference, meta.groups.treatment]) : null;
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
    table.rows.forEach((row, r) => {
      const cell = cellReader(file, table, col, r, c);
      const line = table.lines[r];
      const id = cell.str("participant_id");
      if (id === "") c.error({ file, line, column: col.participant_id + 1, field: "participant_id", message: "expected a participant id, got an empty cell" });
      else if (groupOf.has(id)) c.error({ file, line, column: col.participant_id + 1, field: "participant_id", message: `participant ${show(id)} is listed twice` });
      const group = cell.str("group");
      if (groups && !groups.has(group))
        c.error({ file, line, column: col.group + 1, field: "group", message: `expected one of the groups declared in study.json (${[...groups].map((x) => JSON.stringify(x)).join(", ")}), got ${show(group)}` });
      const age = cell.num("age", 10, 110, { what: "an age in years from 10 to 110" });
      const sex = cell.str("sex");
      if (sex === "") c.error({ file, line, column: col.sex + 1, field: "sex", message: "expected a value (for example F or M), got an empty cell" });
      const edu = cell.num("education_years", 0, 40, { what: "years of education from 0 to 40" });
      if (id !== "" && !groupOf.has(id)) {
        groupOf.set(id, group);
        participantLines.set(id, line);
        const extra: Record<string, string> = {};
        table.header.forEach((h, i) => {
          if (!required.has(h)) extra[h] = row[i] ?? "";
        });
        participants.push({ participant_id: id, group, age: age ?? NaN, sex, education_years: edu ?? NaN, extra });
      }
    });
    if (table.rows.length === 0) c.error({ file, line: 2, message: "expected at least one participant, got none" });
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

  // trials.csv
  const trials: Trial[] = [];
  const tt = readTable("trials.csv", files["trials.csv"], c, maxBytes);
  if (tt) {
    const { table, col } = tt;
    const file = "trials.csv";
    const seen = new Map<string, number>();
    table.rows.forEach((_, r) => {
      progress(file, r, table.rows.length);
      const cell = cellReader(file, table, col, r, c);
      const line = table.lines[r];
      const { id, session } = checkRef(file, cell, col, line);
      const event = cell.str("event_id");
      if (event === "") c.error({ file, line, column: col.event_id + 1, field: "event_id", message: "expected an event id, got an empty cell" });
      const key = `${id}\u0000${session}\u0000${event}`;
      const first = seen.get(key);
      if (first !== undefined)
        c.error({ file, line, message: `duplicate trial: participant ${show(id)}, session ${show(session)}, event ${show(event)} already on line ${first}` });
      else seen.set(key, line);
      const e1 = cell.num("first_estimate", 0, 100, { optional: true });
      const br = cell.num("base_rate", 0, 100, { optional: true });
      const e2 = cell.num("second_estimate", 0, 100, { optional: true });
      trials.push({ participant_id: id, session, event_id: event, first_estimate: e1, base_rate: br, second_estimate: e2 });
    });
    progress(file, table.rows.length, table.rows.length);
  }

  // clinical.csv
  const clinical: ClinicalRow[] = [];
  const ct = readTable("clinical.csv", files["clinical.csv"], c, maxBytes);
  if (ct) {
    const { table, col } = ct;
    const file = "clinical.csv";
    const seen = new Map<string, number>();
    const scale = meta?.clinical_scale;
    table.rows.forEach((_, r) => {
      const cell = cellReader(file, table, col, r, c);
      const line = table.lines[r];
      const { id, session } = checkRef(file, cell, col, line);
      const key = `${id}\u0000${session}`;
      const first = seen.get(key);
      if (first !== undefined) c.error({ file, line, message: `duplicate score: participant ${show(id)}, session ${show(session)} already on line ${first}` });
      else seen.set(key, line);
      const score = scale
        ? cell.num("score", scale.min, scale.max, { optional: true, what: `a ${scale.name} score from ${scale.min} to ${scale.max}` })
        : null;
      clinical.push({ participant_id: id, session, score });
    });
  }

  // Cross-file checks: every participant has trials; warnings for thin or missing sessions.
  if (meta && pt && tt) {
    const bySession = new Map<string, Map<string, { good: number; bad: number }>>();
    for (const t of trials) {
      let m = bySession.get(t.participant_id);
      if (!m) bySession.set(t.participant_id, (m = new Map()));
      let n = m.get(t.session);
      if (!n) m.set(t.session, (n = { good: 0, bad: 0 }));
      const { first_estimate: e1, base_rate: br, second_estimate: e2 } = t;
      if (e1 !== null && br !== null && e2 !== null) {
        if (br < e1) n.good++;
        else if (br > e1) n.bad++;
      }
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
