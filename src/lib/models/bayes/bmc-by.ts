/**
 * groupBMC per cell (group x session, or any subset of the two) from labelled log evidences, e.g. the free
 * energies of invertSession for every participant-session and model.
 */
import { groupBMC, type GroupBMCOptions, type GroupBMCResult } from "./bmc.js";

export interface LabelledEvidence {
  /** The subject of random-effects BMS (usually the participant; one value per cell and model). */
  subject: string;
  model: string;
  log_evidence: number;
  group?: string | null;
  session?: string | null;
}

export interface GroupBMCCell {
  group: string | null;
  session: string | null;
  models: string[];
  /** Subjects of the cell that entered the comparison (columns of the assignments). */
  subjects: string[];
  /** Subjects of the cell left out because an evidence was missing or not finite, with the reason. */
  excluded: { subject: string; reason: string }[];
  result: GroupBMCResult;
}

export interface GroupBMCByOptions extends Omit<GroupBMCOptions, "modelNames"> {
  /** Split by these labels (default both: one comparison per group x session). [] pools everything. */
  by?: readonly ("group" | "session")[];
  /** Models to compare, in this order (default: in order of first appearance). */
  models?: readonly string[];
}

/** One groupBMC per cell; cells come in order of first appearance. Throws on a duplicate (cell, subject, model). */
export function groupBMCByCell(rows: readonly LabelledEvidence[], options: GroupBMCByOptions = {}): GroupBMCCell[] {
  const by = options.by ?? ["group", "session"];
  const byGroup = by.includes("group");
  const bySession = by.includes("session");
  const models = options.models ? [...options.models] : [...new Set(rows.map((r) => r.model))];
  if (models.length === 0) throw new Error("groupBMCByCell: no model");
  const modelIndex = new Map(models.map((m, i) => [m, i]));
  const cells = new Map<string, { group: string | null; session: string | null; subjects: Map<string, (number | undefined)[]> }>();
  for (const r of rows) {
    const k = modelIndex.get(r.model);
    if (k === undefined) continue;
    const group = byGroup ? (r.group ?? null) : null;
    const session = bySession ? (r.session ?? null) : null;
    const key = JSON.stringify([group, session]);
    let cell = cells.get(key);
    if (!cell) {
      cell = { group, session, subjects: new Map() };
      cells.set(key, cell);
    }
    let ev = cell.subjects.get(r.subject);
    if (!ev) {
      ev = new Array<number | undefined>(models.length).fill(undefined);
      cell.subjects.set(r.subject, ev);
    }
    if (ev[k] !== undefined)
      throw new Error(
        `groupBMCByCell: two log evidences for subject "${r.subject}", model "${r.model}"${group !== null ? `, group "${group}"` : ""}${session !== null ? `, session "${session}"` : ""}`,
      );
    ev[k] = r.log_evidence;
  }
  const out: GroupBMCCell[] = [];
  for (const cell of cells.values()) {
    const subjects: string[] = [];
    const excluded: { subject: string; reason: string }[] = [];
    const L: number[][] = models.map(() => []);
    for (const [subject, ev] of cell.subjects) {
      const missing = models.filter((_, k) => ev[k] === undefined);
      const bad = models.filter((_, k) => ev[k] !== undefined && !Number.isFinite(ev[k]));
      if (missing.length || bad.length) {
        excluded.push({ subject, reason: missing.length ? `no log evidence for ${missing.join(", ")}` : `log evidence not finite for ${bad.join(", ")}` });
        continue;
      }
      subjects.push(subject);
      ev.forEach((v, k) => L[k].push(v as number));
    }
    if (subjects.length === 0) continue;
    const { by: _by, models: _models, ...bmcOptions } = options;
    out.push({ group: cell.group, session: cell.session, models, subjects, excluded, result: groupBMC(L, { ...bmcOptions, modelNames: models }) });
  }
  return out;
}
