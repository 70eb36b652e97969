/**
 * One pass over the trials for everything a re-analysis needs (the hot path of a slider change).
 *
 * `scoreColumns` reads `study.trials` once and produces, in typed arrays, what scoring, the
 * learning-rate fits, the update cells and the mixed model need:
 *   - the scoring counts;
 *   - per participant-session (in order of its first scored trial): the sufficient statistics of the
 *     learning-rate models (models/stats.ts) for each valence;
 *   - per participant-session x valence (the "cells" of the mixed model): the sum and count of the
 *     updates and the position of its first scored trial (which fixes the order of the cells).
 * Nothing is kept per trial (a million trials at 10,000 participants): what needs the scored trials
 * themselves (the trial-level mixed model, `scored.trials` when someone reads it) finds them again
 * with scoredTrialIndex. Every sum is accumulated in input order with the same arithmetic as
 * the object-based functions it replaces (scoreTrials, computeStats, updateCells), so the numbers are
 * identical to theirs, not merely close; test/lib/columnar.test.ts checks that on shuffled, messy data.
 */
import type { Participant, Trial } from "../study/types.js";
import type { ScoredTrial, Valence } from "./types.js";
import type { SufficientStats, ValenceSums } from "./sufficient-stats.js";
import { scoredTrial, type ScoringCounts, type ScoringOptions, type ScoringResult } from "./scoring.js";
import { newsCode, updateOf } from "./news.js";
import type { UpdateCell } from "./summary.js";

/** Number of sums kept per valence (n, sa, saa, sxx, sxy, syy, saxx, saaxx, saxy). */
const NS = 9;

export interface ScoreColumns {
  counts: ScoringCounts;
  /** Valid range used. */
  lo: number;
  hi: number;
  /** The other scoring rules used (scoredTrialIndex applies them again). */
  rules: { positive: ReadonlySet<string> | null; ebr: boolean; maxRecall: number | null };
  /** Number of scored trials. */
  nScored: number;
  /** Participant-sessions with a scored trial, in order of their first scored trial. */
  nPs: number;
  psParticipant: string[];
  psSession: string[];
  /**
   * Sufficient statistics, NS sums per valence and participant-session: offset (2 ps + v) NS,
   * v = 1 good, 0 bad; sums in the order of ValenceSums.
   */
  sums: Float64Array;
  /** Per participant-session x valence (2 ps + v): sum of updates, count, position of the first scored trial (-1: none). */
  cellSum: Float64Array;
  cellN: Int32Array;
  cellFirst: Int32Array;
}

/** The memory test passes: a recalled base rate within `max` points of the one shown. */
function recalled(t: Trial, max: number): boolean {
  const r = t.recalled_base_rate;
  return r !== null && r !== undefined && t.base_rate !== null && Math.abs(r - t.base_rate) <= max;
}

/** Grows a typed array (doubling) when it is full. */
function grow<T extends Float64Array | Int32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let len = a.length * 2;
  while (len < need) len *= 2;
  const b = new (a.constructor as { new (n: number): T })(len);
  b.set(a);
  return b;
}

/**
 * Participant-session index of trials: the trials of one participant-session are usually
 * contiguous, so the last one is remembered; otherwise two small map lookups. Indices are given in
 * order of first request.
 */
class PsIndex {
  readonly participant: string[] = [];
  readonly session: string[] = [];
  private readonly lookup = new Map<string, Map<string, number>>();
  private lastPid: string | null = null;
  private lastSession: string | null = null;
  private last = -1;
  of(pid: string, session: string): number {
    if (pid === this.lastPid && session === this.lastSession) return this.last;
    let bySession = this.lookup.get(pid);
    if (!bySession) this.lookup.set(pid, (bySession = new Map()));
    let found = bySession.get(session);
    if (found === undefined) {
      found = this.participant.length;
      bySession.set(session, found);
      this.participant.push(pid);
      this.session.push(session);
    }
    this.lastPid = pid;
    this.lastSession = session;
    return (this.last = found);
  }
}

/**
 * Score every trial (scoring.ts: same rules, same counts) and accumulate the per-participant-session
 * statistics in the same pass. Nothing per trial is kept (see scoredTrialIndex for that).
 */
export function scoreColumns(trials: readonly Trial[], options: ScoringOptions = {}): ScoreColumns {
  const [lo, hi] = options.validRange ?? [0, 100];
  const positive = options.positiveEvents ?? null;
  const ebr = options.reference === "estimated_base_rate";
  const maxRecall = options.maxRecallError ?? null;
  const N = trials.length;
  const counts: ScoringCounts = { total: N, scored: 0, missing: 0, zeroError: 0, outOfRange: 0, recallError: 0 };
  const index = new PsIndex();
  let sums = new Float64Array(2 * NS * 256);
  let cellSum = new Float64Array(2 * 256);
  let cellN = new Int32Array(2 * 256);
  let cellFirst = new Int32Array(2 * 256).fill(-1);
  let k = 0;
  for (let i = 0; i < N; i++) {
    const t = trials[i];
    const e1 = t.first_estimate;
    const br = ebr ? (t.estimated_base_rate ?? null) : t.base_rate;
    const e2 = t.second_estimate;
    if (e1 === null || br === null || e2 === null || !Number.isFinite(e1) || !Number.isFinite(br) || !Number.isFinite(e2)) {
      counts.missing++;
      continue;
    }
    if (e1 < lo || e1 > hi || e2 < lo || e2 > hi || br < lo || br > hi) {
      counts.outOfRange++;
      continue;
    }
    if (maxRecall !== null && !recalled(t, maxRecall)) {
      counts.recallError++;
      continue;
    }
    const g = newsCode(e1, br, positive !== null && positive.has(t.event_id));
    if (g < 0) {
      counts.zeroError++;
      continue;
    }
    const ps = index.of(t.participant_id, t.session);
    const cell = 2 * ps + g;
    if (cell >= cellN.length) {
      sums = grow(sums, (cell + 1) * NS);
      cellSum = grow(cellSum, cell + 1);
      cellN = grow(cellN, cell + 1);
      const before = cellFirst.length;
      cellFirst = grow(cellFirst, cell + 1);
      cellFirst.fill(-1, before);
    }
    // Sufficient statistics (models/stats.ts `add`, same expressions).
    const x = br - e1;
    const y = e2 - e1;
    const a = Math.abs(x);
    const xx = x * x;
    const o = cell * NS;
    sums[o] += 1;
    sums[o + 1] += a;
    sums[o + 2] += a * a;
    sums[o + 3] += xx;
    sums[o + 4] += x * y;
    sums[o + 5] += y * y;
    sums[o + 6] += a * xx;
    sums[o + 7] += a * a * xx;
    sums[o + 8] += a * x * y;
    // Update cells (summary.ts `updateCells`).
    cellSum[cell] += updateOf(e1, br, e2);
    if (cellN[cell]++ === 0) cellFirst[cell] = k;
    k++;
  }
  counts.scored = k;
  const nPs = index.participant.length;
  return {
    counts,
    lo,
    hi,
    rules: { positive, ebr, maxRecall },
    nScored: k,
    nPs,
    psParticipant: index.participant,
    psSession: index.session,
    sums: sums.slice(0, 2 * nPs * NS),
    cellSum: cellSum.slice(0, 2 * nPs),
    cellN: cellN.slice(0, 2 * nPs),
    cellFirst: cellFirst.slice(0, 2 * nPs),
  };
}

/** Per scored trial (input order): its index in the input, participant-session, valence (1 good) and update. */
export interface ScoredIndex {
  index: Int32Array;
  ps: Int32Array;
  good: Uint8Array;
  update: Float64Array;
}

/** The scored trials of `trials` again (same rules and participant-session numbering as scoreColumns). */
export function scoredTrialIndex(trials: readonly Trial[], c: ScoreColumns): ScoredIndex {
  const { lo, hi } = c;
  const { positive, ebr, maxRecall } = c.rules;
  const index = new Int32Array(c.nScored);
  const psOf = new Int32Array(c.nScored);
  const good = new Uint8Array(c.nScored);
  const update = new Float64Array(c.nScored);
  const ids = new PsIndex();
  let k = 0;
  for (let i = 0; i < trials.length && k < c.nScored; i++) {
    const t = trials[i];
    const e1 = t.first_estimate;
    const br = ebr ? (t.estimated_base_rate ?? null) : t.base_rate;
    const e2 = t.second_estimate;
    if (e1 === null || br === null || e2 === null || !Number.isFinite(e1) || !Number.isFinite(br) || !Number.isFinite(e2)) continue;
    if (e1 < lo || e1 > hi || e2 < lo || e2 > hi || br < lo || br > hi) continue;
    if (maxRecall !== null && !recalled(t, maxRecall)) continue;
    const g = newsCode(e1, br, positive !== null && positive.has(t.event_id));
    if (g < 0) continue;
    index[k] = i;
    psOf[k] = ids.of(t.participant_id, t.session);
    good[k] = g;
    update[k] = updateOf(e1, br, e2);
    k++;
  }
  if (k !== c.nScored || ids.participant.length !== c.nPs) throw new Error("the trials changed after scoring");
  return { index, ps: psOf, good, update };
}

function valenceSums(sums: Float64Array, o: number): ValenceSums {
  return {
    n: sums[o],
    sa: sums[o + 1],
    saa: sums[o + 2],
    sxx: sums[o + 3],
    sxy: sums[o + 4],
    syy: sums[o + 5],
    saxx: sums[o + 6],
    saaxx: sums[o + 7],
    saxy: sums[o + 8],
  };
}

/** Sufficient statistics of the participant-sessions not dropped (first-seen order), as computeStats returns them. */
export function statsOfColumns(c: ScoreColumns, dropped?: Uint8Array): SufficientStats[] {
  const out: SufficientStats[] = [];
  for (let ps = 0; ps < c.nPs; ps++) {
    if (dropped && dropped[ps]) continue;
    out.push({
      participant_id: c.psParticipant[ps],
      session: c.psSession[ps],
      good: valenceSums(c.sums, (2 * ps + 1) * NS),
      bad: valenceSums(c.sums, 2 * ps * NS),
    });
  }
  return out;
}

/** The scored trials (not dropped), as scoreTrials returns them. */
export function scoredTrialsOf(c: ScoreColumns, source: readonly Trial[], dropped?: Uint8Array): ScoredTrial[] {
  const { index, ps: psOf, good } = scoredTrialIndex(source, c);
  const out: ScoredTrial[] = [];
  for (let k = 0; k < c.nScored; k++) {
    const ps = psOf[k];
    if (dropped && dropped[ps]) continue;
    const t = source[index[k]];
    const e1 = t.first_estimate as number;
    const br = (c.rules.ebr ? t.estimated_base_rate : t.base_rate) as number;
    const e2 = t.second_estimate as number;
    const valence: Valence = good[k] === 1 ? "good" : "bad";
    out.push(scoredTrial(t, e1, br, e2, valence));
  }
  return out;
}

/**
 * Mean update per participant x session x valence, in first-seen order of the cell among the
 * scored trials (as updateCells returns them).
 */
export function cellsOfColumns(c: ScoreColumns, participants: readonly Participant[], dropped?: Uint8Array): UpdateCell[] {
  const groupOf = new Map<string, string>();
  for (const p of participants) groupOf.set(p.participant_id, p.group);
  // Cells ordered by the position of their first trial (distinct positions). Participant-sessions are
  // numbered in order of their first trial, so this is usually participant-session order already.
  const ids: number[] = [];
  let sorted = true;
  let prev = -1;
  for (let ps = 0; ps < c.nPs; ps++) {
    if (dropped && dropped[ps]) continue;
    const fg = c.cellFirst[2 * ps + 1];
    const fb = c.cellFirst[2 * ps];
    const first = fb >= 0 && (fg < 0 || fb < fg) ? 2 * ps : 2 * ps + 1;
    for (const cell of first === 2 * ps ? [2 * ps, 2 * ps + 1] : [2 * ps + 1, 2 * ps]) {
      const pos = c.cellFirst[cell];
      if (pos < 0) continue;
      if (pos < prev) sorted = false;
      prev = pos;
      ids.push(cell);
    }
  }
  if (!sorted) ids.sort((a, b) => c.cellFirst[a] - c.cellFirst[b]);
  const out: UpdateCell[] = new Array(ids.length);
  let lastPid: string | null = null;
  let lastGroup = "";
  for (let j = 0; j < ids.length; j++) {
    const cell = ids[j];
    const ps = cell >> 1;
    const pid = c.psParticipant[ps];
    if (pid !== lastPid) {
      lastPid = pid;
      lastGroup = groupOf.get(pid) ?? "";
    }
    const n = c.cellN[cell];
    out[j] = { participant_id: pid, group: lastGroup, session: c.psSession[ps], valence: (cell & 1) === 1 ? "good" : "bad", update: c.cellSum[cell] / n, n_trials: n };
  }
  return out;
}

/** Score trials into scored-trial objects with the counts of what was left out (the scoring pass above). */
export function scoreTrials(trials: readonly Trial[], options: ScoringOptions = {}): ScoringResult {
  const c = scoreColumns(trials, options);
  return { trials: scoredTrialsOf(c, trials), counts: c.counts };
}
