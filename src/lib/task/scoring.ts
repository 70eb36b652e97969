/**
 * Task scoring: which trials are scored (valid, complete, with news) and their scored form, counting
 * the trials left out. What good news and an update are is defined once, in news.ts.
 */
import type { Trial } from "../study/types.js";
import type { ScoredTrial, Valence } from "./types.js";
import { updateOf } from "./news.js";

export interface ScoringOptions {
  /** Estimates and base rates outside [min, max] exclude the trial. Default [0, 100]. */
  validRange?: [number, number];
}

export interface ScoringCounts {
  total: number;
  scored: number;
  missing: number;
  zeroError: number;
  outOfRange: number;
}

export interface ScoringResult {
  trials: ScoredTrial[];
  counts: ScoringCounts;
}

/** The scored form of a trial whose estimates and base rate are valid and whose valence is known. */
export function scoredTrial(t: Pick<Trial, "participant_id" | "session" | "event_id">, e1: number, br: number, e2: number, valence: Valence): ScoredTrial {
  return { participant_id: t.participant_id, session: t.session, event_id: t.event_id, e1, br, e2, ee: e1 - br, valence, update: updateOf(valence, e1, e2) };
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
