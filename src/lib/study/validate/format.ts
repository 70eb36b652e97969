/** The files of a study folder and the columns each must have (README and docs/study-format.md). */
import type { StudyDesign } from "../types.js";

export const STUDY_FILES = ["study.json", "participants.csv", "trials.csv", "clinical.csv"] as const;
export type StudyFileName = (typeof STUDY_FILES)[number];
export type StudyFiles = Partial<Record<StudyFileName, string>>;

export const REQUIRED_COLUMNS: Record<Exclude<StudyFileName, "study.json">, string[]> = {
  "participants.csv": ["participant_id", "group", "age", "sex", "education_years"],
  "trials.csv": ["participant_id", "session", "event_id", "first_estimate", "base_rate", "second_estimate"],
  "clinical.csv": ["participant_id", "session", "score"],
};

/**
 * Further required columns of clinical.csv by design (besides REQUIRED_COLUMNS and any declared
 * secondary scale). Crossover and parallel studies need no trials.csv.
 */
export const DESIGN_CLINICAL_COLUMNS: Record<StudyDesign, string[]> = {
  "belief-updating": [],
  crossover: ["condition", "period"],
  parallel: [],
};

/** Default responder threshold of crossover and parallel studies: at least 50 % reduction from baseline. */
export const DEFAULT_RESPONSE_THRESHOLD = 0.5;

