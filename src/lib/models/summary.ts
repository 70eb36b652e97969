/** Group means of the fitted learning rates, with their standard errors. */
import type { Participant } from "../study/types.js";
import { meanSem } from "../stats/describe.js";
import { pairedTTest, type PairedT } from "../task/summary.js";
import type { ModelFit } from "./types.js";

export interface LearningRateSummary {
  group: string;
  session: string;
  valence: "good" | "bad";
  mean: number;
  sem: number | null;
  n: number;
}

/** Learning-rate group means with SEM, per group, session and valence (nulls left out). */
export function summariseRates(fits: readonly ModelFit[], participants: readonly Pick<Participant, "participant_id" | "group">[], groups: readonly string[], sessions: readonly string[]): LearningRateSummary[] {
  const groupOf = new Map(participants.map((p) => [p.participant_id, p.group]));
  // One pass: the rates of every (group, session) in fit order, as the filters per cell would list them.
  const bucket = new Map<string, Map<string, { good: number[]; bad: number[] }>>();
  for (const group of groups) if (!bucket.has(group)) bucket.set(group, new Map());
  for (const f of fits) {
    const byGroup = bucket.get(groupOf.get(f.participant_id)!);
    if (!byGroup) continue;
    let b = byGroup.get(f.session);
    if (!b) byGroup.set(f.session, (b = { good: [], bad: [] }));
    if (f.alpha_good !== null) b.good.push(f.alpha_good);
    if (f.alpha_bad !== null) b.bad.push(f.alpha_bad);
  }
  const out: LearningRateSummary[] = [];
  for (const group of groups)
    for (const session of sessions)
      for (const valence of ["good", "bad"] as const) {
        const xs = bucket.get(group)!.get(session)?.[valence] ?? [];
        if (xs.length) out.push({ group, session, valence, ...meanSem(xs), n: xs.length });
      }
  return out;
}


/** Good- against bad-news learning rates of one group in one session: the paired t-test of the asymmetry. */
export interface RateContrast {
  group: string;
  session: string;
  /** Participants with both rates. */
  n: number;
  good: { mean: number; sem: number | null } | null;
  bad: { mean: number; sem: number | null } | null;
  paired: PairedT;
}

/** The paired comparison of α_good and α_bad per group and session (participants with both rates). */
export function rateContrasts(fits: readonly ModelFit[], participants: readonly Pick<Participant, "participant_id" | "group">[], groups: readonly string[], sessions: readonly string[]): RateContrast[] {
  const groupOf = new Map(participants.map((p) => [p.participant_id, p.group]));
  const out: RateContrast[] = [];
  for (const group of groups)
    for (const session of sessions) {
      const mine = fits.filter((f) => f.session === session && groupOf.get(f.participant_id) === group && f.alpha_good !== null && f.alpha_bad !== null);
      if (!mine.length) continue;
      const good = mine.map((f) => f.alpha_good as number);
      const bad = mine.map((f) => f.alpha_bad as number);
      out.push({ group, session, n: mine.length, good: meanSem(good), bad: meanSem(bad), paired: pairedTTest(good, bad) });
    }
  return out;
}
