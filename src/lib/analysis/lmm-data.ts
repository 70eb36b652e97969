/**
 * The data of the study's mixed model: the formula the design calls for, and its rows (one per cell
 * mean or scored trial of a participant in the model's sessions), as row objects or as typed columns
 * (the fast path of the random-intercept fit, no object per row).
 */
import type { LmmColumns, LmmRow } from "../lmm/index.js";
import type { Participant, Study } from "../study/types.js";
import type { ScoredTrial } from "../task/types.js";
import type { UpdateCell } from "../task/summary.js";
import { scoredTrialIndex, type ScoreColumns } from "../task/columnar.js";
import { covariateValue, type StudyDesignInfo } from "./design.js";
import type { AnalysisParams } from "./params.js";

/** The factors of the model on the chosen sessions: the groups with participants in them, the sessions, valence. */
export interface LmmFactors {
  groups: string[];
  sessions: string[];
}

export function lmmFactors(d: StudyDesignInfo, params: Pick<AnalysisParams, "lmm">): LmmFactors {
  const groups = d.groups.filter((g) => params.lmm.some((s) => d.sessions_by_group[g].includes(s)));
  return { groups, sessions: params.lmm };
}

/**
 * The default formula of the design: update ~ valence, crossed with group when the model's sessions
 * hold more than one group and with session when there is more than one session, plus the covariates.
 */
export function lmmFormula(d: StudyDesignInfo, params: Pick<AnalysisParams, "cov" | "lmm"> & Partial<Pick<AnalysisParams, "re" | "level">>): string {
  const f = lmmFactors(d, params);
  const factors = [...(f.groups.length > 1 ? ["group"] : []), ...(f.sessions.length > 1 ? ["session"] : []), "valence"];
  const re = params.re ?? "int";
  const participant = re === "slope" || re === "slope-event" ? "(1 + valence | participant_id)" : "(1 | participant_id)";
  // Event intercepts need one row per trial: at cell level there is no event.
  const event = (re === "event" || re === "slope-event") && params.level === "trials" ? " + (1 | event_id)" : "";
  return `update ~ ${factors.join(" * ")}${params.cov.map((c) => ` + ${c}`).join("")} + ${participant}${event}`;
}

/** The random-effects structures the dashboard offers: intercept per participant, + valence slope, + event intercept (trials). */
export const RANDOM_STRUCTURES = ["int", "slope", "event", "slope-event"] as const;
export type RandomStructure = (typeof RANDOM_STRUCTURES)[number];

/** What the design's formula leaves out of the model for these sessions, and why (empty when nothing). */
export function lmmNotes(d: StudyDesignInfo, params: Pick<AnalysisParams, "lmm"> & Partial<Pick<AnalysisParams, "re" | "level">>): string[] {
  const f = lmmFactors(d, params);
  const notes: string[] = [];
  if (d.groups.length > 1 && f.groups.length === 1) notes.push(`group is left out of the model: only ${f.groups[0]} has trials in ${f.sessions.join(", ")}`);
  if (d.sessions.length > 1 && f.sessions.length === 1) notes.push(`session is left out of the model: it has one session (${f.sessions[0]})`);
  if ((params.re === "event" || params.re === "slope-event") && params.level !== "trials") notes.push("the event intercept is left out: it needs one row per trial (data level trials)");
  return notes;
}

/**
 * The term the dashboard leads with: the highest interaction of valence with the design's factors
 * (group x time x valence with two groups and sessions; the valence term alone with one group and one
 * session), for the treatment group (else the last group) and the last session.
 */
export function lmmKeyTerm(d: StudyDesignInfo, params: Pick<AnalysisParams, "lmm">): string {
  const f = lmmFactors(d, params);
  const group = f.groups.length > 1 ? (d.meta.groups.treatment !== undefined && f.groups.includes(d.meta.groups.treatment) ? d.meta.groups.treatment : f.groups[f.groups.length - 1]) : null;
  const session = f.sessions.length > 1 ? f.sessions[f.sessions.length - 1] : null;
  return [...(group ? [`group${group}`] : []), ...(session ? [`session${session}`] : []), "valencegood"].join(":");
}

/** The rows of the mixed model: one per cell (or scored trial) of a known participant in the model's sessions. */
export function lmmRows(trials: () => readonly ScoredTrial[], cells: readonly UpdateCell[], study: Study, d: StudyDesignInfo, params: Pick<AnalysisParams, "level" | "lmm">): LmmRow[] {
  const demo = new Map(study.participants.map((p) => [p.participant_id, p]));
  const inSessions = new Set(params.lmm);
  const rows: LmmRow[] = [];
  const push = (participant_id: string, session: string, valence: string, update: number, event_id?: string) => {
    const p = demo.get(participant_id);
    if (!p || !inSessions.has(session)) return;
    const row: LmmRow = { participant_id, group: p.group, session, valence, update };
    for (const c of d.covariates) row[c.name] = covariateValue(p, c);
    if (event_id !== undefined) row.event_id = event_id;
    rows.push(row);
  };
  if (params.level === "trials") for (const t of trials()) push(t.participant_id, t.session, t.valence, t.update, t.event_id);
  else for (const c of cells) push(c.participant_id, c.session, c.valence, c.update);
  return rows;
}

/**
 * The same rows as lmmRows, as typed columns (see LmmColumns): the covariates as numbers (NaN where
 * unknown), the group, session and valence as level codes.
 */
export function lmmColumns(
  pass: { cols: ScoreColumns; dropped: Uint8Array } | undefined,
  trials: () => readonly ScoredTrial[],
  cells: readonly UpdateCell[],
  study: Study,
  d: StudyDesignInfo,
  params: Pick<AnalysisParams, "level" | "lmm">,
): LmmColumns | null {
  const { groups } = lmmFactors(d, params);
  if (!study.participants.every((p) => typeof p.group === "string" && typeof p.participant_id === "string")) return null;
  const groupIndex = new Map(groups.map((g, j) => [g, j]));
  const sessionCode = new Map<string, number>();
  params.lmm.forEach((s, j) => {
    if (!sessionCode.has(s)) sessionCode.set(s, j);
  });
  // Per participant (the last of duplicate ids, as a Map of all would keep): index, group code, covariates.
  const participants: readonly Participant[] = study.participants;
  const nP = participants.length;
  const index = new Map<string, number>();
  const groupCode = new Int32Array(nP);
  const cov = d.covariates.map(() => new Float64Array(nP));
  for (let i = 0; i < nP; i++) {
    const p = participants[i];
    index.set(p.participant_id, i);
    groupCode[i] = p.group === "" ? -2 : (groupIndex.get(p.group) ?? -1);
    d.covariates.forEach((c, k) => {
      cov[k][i] = covariateValue(p, c) ?? NaN;
    });
  }
  const cap = params.level === "trials" ? (pass ? pass.cols.nScored : trials().length) : cells.length;
  const y = new Float64Array(cap);
  const cCov = d.covariates.map(() => new Float64Array(cap));
  const cGroup = new Int32Array(cap);
  const cSession = new Int32Array(cap);
  const cValence = new Int32Array(cap);
  const cId = new Int32Array(cap);
  let n = 0;
  let lastId: string | null = null;
  let lastIndex = -1;
  let lastSession: string | null = null;
  let lastSessionCode = -1;
  // One row per cell (or scored trial) of a known participant in the model's sessions, as lmmRows.
  const row = (participant_id: string, session: string, good: boolean, update: number): void => {
    if (participant_id !== lastId) {
      lastId = participant_id;
      lastIndex = index.get(participant_id) ?? -1;
    }
    if (session !== lastSession) {
      lastSession = session;
      lastSessionCode = sessionCode.get(session) ?? -1;
    }
    const i = lastIndex;
    if (i < 0 || lastSessionCode < 0) return;
    y[n] = update;
    for (let k = 0; k < cov.length; k++) cCov[k][n] = cov[k][i];
    cGroup[n] = groupCode[i];
    cSession[n] = session === "" ? -2 : lastSessionCode;
    cValence[n] = good ? 1 : 0;
    cId[n] = participant_id === "" ? -1 : i;
    n++;
  };
  if (params.level === "trials") {
    if (pass) {
      // Straight from the scoring pass: the trials' index, participant-session and valence.
      const { index: at, ps, good, update } = scoredTrialIndex(study.trials, pass.cols);
      for (let k = 0; k < at.length; k++) {
        if (pass.dropped[ps[k]]) continue;
        const t = study.trials[at[k]];
        row(t.participant_id, t.session, good[k] === 1, update[k]);
      }
    } else for (const t of trials()) row(t.participant_id, t.session, t.valence === "good", t.update);
  } else for (const c of cells) row(c.participant_id, c.session, c.valence === "good", c.update);
  const numeric: Record<string, Float64Array> = { update: y.subarray(0, n) };
  d.covariates.forEach((c, k) => {
    numeric[c.name] = cCov[k].subarray(0, n);
  });
  return {
    n,
    numeric,
    factors: {
      group: { codes: cGroup.subarray(0, n), levels: groups },
      session: { codes: cSession.subarray(0, n), levels: params.lmm },
      valence: { codes: cValence.subarray(0, n), levels: ["bad", "good"] },
    },
    group: { name: "participant_id", codes: cId.subarray(0, n), count: nP },
  };
}
