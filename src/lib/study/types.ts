/** Shared types of the study folder format (see README, "The study folder format"). */

export interface ClinicalScale {
  name: string;
  min: number;
  max: number;
}

/**
 * The kinds of study the kit analyses (README, "The study folder format"; docs/designs.md):
 * the belief-updating task (the default), a two-period two-condition crossover trial, and a
 * two-arm parallel-group trial.
 */
export type StudyDesign = "belief-updating" | "crossover" | "parallel";

export const STUDY_DESIGNS: readonly StudyDesign[] = ["belief-updating", "crossover", "parallel"];

/** A further score column of clinical.csv (e.g. a subscale), declared in study.json. */
export interface SecondaryScale {
  /** Column name in clinical.csv. */
  column: string;
  name: string;
  min: number;
  max: number;
}

/** Responder definition of a crossover or parallel study. */
export interface ResponseDefinition {
  /** Minimum relative reduction from baseline, as a fraction (0.5 = at least 50 % reduction). */
  threshold: number;
  /** The time point at which response is judged (a session other than the baseline). */
  session: string;
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
  /** Absent for belief-updating studies written before designs existed (the default). */
  design?: StudyDesign;
  /**
   * Crossover: the two conditions, the first is the reference. (For a crossover study `groups`
   * is derived from them: reference = conditions[0], treatment = conditions[1].)
   */
  conditions?: string[];
  /** Crossover: sequence label (the `group` of participants.csv) -> conditions in period order. */
  sequences?: Record<string, string[]>;
  /** Crossover and parallel: responder definition (defaults filled in by the validator). */
  response?: ResponseDefinition;
  /** Crossover and parallel: further score columns of clinical.csv. */
  secondary_scales?: SecondaryScale[];
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
  /** Crossover studies: the condition of this score. */
  condition?: string;
  /** Crossover studies: the period (1-based) in which the condition was given. */
  period?: number;
  /** Secondary scales by column name (null: not assessed), when study.json declares any. */
  secondary?: Record<string, number | null>;
}

export interface Study {
  meta: StudyMeta;
  participants: Participant[];
  trials: Trial[];
  clinical: ClinicalRow[];
}
