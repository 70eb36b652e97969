/**
 * Task scoring: which trials are scored (valid, complete, with news) and their scored form, counting
 * the trials left out. What good news and an update are is defined once, in news.ts.
 */
import type { Trial } from "../study/types.js";
import type { ScoredTrial, Valence } from "./types.js";
import { updateOf } from "./news.js";

export interface ScoringOptions {
  /** Estimates and base rates outside [min, max] exclude the trial. Default [0, 100]. */
  validRange?: readonly [number, number];
  /** Ids of the positive events (events.csv); every other event is negative. */
  positiveEvents?: ReadonlySet<string> | null;
  /**
   * What the first estimate is compared with: the base rate shown (default), or the participant's own
   * estimate of it (trials.csv estimated_base_rate; Garrett & Sharot 2014). The news, the estimation
   * error, the update's direction and the learning-rate models all use this reference.
   */
  reference?: "base_rate" | "estimated_base_rate";
  /**
   * Memory test (trials.csv recalled_base_rate): trials whose |recalled - shown base rate| exceeds this
   * many points are excluded (null: no such exclusion).
   */
  maxRecallError?: number | null;
}

export interface ScoringCounts {
  total: number;
  scored: number;
  missing: number;
  zeroError: number;
  outOfRange: number;
  /** Left out by the memory-test rule (maxRecallError), or for lacking a recalled base rate under it. */
  recallError: number;
}

export interface ScoringResult {
  trials: ScoredTrial[];
  counts: ScoringCounts;
}

/** The scored form of a trial whose estimates and reference are valid and whose valence is known. */
export function scoredTrial(t: Pick<Trial, "participant_id" | "session" | "event_id">, e1: number, br: number, e2: number, valence: Valence): ScoredTrial {
  return { participant_id: t.participant_id, session: t.session, event_id: t.event_id, e1, br, e2, ee: e1 - br, valence, update: updateOf(e1, br, e2) };
}

/** The positive events of a study (events.csv), or null when it has none (the common, faster case). */
export function positiveEventsOf(events: readonly { event_id: string; valence: string }[] | undefined): Set<string> | null {
  const ids = (events ?? []).filter((e) => e.valence === "positive").map((e) => e.event_id);
  return ids.length ? new Set(ids) : null;
}

export interface ParticipantSessionTrials {
  participant_id: string;
  session: string;
  trials: ScoredTrial[];
}

/** Group scored trials by participant x session, in first-seen order. */
export function groupByParticipantSession(trials: readonly ScoredTrial[]): ParticipantSessionTrials[] {
  const out: ParticipantSessionTrials[] = [];
  const lookup = new Map<string, Map<string, ParticipantSessionTrials>>();
  // The trials of one participant-session are usually contiguous: remember the last group.
  let last: ParticipantSessionTrials | null = null;
  for (const t of trials) {
    let g: ParticipantSessionTrials | null = last;
    if (g === null || g.participant_id !== t.participant_id || g.session !== t.session) {
      let bySession = lookup.get(t.participant_id);
      if (!bySession) lookup.set(t.participant_id, (bySession = new Map()));
      g = bySession.get(t.session) ?? null;
      if (g === null) {
        g = { participant_id: t.participant_id, session: t.session, trials: [] };
        bySession.set(t.session, g);
        out.push(g);
      }
      last = g;
    }
    g.trials.push(t);
  }
  return out;
}
