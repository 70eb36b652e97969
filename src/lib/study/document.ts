/** The study document that the data loaders write (src/studies/[study]/study.json.ts), and its reader. */
import type { ClinicalRow, Participant, Study, StudyEvent, StudyMeta, Trial } from "./types.js";
import type { ValidationIssue } from "./validate/index.js";

export interface StudyDocument {
  meta: StudyMeta;
  participants: Participant[];
  trials: {
    participant_id: string[];
    session: string[];
    event_id: string[];
    first_estimate: (number | null)[];
    base_rate: (number | null)[];
    second_estimate: (number | null)[];
    /** Optional columns, present when the study has them. */
    estimated_base_rate?: (number | null)[];
    recalled_base_rate?: (number | null)[];
    extra?: Record<string, string>[];
  };
  clinical: ClinicalRow[];
  events?: StudyEvent[];
  warnings: ValidationIssue[];
}

export function studyFromDocument(doc: StudyDocument): Study & { warnings: ValidationIssue[] } {
  const c = doc.trials;
  const trials: Trial[] = new Array(c.participant_id.length);
  for (let i = 0; i < trials.length; i++)
    trials[i] = {
      participant_id: c.participant_id[i],
      session: c.session[i],
      event_id: c.event_id[i],
      first_estimate: c.first_estimate[i],
      base_rate: c.base_rate[i],
      second_estimate: c.second_estimate[i],
    };
  if (c.estimated_base_rate) for (let i = 0; i < trials.length; i++) trials[i].estimated_base_rate = c.estimated_base_rate[i];
  if (c.recalled_base_rate) for (let i = 0; i < trials.length; i++) trials[i].recalled_base_rate = c.recalled_base_rate[i];
  if (c.extra) for (let i = 0; i < trials.length; i++) trials[i].extra = c.extra[i];
  const study: Study & { warnings: ValidationIssue[] } = { meta: doc.meta, participants: doc.participants, trials, clinical: doc.clinical, warnings: doc.warnings };
  if (doc.events) study.events = doc.events;
  return study;
}

/** The document form of a validated study (what the data loader writes, and what the worker takes). */
export function studyToDocument(study: Study, warnings: ValidationIssue[] = []): StudyDocument {
  const t = study.trials;
  const doc: StudyDocument = {
    meta: study.meta,
    participants: study.participants,
    trials: {
      participant_id: t.map((x) => x.participant_id),
      session: t.map((x) => x.session),
      event_id: t.map((x) => x.event_id),
      first_estimate: t.map((x) => x.first_estimate),
      base_rate: t.map((x) => x.base_rate),
      second_estimate: t.map((x) => x.second_estimate),
    },
    clinical: study.clinical,
    warnings,
  };
  if (t.some((x) => x.estimated_base_rate !== undefined)) doc.trials.estimated_base_rate = t.map((x) => x.estimated_base_rate ?? null);
  if (t.some((x) => x.recalled_base_rate !== undefined)) doc.trials.recalled_base_rate = t.map((x) => x.recalled_base_rate ?? null);
  if (t.some((x) => x.extra !== undefined)) doc.trials.extra = t.map((x) => x.extra ?? {});
  if (study.events) doc.events = study.events;
  return doc;
}

/**
 * The trials as typed arrays and id dictionaries: what the validation worker sends to the page.
 * Structured cloning a million trial objects takes seconds (and blocks the page while it is
 * decoded); these arrays are transferred without a copy, and the page rebuilds the trials with
 * one string per distinct id, as the validator made them.
 */
export interface PackedTrials {
  n: number;
  participants: string[];
  sessions: string[];
  events: string[];
  participant: Int32Array;
  session: Int32Array;
  event: Int32Array;
  first_estimate: Float64Array;
  base_rate: Float64Array;
  second_estimate: Float64Array;
  /** Per trial: bit 1 first_estimate, 2 base_rate, 4 second_estimate, 8 estimated_base_rate, 16 recalled_base_rate is null. */
  nulls: Uint8Array;
  /** The optional columns, when the trials have them. */
  estimated_base_rate?: Float64Array;
  recalled_base_rate?: Float64Array;
  extra?: Record<string, string>[];
}

export function packTrials(trials: readonly Trial[]): PackedTrials {
  const n = trials.length;
  const codes = () => {
    const index = new Map<string, number>();
    const values: string[] = [];
    return {
      values,
      code(s: string): number {
        let c = index.get(s);
        if (c === undefined) {
          c = values.length;
          index.set(s, c);
          values.push(s);
        }
        return c;
      },
    };
  };
  const p = codes();
  const s = codes();
  const e = codes();
  const out: PackedTrials = {
    n,
    participants: p.values,
    sessions: s.values,
    events: e.values,
    participant: new Int32Array(n),
    session: new Int32Array(n),
    event: new Int32Array(n),
    first_estimate: new Float64Array(n),
    base_rate: new Float64Array(n),
    second_estimate: new Float64Array(n),
    nulls: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const t = trials[i];
    out.participant[i] = p.code(t.participant_id);
    out.session[i] = s.code(t.session);
    out.event[i] = e.code(t.event_id);
    let nulls = 0;
    if (t.first_estimate === null) nulls |= 1;
    else out.first_estimate[i] = t.first_estimate;
    if (t.base_rate === null) nulls |= 2;
    else out.base_rate[i] = t.base_rate;
    if (t.second_estimate === null) nulls |= 4;
    else out.second_estimate[i] = t.second_estimate;
    out.nulls[i] = nulls;
  }
  for (const [key, bit] of [["estimated_base_rate", 8], ["recalled_base_rate", 16]] as const) {
    if (!trials.some((t) => t[key] !== undefined)) continue;
    const a = (out[key] = new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const v = trials[i][key];
      if (v === null || v === undefined) out.nulls[i] |= bit;
      else a[i] = v;
    }
  }
  if (trials.some((t) => t.extra !== undefined)) out.extra = trials.map((t) => t.extra ?? {});
  return out;
}

/** The typed arrays of a PackedTrials (to transfer with postMessage). */
export function packedBuffers(p: PackedTrials): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [p.participant, p.session, p.event, p.first_estimate, p.base_rate, p.second_estimate, p.nulls];
  if (p.estimated_base_rate) arrays.push(p.estimated_base_rate);
  if (p.recalled_base_rate) arrays.push(p.recalled_base_rate);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

export function unpackTrials(p: PackedTrials): Trial[] {
  const trials: Trial[] = new Array(p.n);
  const { participants, sessions, events, nulls } = p;
  for (let i = 0; i < p.n; i++) {
    const k = nulls[i];
    trials[i] = {
      participant_id: participants[p.participant[i]],
      session: sessions[p.session[i]],
      event_id: events[p.event[i]],
      first_estimate: k & 1 ? null : p.first_estimate[i],
      base_rate: k & 2 ? null : p.base_rate[i],
      second_estimate: k & 4 ? null : p.second_estimate[i],
    };
  }
  if (p.estimated_base_rate) for (let i = 0; i < p.n; i++) trials[i].estimated_base_rate = nulls[i] & 8 ? null : p.estimated_base_rate[i];
  if (p.recalled_base_rate) for (let i = 0; i < p.n; i++) trials[i].recalled_base_rate = nulls[i] & 16 ? null : p.recalled_base_rate[i];
  if (p.extra) for (let i = 0; i < p.n; i++) trials[i].extra = p.extra[i];
  return trials;
}
