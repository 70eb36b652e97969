/** trials.csv: every row checked and read into a Trial, ids interned, scorable news counted per participant-session. */
import { newsCode } from "../../task/news.js";
import type { Trial } from "../types.js";
import { BOUNDS, CellReader, fieldBounds, plainNumber, solid, type Table } from "./cells.js";
import { show, type Collector } from "./issues.js";
import { OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from "./format.js";
import type { EventsRead } from "./events.js";

const PROGRESS_EVERY = 50_000;
const OPTIONAL = { optional: true } as const;

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

/** Per participant-session of trials.csv (first-seen order): ids and scorable good/bad-news counts. */
export interface TrialsRead {
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
export function readTrials(
  table: Table,
  col: Record<string, number>,
  c: Collector,
  groupOf: Map<string, string> | null,
  sessions: Set<string> | null,
  eventList: EventsRead | null,
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
  const cEbr = "estimated_base_rate" in col ? col.estimated_base_rate : -1;
  const cRbr = "recalled_base_rate" in col ? col.recalled_base_rate : -1;
  // Further columns (ratings, ...), kept verbatim per trial.
  const known = new Set<string>([...REQUIRED_COLUMNS[file], ...OPTIONAL_COLUMNS[file]]);
  const extraColumns = table.header.map((h, i) => [h, i] as const).filter(([h]) => !known.has(h) && h !== "");
  // Per interned event id: 0 not yet looked up, 1 negative, 2 positive, 3 not in events.csv.
  let eventKind: Uint8Array = new Uint8Array(256);
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
    if (evId >= eventKind.length) eventKind = grownBytes(eventKind, evId + 1);
    if (eventKind[evId] === 0) eventKind[evId] = !eventList ? 1 : !eventList.lineOf.has(event) ? 3 : eventList.positive.has(event) ? 2 : 1;
    if (eventKind[evId] === 3 && event !== "")
      c.error({ file, line, column: col.event_id + 1, field: "event_id", message: `event ${show(event)} is not listed in events.csv (every event of trials.csv needs its valence there)` });
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
    const trial: Trial = { participant_id: id, session, event_id: event, first_estimate: e1, base_rate: br, second_estimate: e2 };
    if (cEbr >= 0) trial.estimated_base_rate = numOf(r, cEbr, "estimated_base_rate");
    if (cRbr >= 0) trial.recalled_base_rate = numOf(r, cRbr, "recalled_base_rate");
    if (extraColumns.length) {
      const extra: Record<string, string> = {};
      for (const [h, i] of extraColumns) extra[h] = table.raw(r, i);
      trial.extra = extra;
    }
    trials.push(trial);
    if (e1 !== null && br !== null && e2 !== null) {
      const g = newsCode(e1, br, eventKind[evId] === 2);
      if (g === 1) psGood[ps]++;
      else if (g === 0) psBad[ps]++;
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

