/**
 * Sufficient statistics of the Gaussian learning-rate models.
 *
 * With y = E2 - E1, x = BR - E1 and a = |x| = |EE|, the log-likelihood of any model of the kit,
 * y = X theta + N(0, sigma^2), depends on the data only through X'X, X'y, y'y and n
 * (e.g. Seber & Lee, Linear Regression Analysis, 2nd ed., sec. 3.1), and every column of X is
 * x * (valence indicator) or x * (|EE| - m)/s. So the per-valence sums below are sufficient for
 * every model, flat or hierarchical: one pass over the trials, then no trial loops.
 */
import type { ScoredTrial } from "./types.js";
import { groupByParticipantSession } from "./scoring.js";

/** Per-valence sums over one participant-session's trials, with x = BR - E1, y = E2 - E1, a = |x| = |EE|. */
export interface ValenceSums {
  n: number;
  /** sum a */
  sa: number;
  /** sum a^2 */
  saa: number;
  /** sum x^2 */
  sxx: number;
  /** sum x*y */
  sxy: number;
  /** sum y^2 */
  syy: number;
  /** sum a*x^2 */
  saxx: number;
  /** sum a^2*x^2 */
  saaxx: number;
  /** sum a*x*y */
  saxy: number;
}

/** Sufficient statistics of one participant-session: everything any model needs, no trial loop. */
export interface SufficientStats {
  participant_id: string;
  session: string;
  good: ValenceSums;
  bad: ValenceSums;
}


export function emptySums(): ValenceSums {
  return { n: 0, sa: 0, saa: 0, sxx: 0, sxy: 0, syy: 0, saxx: 0, saaxx: 0, saxy: 0 };
}

function add(s: ValenceSums, x: number, y: number): void {
  const a = Math.abs(x);
  const xx = x * x;
  s.n += 1;
  s.sa += a;
  s.saa += a * a;
  s.sxx += xx;
  s.sxy += x * y;
  s.syy += y * y;
  s.saxx += a * xx;
  s.saaxx += a * a * xx;
  s.saxy += a * x * y;
}

/**
 * Sufficient statistics of the trials of ONE participant-session (the ids are taken from the first
 * trial, or from `ids` when given -- needed for an empty array).
 */
export function statsOfTrials(trials: readonly ScoredTrial[], ids?: { participant_id: string; session: string }): SufficientStats {
  const good = emptySums();
  const bad = emptySums();
  for (const t of trials) {
    const x = t.br - t.e1;
    const y = t.e2 - t.e1;
    add(t.valence === "good" ? good : bad, x, y);
  }
  return {
    participant_id: ids?.participant_id ?? trials[0]?.participant_id ?? "",
    session: ids?.session ?? trials[0]?.session ?? "",
    good,
    bad,
  };
}

/** Sufficient statistics of every participant-session in `trials`, in first-seen order. */
export function computeStats(trials: readonly ScoredTrial[]): SufficientStats[] {
  return groupByParticipantSession(trials).map((g) => statsOfTrials(g.trials, g));
}

/**
 * Mean and population SD (divisor n) of |EE| over both valences of one participant-session.
 * sd is 0 when all |EE| are (numerically) equal: var <= 1e-12 * mean^2.
 */
export function absEeMoments(stats: SufficientStats): { n: number; mean: number; sd: number } {
  const n = stats.good.n + stats.bad.n;
  if (n === 0) return { n, mean: 0, sd: 0 };
  const mean = (stats.good.sa + stats.bad.sa) / n;
  const v = (stats.good.saa + stats.bad.saa) / n - mean * mean;
  const sd = v > 1e-12 * mean * mean ? Math.sqrt(v) : 0;
  return { n, mean, sd };
}
