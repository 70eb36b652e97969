/**
 * Descriptive summaries of scored trials: mean update per participant x session x valence
 * ("cells", the data level of the paper's mixed model) and group means with their SEM.
 */
import type { Participant, ScoredTrial, Valence } from "./types.js";

export interface UpdateCell {
  participant_id: string;
  group: string;
  session: string;
  valence: Valence;
  /** Mean update over the participant's scored trials of this valence in this session. */
  update: number;
  n_trials: number;
}

export interface UpdateSummary {
  group: string;
  session: string;
  valence: Valence;
  /** Mean over participants of their mean update. */
  mean: number;
  /** Standard error of that mean (sd / sqrt(n)); null with fewer than 2 participants. */
  sem: number | null;
  n: number;
}

export function updateCells(trials: readonly ScoredTrial[], participants: readonly Participant[]): UpdateCell[] {
  const groupOf = new Map(participants.map((p) => [p.participant_id, p.group]));
  const acc = new Map<string, UpdateCell>();
  for (const t of trials) {
    const key = `${t.participant_id}\u0000${t.session}\u0000${t.valence}`;
    let c = acc.get(key);
    if (!c) {
      c = { participant_id: t.participant_id, group: groupOf.get(t.participant_id) ?? "", session: t.session, valence: t.valence, update: 0, n_trials: 0 };
      acc.set(key, c);
    }
    c.update += t.update;
    c.n_trials++;
  }
  const cells = [...acc.values()];
  for (const c of cells) c.update /= c.n_trials;
  return cells;
}

/** Mean and SEM across participants, in the order of `groups`, `sessions`, valence bad then good. */
export function summariseUpdates(cells: readonly UpdateCell[], groups: readonly string[], sessions: readonly string[]): UpdateSummary[] {
  const out: UpdateSummary[] = [];
  for (const group of groups)
    for (const session of sessions)
      for (const valence of ["bad", "good"] as const) {
        const xs = cells.filter((c) => c.group === group && c.session === session && c.valence === valence).map((c) => c.update);
        if (xs.length === 0) continue;
        const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
        const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : null;
        out.push({ group, session, valence, mean, sem: sd === null ? null : sd / Math.sqrt(xs.length), n: xs.length });
      }
  return out;
}
