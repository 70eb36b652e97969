/** events.csv (optional): the valence of every event of trials.csv, and any further columns, kept. */
import type { StudyEvent } from "../types.js";
import { EVENT_VALENCES, REQUIRED_COLUMNS } from "./format.js";
import { CellReader, readTable } from "./cells.js";
import { show, type Collector } from "./issues.js";

export interface EventsRead {
  list: StudyEvent[];
  /** Line of each event id (for messages). */
  lineOf: Map<string, number>;
  /** Ids of the positive events (good news is then a base rate above the first estimate). */
  positive: Set<string>;
}

export function readEvents(text: string, c: Collector, maxBytes: number): EventsRead | null {
  const file = "events.csv";
  const t = readTable(file, text, c, maxBytes);
  if (!t) return null;
  const { table, col } = t;
  const known = new Set(REQUIRED_COLUMNS[file]);
  const cell = new CellReader(file, table, col, c);
  const out: EventsRead = { list: [], lineOf: new Map(), positive: new Set() };
  for (let r = 0; r < table.nRows; r++) {
    cell.at(r);
    const line = table.lines[r];
    const id = cell.str("event_id");
    const valence = cell.str("valence").toLowerCase();
    if (id === "") c.error({ file, line, column: col.event_id + 1, field: "event_id", message: "expected an event id, got an empty cell" });
    else if (out.lineOf.has(id)) c.error({ file, line, column: col.event_id + 1, field: "event_id", message: `event ${show(id)} is listed twice (first on line ${out.lineOf.get(id)})` });
    if (!(EVENT_VALENCES as readonly string[]).includes(valence))
      c.error({ file, line, column: col.valence + 1, field: "valence", message: `expected ${EVENT_VALENCES.join(" or ")} (is the event bad or good to have?), got ${show(cell.str("valence"))}` });
    if (id === "" || out.lineOf.has(id)) continue;
    out.lineOf.set(id, line);
    const extra: Record<string, string> = {};
    table.header.forEach((h, i) => {
      if (!known.has(h)) extra[h] = table.raw(r, i);
    });
    const v = valence === "positive" ? "positive" : "negative";
    if (v === "positive") out.positive.add(id);
    out.list.push({ event_id: id, valence: v, extra });
  }
  if (table.nRows === 0) c.error({ file, line: 2, message: "expected at least one event, got none" });
  return out;
}
