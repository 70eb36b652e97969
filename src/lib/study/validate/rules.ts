/** Cross-file rules of crossover and parallel studies (docs/designs.md). */
import type { ClinicalRow, Participant, StudyMeta } from "../types.js";
import { show, type Collector } from "./issues.js";

/**
 * Crossover and parallel studies: every participant has scores; warnings for what the analyses
 * will leave out (a condition without scores, a missing baseline or time point, a zero baseline).
 */
export function checkTrialScores(meta: StudyMeta, participants: readonly Participant[], participantLines: Map<string, number>, clinical: readonly ClinicalRow[], c: Collector): void {
  const crossover = meta.design === "crossover";
  const scaleName = meta.clinical_scale?.name ?? "clinical";
  const [baseline, ...later] = meta.sessions;
  const byParticipant = new Map<string, ClinicalRow[]>();
  for (const r of clinical) {
    let list = byParticipant.get(r.participant_id);
    if (!list) byParticipant.set(r.participant_id, (list = []));
    list.push(r);
  }
  const file = "clinical.csv";
  for (const p of participants) {
    const rows = byParticipant.get(p.participant_id);
    if (!rows) {
      c.error({ file: "participants.csv", line: participantLines.get(p.participant_id), column: 1, field: "participant_id", message: `participant ${show(p.participant_id)} has no scores in clinical.csv` });
      continue;
    }
    const cells: (string | undefined)[] = crossover ? meta.conditions! : [undefined];
    for (const condition of cells) {
      const mine = crossover ? rows.filter((r) => r.condition === condition) : rows;
      const under = condition === undefined ? "" : ` under condition ${show(condition)}`;
      if (crossover && mine.length === 0) {
        c.warn({ file, message: `participant ${show(p.participant_id)} has no scores${under}: kept in the mixed models, left out of the paired analyses (McNemar, carry-over)` });
        continue;
      }
      const at = (session: string) => mine.find((r) => r.session === session)?.score ?? null;
      const base = at(baseline);
      if (base === null)
        c.warn({ file, message: `participant ${show(p.participant_id)} has no baseline ${scaleName} score (${show(baseline)})${under}: no change from baseline can be computed${crossover ? " in this condition" : ""}` });
      else if (base === 0)
        c.warn({ file, message: `participant ${show(p.participant_id)} has a baseline ${scaleName} score of 0${under}: the percent reduction and response are undefined` });
      for (const session of later) {
        if (at(session) === null)
          c.warn({ file, message: `participant ${show(p.participant_id)} has no ${scaleName} score at ${show(session)}${under}: left out of the analyses of that time point` });
      }
    }
  }
}
