/**
 * Descriptive summaries of scored trials: mean update per participant x session x valence
 * ("cells", the data level of the paper's mixed model) and group means with their SEM.
 */
import type { Participant } from "../study/types.js";
import type { ScoredTrial, Valence } from "./types.js";
import { mean, meanSem, sampleSd } from "../stats/describe.js";
import { tTwoSidedP } from "../stats/distributions.js";

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
  // One pass: the updates of every (group, session, valence) in cell order, as the filter per
  // combination would list them.
  const bucket = new Map<string, Map<string, { bad: number[]; good: number[] }>>();
  for (const g of groups) if (!bucket.has(g)) bucket.set(g, new Map(sessions.map((x) => [x, { bad: [], good: [] }])));
  for (const c of cells) {
    const b = bucket.get(c.group)?.get(c.session);
    if (b && (c.valence === "bad" || c.valence === "good")) b[c.valence].push(c.update);
  }
  const out: UpdateSummary[] = [];
  for (const group of groups)
    for (const session of sessions)
      for (const valence of ["bad", "good"] as const) {
        const xs = bucket.get(group)!.get(session)![valence];
        if (xs.length === 0) continue;
        out.push({ group, session, valence, ...meanSem(xs), n: xs.length });
      }
  return out;
}

export interface PairedT {
  n: number;
  mean_diff: number;
  sd_diff: number | null;
  t: number | null;
  df: number;
  p: number | null;
}

/** Paired t-test of x − y over pairs where both are numbers (Student 1908). */
export function pairedTTest(x: readonly (number | null)[], y: readonly (number | null)[]): PairedT {
  const d: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b)) d.push(a - b);
  }
  const n = d.length;
  const m = n ? mean(d) : NaN;
  const sd = sampleSd(d, m);
  if (sd === null) return { n, mean_diff: n ? m : 0, sd_diff: null, t: null, df: Math.max(0, n - 1), p: null };
  const t = sd > 0 ? m / (sd / Math.sqrt(n)) : null;
  return { n, mean_diff: m, sd_diff: sd, t, df: n - 1, p: t === null ? null : tTwoSidedP(t, n - 1) };
}
