/**
 * The rows of the kit's mixed model for a study directory, as the analysis pipeline builds them
 * (src/lib/analysis/pipeline.ts lmmRows: default parameters, the model's shared sessions), plus
 * event_id on trial rows for crossed participant x event models. Used by the mixed-model
 * reference fixtures (test/r/lmm_general_reference.R reads the CSVs) and by lmm-bench.ts.
 *
 *     npx tsx test/bench/lmm-rows.ts <study-dir> <out-dir>   # writes cells.csv and trials.csv
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultParams } from "../../src/lib/analysis/params.js";
import { describePhase, scorePhase, designOf } from "../../src/lib/analysis/pipeline.js";
import { loadStudyFromDir } from "../../src/lib/study/load.js";
import type { Study } from "../../src/lib/study/types.js";

export type StudyRow = Record<string, string | number>;

export interface StudyRows {
  cells: StudyRow[];
  trials: StudyRow[];
  sessions: string[];
  groups: [string, string];
}

export function studyRows(study: Study): StudyRows {
  const params = defaultParams(designOf(study));
  const scored = scorePhase(study, params);
  const cells = describePhase(scored, study).cells;
  const demo = new Map(study.participants.map((p) => [p.participant_id, p]));
  const inSessions = new Set(params.lmm);
  const row = (participant_id: string, session: string, valence: string, update: number): StudyRow | null => {
    const p = demo.get(participant_id);
    if (!p || !inSessions.has(session)) return null;
    return { participant_id, group: p.group, session, valence, update, age: p.age as number, education: p.education_years as number };
  };
  const out: StudyRows = { cells: [], trials: [], sessions: params.lmm.slice(), groups: [study.meta.groups.reference, study.meta.groups.treatment!] };
  for (const c of cells) {
    const r = row(c.participant_id, c.session, c.valence, c.update);
    if (r) out.cells.push(r);
  }
  for (const t of scored.trials) {
    const r = row(t.participant_id, t.session, t.valence, t.update);
    if (r) out.trials.push({ ...r, event_id: t.event_id });
  }
  return out;
}

export function toCsvText(rows: readonly StudyRow[]): string {
  const cols = Object.keys(rows[0]);
  const esc = (v: string | number): string => (typeof v === "number" ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [cols.join(","), ...rows.map((r) => cols.map((c) => (r[c] === null || r[c] === undefined ? "" : esc(r[c]))).join(","))].join("\n") + "\n";
}

async function main(): Promise<void> {
  const [dir, out] = process.argv.slice(2);
  if (!dir || !out) {
    process.stderr.write("usage: npx tsx test/bench/lmm-rows.ts <study-dir> <out-dir>\n");
    process.exit(2);
  }
  const rows = studyRows(await loadStudyFromDir(dir));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "cells.csv"), toCsvText(rows.cells));
  writeFileSync(join(out, "trials.csv"), toCsvText(rows.trials));
  writeFileSync(join(out, "meta.json"), JSON.stringify({ sessions: rows.sessions, groups: rows.groups }) + "\n");
  process.stderr.write(`wrote ${rows.cells.length} cells and ${rows.trials.length} trials to ${out}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
