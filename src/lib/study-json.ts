/** The study document that the data loader writes (data/studies/<id>.json), and its reader. */
import type { ClinicalRow, Participant, Study, StudyMeta, Trial } from "./types.js";
import type { ValidationIssue } from "./validate.js";

export interface StudyDocument {
  meta: StudyMeta;
  participants: Participant[];
  trials: {
    participant_id: string[];
    session: string[];
    event_id: string[];
    first_estimate: (number | null)[];
    base_rate: (number | null)[];
    second_estimate: (number | null)[];
  };
  clinical: ClinicalRow[];
  warnings: ValidationIssue[];
}

export function studyFromDocument(doc: StudyDocument): Study & { warnings: ValidationIssue[] } {
  const c = doc.trials;
  const trials: Trial[] = new Array(c.participant_id.length);
  for (let i = 0; i < trials.length; i++)
    trials[i] = {
      participant_id: c.participant_id[i],
      session: c.session[i],
      event_id: c.event_id[i],
      first_estimate: c.first_estimate[i],
      base_rate: c.base_rate[i],
      second_estimate: c.second_estimate[i],
    };
  return { meta: doc.meta, participants: doc.participants, trials, clinical: doc.clinical, warnings: doc.warnings };
}

/** The document form of a validated study (what the data loader writes, and what the worker takes). */
export function studyToDocument(study: Study, warnings: ValidationIssue[] = []): StudyDocument {
  const t = study.trials;
  return {
    meta: study.meta,
    participants: study.participants,
    trials: {
      participant_id: t.map((x) => x.participant_id),
      session: t.map((x) => x.session),
      event_id: t.map((x) => x.event_id),
      first_estimate: t.map((x) => x.first_estimate),
      base_rate: t.map((x) => x.base_rate),
      second_estimate: t.map((x) => x.second_estimate),
    },
    clinical: study.clinical,
    warnings,
  };
}
