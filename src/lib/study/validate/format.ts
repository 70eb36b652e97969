/** The files of a study folder and the columns each must have (README and docs/study-format.md). */
import type { StudyDesign } from "../types.js";

export const STUDY_FILES = ["study.json", "participants.csv", "trials.csv", "clinical.csv", "events.csv"] as const;
export type StudyFileName = (typeof STUDY_FILES)[number];
export type StudyFiles = Partial<Record<StudyFileName, string>>;

/** The files every belief-updating study needs (clinical.csv and events.csv are optional). */
export const REQUIRED_FILES: readonly StudyFileName[] = ["study.json", "participants.csv", "trials.csv"];

export const REQUIRED_COLUMNS: Record<Exclude<StudyFileName, "study.json">, string[]> = {
  "participants.csv": ["participant_id", "group"],
  "trials.csv": ["participant_id", "session", "event_id", "first_estimate", "base_rate", "second_estimate"],
  "clinical.csv": ["participant_id", "session", "score"],
  "events.csv": ["event_id", "valence"],
};

/**
 * Columns with a meaning of their own when present (besides the required ones); every other column is
 * kept verbatim. participants.csv: demographics (an empty cell is unknown). trials.csv: the
 * participant's own estimate of the base rate and the base rate recalled in a memory test (0-100).
 */
export const OPTIONAL_COLUMNS = {
  "participants.csv": ["age", "sex", "education_years"],
  "trials.csv": ["estimated_base_rate", "recalled_base_rate"],
} as const;

/** The valences of events.csv. */
export const EVENT_VALENCES = ["negative", "positive"] as const;

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

