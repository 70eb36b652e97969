/** Shared types of the study folder format (see README, "The study folder format"). */

export interface ClinicalScale {
  name: string;
  min: number;
  max: number;
}

export interface StudyMeta {
  id: string;
  title: string;
  description: string;
  citation: string;
  synthetic: boolean;
  /** Labels used in participants.csv for the reference (control) and treatment groups. */
  groups: { reference: string; treatment: string };
  /** Ordered session ids; the first is the baseline. */
  sessions: string[];
  clinical_scale: ClinicalScale;
}

export interface Participant {
  participant_id: string;
  group: string;
  age: number;
  sex: string;
  education_years: number;
  /** Extra columns of participants.csv, kept verbatim. */
  extra: Record<string, string>;
}

export interface Trial {
  participant_id: string;
  session: string;
  event_id: string;
  /** Percentages; null is a missed response (empty cell). */
  first_estimate: number | null;
  base_rate: number | null;
  second_estimate: number | null;
}

export interface ClinicalRow {
  participant_id: string;
  session: string;
  score: number | null;
}

export interface Study {
  meta: StudyMeta;
  participants: Participant[];
  trials: Trial[];
  clinical: ClinicalRow[];
}

export type Valence = "good" | "bad";

/** A trial that passed scoring (see scoring.ts for the definitions). */
export interface ScoredTrial {
  participant_id: string;
  session: string;
  event_id: string;
  e1: number;
  br: number;
  e2: number;
  /** Estimation error E1 - BR. */
  ee: number;
  valence: Valence;
  /** Positive when the second estimate moved toward the base rate. */
  update: number;
}
