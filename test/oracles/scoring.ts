/**
 * Oracle of the scoring pass (src/lib/task/columnar.ts): the scoring rules written plainly, one trial
 * object at a time. The shipped pass must give the same scored trials and counts
 * (test/lib/task/columnar.test.ts).
 */
import type { Trial } from "../../src/lib/study/types.js";
import type { ScoredTrial } from "../../src/lib/task/types.js";
import { valenceOf } from "../../src/lib/task/news.js";
import { scoredTrial, type ScoringCounts, type ScoringOptions, type ScoringResult } from "../../src/lib/task/scoring.js";

export function oracleScoreTrials(trials: readonly Trial[], options: ScoringOptions = {}): ScoringResult {
  const [lo, hi] = options.validRange ?? [0, 100];
  const out: ScoredTrial[] = [];
  const counts: ScoringCounts = { total: trials.length, scored: 0, missing: 0, zeroError: 0, outOfRange: 0, recallError: 0 };
  for (const t of trials) {
    const { first_estimate: e1, second_estimate: e2 } = t;
    const br = options.reference === "estimated_base_rate" ? (t.estimated_base_rate ?? null) : t.base_rate;
    if (e1 === null || br === null || e2 === null || !Number.isFinite(e1) || !Number.isFinite(br) || !Number.isFinite(e2)) {
      counts.missing++;
      continue;
    }
    if (e1 < lo || e1 > hi || e2 < lo || e2 > hi || br < lo || br > hi) {
      counts.outOfRange++;
      continue;
    }
    const max = options.maxRecallError ?? null;
    const r = t.recalled_base_rate;
    if (max !== null && (r === null || r === undefined || t.base_rate === null || Math.abs(r - t.base_rate) > max)) {
      counts.recallError++;
      continue;
    }
    const valence = valenceOf(e1, br, options.positiveEvents?.has(t.event_id) ?? false);
    if (valence === null) {
      counts.zeroError++;
      continue;
    }
    out.push(scoredTrial(t, e1, br, e2, valence));
  }
  counts.scored = out.length;
  return { trials: out, counts };
}

