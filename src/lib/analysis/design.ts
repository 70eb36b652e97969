/**
 * What a belief-updating study's design allows: its groups and the sessions each has, the covariates
 * its participants.csv carries, the optional trial columns, and which analyses apply (the mixed
 * model's factors, the mediation). Computed once per study; the parameters, the pipeline, the
 * dashboard and the command line all read it, so an analysis is offered exactly where it applies.
 */
import type { Participant, Study, StudyMeta } from "../study/types.js";
import { positiveEventsOf } from "../task/scoring.js";

/** A covariate of the mixed model: its parameter name and how to read it from a participant. */
export interface Covariate {
  /** Name in the formula and the parameters ("education" reads the column education_years). */
  name: string;
  /** Column of participants.csv. */
  column: string;
  /** Participants with a known (numeric) value. */
  n_known: number;
}

export interface StudyDesignInfo {
  meta: StudyMeta;
  /** Groups with at least one participant, reference first (study.json order). */
  groups: string[];
  /** Participants per group. */
  n_by_group: Record<string, number>;
  /** Sessions each group has trials in, in study order. */
  sessions_by_group: Record<string, string[]>;
  /** Sessions with trials of any group, in study order. */
  sessions: string[];
  /** Numeric covariates of participants.csv (age, education_years as "education", and numeric extra columns). */
  covariates: Covariate[];
  has_clinical: boolean;
  /** Trials carry the participant's own estimate of the base rate / a recalled base rate. */
  has_estimated_base_rate: boolean;
  has_recalled_base_rate: boolean;
  /** Ids of the positive events (null: every event negative). */
  positive_events: Set<string> | null;
  /**
   * Groups whose change the mediation can follow: at least two sessions with trials and clinical
   * scores. The default mediation group is the study's treatment group when it is one of them, else the last.
   */
  mediation_groups: string[];
}

/** The value of a covariate for a participant (null when unknown). */
export function covariateValue(p: Participant, c: Pick<Covariate, "column">): number | null {
  if (c.column === "age") return p.age;
  if (c.column === "education_years") return p.education_years;
  const raw = p.extra[c.column];
  if (raw === undefined) return null;
  const t = raw.trim();
  if (t === "") return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : null;
}

/** A column of participants.csv whose every non-empty cell is a number. */
function numericExtra(participants: readonly Participant[], column: string): boolean {
  let any = false;
  for (const p of participants) {
    const raw = (p.extra[column] ?? "").trim();
    if (raw === "") continue;
    if (!Number.isFinite(Number(raw))) return false;
    any = true;
  }
  return any;
}

export function describeDesign(study: Study): StudyDesignInfo {
  const meta = study.meta;
  const groupOf = new Map(study.participants.map((p) => [p.participant_id, p.group]));
  const seen = new Map<string, Set<string>>();
  let lastId: string | null = null;
  let lastSession: string | null = null;
  let ebr = false;
  let rbr = false;
  for (const t of study.trials) {
    if (!ebr && t.estimated_base_rate !== undefined && t.estimated_base_rate !== null) ebr = true;
    if (!rbr && t.recalled_base_rate !== undefined && t.recalled_base_rate !== null) rbr = true;
    if (t.participant_id === lastId && t.session === lastSession) continue; // nothing new
    lastId = t.participant_id;
    lastSession = t.session;
    const g = groupOf.get(t.participant_id);
    if (g === undefined) continue;
    let s = seen.get(g);
    if (!s) seen.set(g, (s = new Set()));
    s.add(t.session);
  }
  const n_by_group: Record<string, number> = {};
  for (const g of meta.groups.levels) n_by_group[g] = 0;
  for (const p of study.participants) n_by_group[p.group] = (n_by_group[p.group] ?? 0) + 1;
  const groups = meta.groups.levels.filter((g) => n_by_group[g] > 0);
  const sessions_by_group: Record<string, string[]> = {};
  for (const g of meta.groups.levels) sessions_by_group[g] = meta.sessions.filter((s) => seen.get(g)?.has(s));
  const sessions = meta.sessions.filter((s) => groups.some((g) => sessions_by_group[g].includes(s)));

  const covariates: Covariate[] = [];
  const known = (column: string) => study.participants.filter((p) => covariateValue(p, { column }) !== null).length;
  if (study.participants.some((p) => p.age !== null)) covariates.push({ name: "age", column: "age", n_known: known("age") });
  if (study.participants.some((p) => p.education_years !== null)) covariates.push({ name: "education", column: "education_years", n_known: known("education_years") });
  const extraColumns = [...new Set(study.participants.flatMap((p) => Object.keys(p.extra)))];
  for (const column of extraColumns)
    if (/^[A-Za-z][A-Za-z0-9._]*$/.test(column) && column !== "age" && column !== "education" && numericExtra(study.participants, column))
      covariates.push({ name: column, column, n_known: known(column) });

  const has_clinical = meta.clinical_scale !== undefined && study.clinical.some((c) => c.score !== null);
  const scored = new Map<string, Set<string>>();
  for (const c of study.clinical) {
    if (c.score === null) continue;
    const g = groupOf.get(c.participant_id);
    if (g === undefined) continue;
    let s = scored.get(g);
    if (!s) scored.set(g, (s = new Set()));
    s.add(c.session);
  }
  const mediation_groups = has_clinical
    ? groups.filter((g) => sessions_by_group[g].length >= 2 && sessions_by_group[g].filter((s) => scored.get(g)?.has(s)).length >= 2)
    : [];
  return {
    meta,
    groups,
    n_by_group,
    sessions_by_group,
    sessions,
    covariates,
    has_clinical,
    has_estimated_base_rate: ebr,
    has_recalled_base_rate: rbr,
    positive_events: positiveEventsOf(study.events),
    mediation_groups,
  };
}

/** The default group of the mediation: the treatment group when it applies, else the last group that does (null: none). */
export function defaultMediationGroup(d: StudyDesignInfo): string | null {
  const t = d.meta.groups.treatment;
  if (t !== undefined && d.mediation_groups.includes(t)) return t;
  return d.mediation_groups[d.mediation_groups.length - 1] ?? null;
}

/** Why the mediation does not apply to this design (null when it does). */
export function mediationUnavailable(d: StudyDesignInfo): string | null {
  if (!d.has_clinical) return "the study has no clinical scores (clinical.csv), so there is no clinical change to mediate";
  if (d.mediation_groups.length === 0) return "no group has trials and clinical scores in two sessions, so there is no change to mediate";
  return null;
}
