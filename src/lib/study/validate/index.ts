/**
 * The one validator of the study folder format (README, "The study folder format").
 * Pure: it takes the files' text, never touches the file system, and is used alike by the
 * data loaders, the command line and the browser. Every problem names the file, line and
 * column and says what was expected; all problems are collected (up to a cap).
 *
 *   issues.ts   what a problem says and how it is printed
 *   format.ts   the files and their required columns
 *   meta.ts     study.json
 *   cells.ts    reading CSV cells, with the number checks
 *   trials.ts   trials.csv
 *   rules.ts    cross-file rules of crossover and parallel studies
 */
import type { ClinicalRow, Participant, StudyDesign, Trial } from "../types.js";
import { DESIGN_CLINICAL_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, type StudyFiles } from "./format.js";
import { readEvents } from "./events.js";
import { Collector, show, type ValidateOptions, type ValidationResult } from "./issues.js";
import { declaredDesign, validateMeta } from "./meta.js";
import { CellReader, readTable } from "./cells.js";
import { readTrials, type TrialsRead } from "./trials.js";
import { checkTrialScores } from "./rules.js";

export * from "./issues.js";
export * from "./format.js";

const PROGRESS_EVERY = 50_000;

export function validateStudy(files: StudyFiles, options: ValidateOptions = {}): ValidationResult {
  const c = new Collector(options.maxErrors ?? 50);
  const maxBytes = options.maxFileBytes ?? 64 * 2 ** 20;
  const progress = (file: string, r: number, total: number) => {
    if (options.onProgress && (r % PROGRESS_EVERY === 0 || r === total)) options.onProgress(file, r, total);
  };
  const minPerValence = options.minTrialsPerValence ?? 10;
  const meta = validateMeta(files["study.json"], c, files["clinical.csv"] !== undefined);
  // The design decides which files and columns are needed; null: study.json names an unknown design.
  const design: StudyDesign | null = meta ? (meta.design ?? "belief-updating") : declaredDesign(files["study.json"]);
  const trialDesign = design === "crossover" || design === "parallel";
  const groups = meta && design !== "crossover" ? new Set(meta.groups.levels) : null;
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
    const known = new Set<string>([...REQUIRED_COLUMNS[file], ...OPTIONAL_COLUMNS[file]]);
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
      const age = "age" in col ? cell.num("age", 10, 110, { optional: true, what: "an age in years from 10 to 110 (or an empty cell: unknown)" }) : null;
      const sex = "sex" in col ? cell.str("sex") || null : null;
      const edu = "education_years" in col ? cell.num("education_years", 0, 40, { optional: true, what: "years of education from 0 to 40 (or an empty cell: unknown)" }) : null;
      if (id !== "" && !groupOf.has(id)) {
        groupOf.set(id, group);
        participantLines.set(id, line);
        const extra: Record<string, string> = {};
        table.header.forEach((h, i) => {
          if (!known.has(h)) extra[h] = table.raw(r, i);
        });
        participants.push({ participant_id: id, group, age, sex, education_years: edu, extra });
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

  // events.csv (optional): the valence of each event.
  const events = design === "belief-updating" && files["events.csv"] !== undefined ? readEvents(files["events.csv"], c, maxBytes) : null;
  if (trialDesign && files["events.csv"] !== undefined) c.warn({ file: "events.csv", message: `not used by a ${design} study (ignored)` });

  // trials.csv (belief-updating studies only)
  const trials: Trial[] = [];
  const tt = design === "belief-updating" ? readTable("trials.csv", files["trials.csv"], c, maxBytes) : null;
  if (trialDesign && files["trials.csv"] !== undefined)
    c.warn({ file: "trials.csv", message: `not used by a ${design} study (ignored)` });
  const read: TrialsRead = tt
    ? readTrials(tt.table, tt.col, c, pt ? groupOf : null, sessions, events, (r, total) => progress("trials.csv", r, total), trials)
    : { psId: [], psSession: [], psGood: new Int32Array(0), psBad: new Int32Array(0) };
  const { psId, psSession, psGood, psBad } = read;

  // clinical.csv
  const clinical: ClinicalRow[] = [];
  const secondaryScales = meta?.secondary_scales ?? [];
  const clinicalRequired = [...REQUIRED_COLUMNS["clinical.csv"], ...(design ? DESIGN_CLINICAL_COLUMNS[design] : []), ...secondaryScales.map((x) => x.column)];
  // Optional for a belief-updating study (study.json then needs no clinical_scale).
  const ct = files["clinical.csv"] === undefined && design === "belief-updating" ? null : readTable("clinical.csv", files["clinical.csv"], c, maxBytes, clinicalRequired);
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
    study: ok && meta ? { meta, participants, trials, clinical, ...(events ? { events: events.list } : {}) } : null,
    errors: c.errors,
    warnings: c.warnings,
    moreErrors: c.moreErrors,
  };
}

