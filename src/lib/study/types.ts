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
  /**
   * Groups of participants.csv. `levels` lists them all, the reference first (the reference level of
   * every model); `treatment` is the group whose change the mediation follows by default (absent when
   * the study has one group). Crossover studies derive them from their two conditions.
   */
  groups: StudyGroups;
  /** Ordered session ids; the first is the baseline. */
  sessions: string[];
  /** The clinical score of clinical.csv; absent when the study has no clinical.csv. */
  clinical_scale?: ClinicalScale;
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

export interface StudyGroups {
  reference: string;
  treatment?: string;
  /** Every group, reference first (the order of study.json). */
  levels: string[];
}

export interface Participant {
  participant_id: string;
  group: string;
  /** Optional demographics: null when the column is absent or the cell empty (unknown, never 0). */
  age: number | null;
  sex: string | null;
  education_years: number | null;
  /** Extra columns of participants.csv, kept verbatim (a numeric one can be a covariate by its name). */
  extra: Record<string, string>;
}

/** Valence of a life event (events.csv): good news is a lower risk for a negative event, a higher chance for a positive one. */
export type EventValence = "negative" | "positive";

/** A row of events.csv. */
export interface StudyEvent {
  event_id: string;
  valence: EventValence;
  /** Extra columns of events.csv (category, …), kept verbatim. */
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
  /** Optional: the participant's own estimate of the base rate (Garrett & Sharot 2014); absent when not collected. */
  estimated_base_rate?: number | null;
  /** Optional: the base rate recalled in a memory test (Sharot et al. 2011); absent when not collected. */
  recalled_base_rate?: number | null;
  /** Optional per-trial columns (ratings, …), kept verbatim; absent when there are none. */
  extra?: Record<string, string>;
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
  /** events.csv, when the folder has one (without it every event is negative). */
  events?: StudyEvent[];
}

/** The meta of a crossover or parallel study: two conditions or arms and a clinical scale (the validator guarantees both). */
export interface TrialStudyMeta extends StudyMeta {
  groups: StudyGroups & { treatment: string };
  clinical_scale: ClinicalScale;
}

export interface TrialStudy extends Study {
  meta: TrialStudyMeta;
}

/** A validated crossover or parallel study with its two arms and clinical scale typed as present. */
export function asTrialStudy(study: Study): TrialStudy {
  const m = study.meta;
  if (m.groups.treatment === undefined || m.clinical_scale === undefined) throw new Error(`${m.id}: a ${m.design ?? "belief-updating"} study needs two conditions or arms and a clinical scale`);
  return study as TrialStudy;
}
