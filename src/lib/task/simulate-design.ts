/**
 * Synthetic studies of any belief-updating design: one group or several, one session or many,
 * negative and positive events, with or without demographics and a clinical score. The same
 * generative model as the bundled cohort (simulate.ts), written for any design; `belief-kit simulate
 * --groups … --sessions … --positive-events …` writes its folders, and the power analysis draws its
 * studies from it.
 *
 * Per participant i and session s (Sharot et al. 2011 task; learning-rate form of Kuzmanovic &
 * Rigoux 2017):
 *   alpha_v[i, s] = clamp(mu_v[group, s] + u_v[i] + w_v[i, s], 0.02, 0.98),  u ~ N(0, betweenSd), w ~ N(0, sessionSd)
 *   E1 = clamp(round(BR + b_i + N(0, eeSd)), 1, 99)   (b_i ~ N(0, biasSd): overestimates a risk, underestimates a chance)
 *   E2 = clamp(round(E1 + alpha_v (BR - E1) + N(0, sigma_i)), 1, 99),  sigma_i ~ U(noise)
 *   v = good or bad news by the kit's own rule (news.ts), with the event's valence
 * and, with a clinical score, y[i, s] = baseline_i + drop[group][s] + link * (change of true asymmetry
 * from the first session, centred on its group mean) + N(0, changeSd).
 * Everything seeded (createRng); byte-identical files for the same configuration.
 */
import type { ClinicalRow, Participant, Study, StudyEvent, StudyMeta, Trial } from "../study/types.js";
import { createRng } from "../stats/random.js";
import { eventsOfList, type LifeEvent } from "./events.js";
import { newsCode } from "./news.js";
import type { SimulatedStudy } from "./simulate.js";

export interface DesignGroup {
  label: string;
  n: number;
  /** Sessions this group attends (default: all). */
  sessions?: string[];
}

export interface DesignSimConfig {
  id: string;
  title?: string;
  seed: number;
  /** The groups, reference first. */
  groups: DesignGroup[];
  sessions: string[];
  /** Events per session (default 40). */
  eventsPerSession?: number;
  /** How many of a session's events are positive (default 0). */
  positiveEvents?: number;
  /** Mean learning rates per group and session (default 0.45 after good news, 0.35 after bad news). */
  lr?: Record<string, Record<string, { good: number; bad: number }>>;
  betweenSd?: number;
  sessionSd?: number;
  noise?: [number, number];
  eeSd?: number;
  biasSd?: number;
  missingRate?: number;
  /** Age, sex and years of education (default true). */
  demographics?: boolean;
  /** A clinical score (clinical.csv); none by default. */
  clinical?: {
    name: string;
    min: number;
    max: number;
    baseline: { mean: number; sd: number };
    /** Mean change from the first session, per group and later session (default 0). */
    drop?: Record<string, Record<string, number>>;
    /** Points of clinical change per unit of change in true asymmetry (default 0: no mediation). */
    link?: number;
    changeSd?: number;
  };
}

const DEFAULT_LR = { good: 0.45, bad: 0.35 };

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * The events of session k (k = 0, 1, …): negatives from the alternating lists A and B, positives from
 * PA and PB; past the 40 of a list, further events with seeded base rates (10-70 %).
 */
function sessionEvents(k: number, nNegative: number, nPositive: number, extraRate: () => number): { event: LifeEvent; positive: boolean }[] {
  const take = (list: LifeEvent[], n: number, prefix: string, positive: boolean) => {
    const out: { event: LifeEvent; positive: boolean }[] = [];
    for (let j = 0; j < n; j++)
      out.push({ event: j < list.length ? list[j] : { event_id: `${prefix}${j + 1}`, list: list[0].list, label: `${prefix} ${j + 1}`, base_rate: extraRate() }, positive });
    return out;
  };
  const even = k % 2 === 0;
  return [...take(eventsOfList(even ? "A" : "B"), nNegative, even ? "A" : "B", false), ...take(eventsOfList(even ? "PA" : "PB"), nPositive, even ? "PA" : "PB", true)];
}

/** The spread of a simulation, with its defaults (the one place they are written; the power engine reads them too). */
export function simulationSpread(config: Pick<DesignSimConfig, "betweenSd" | "sessionSd" | "noise" | "eeSd" | "biasSd" | "missingRate">) {
  const [noiseMin, noiseMax] = config.noise ?? [4, 8];
  return {
    betweenSd: config.betweenSd ?? 0.12,
    sessionSd: config.sessionSd ?? 0.08,
    noiseMin,
    noiseMax,
    eeSd: config.eeSd ?? 16,
    biasSd: config.biasSd ?? 5,
    missingRate: config.missingRate ?? 0.01,
  };
}

export function simulateDesign(config: DesignSimConfig): SimulatedStudy {
  const rng = createRng(config.seed);
  const nEvents = config.eventsPerSession ?? 40;
  const nPositive = Math.min(nEvents, config.positiveEvents ?? 0);
  if (config.groups.length === 0) throw new Error("simulateDesign: at least one group");
  if (config.sessions.length === 0) throw new Error("simulateDesign: at least one session");
  const { betweenSd, sessionSd, noiseMin, noiseMax, eeSd, biasSd, missingRate } = simulationSpread(config);
  const demographics = config.demographics ?? true;
  const extraRate = () => Math.round(10 + 60 * rng.uniform());
  // The events of every session index, drawn once (the same list for everyone in that session).
  const bySession = config.sessions.map((_, k) => sessionEvents(k, nEvents - nPositive, nPositive, extraRate));
  const events = new Map<string, StudyEvent>();
  for (const list of bySession) for (const { event, positive } of list) events.set(event.event_id, { event_id: event.event_id, valence: positive ? "positive" : "negative", extra: { label: event.label } });

  const participants: Participant[] = [];
  const trials: Trial[] = [];
  const clinical: ClinicalRow[] = [];
  const truth: SimulatedStudy["truth"] = [];
  const width = Math.max(2, String(Math.max(...config.groups.map((g) => g.n))).length);
  const asymmetry = new Map<string, Record<string, number>>();
  for (const g of config.groups) {
    const sessions = g.sessions ?? config.sessions;
    for (let i = 1; i <= g.n; i++) {
      const id = `${g.label}${String(i).padStart(width, "0")}`;
      participants.push(
        demographics
          ? { participant_id: id, group: g.label, age: clamp(Math.round(rng.normal(45, 12)), 18, 80), sex: rng.uniform() < 0.5 ? "M" : "F", education_years: clamp(Math.round(rng.normal(14, 3)), 8, 22), extra: {} }
          : { participant_id: id, group: g.label, age: null, sex: null, education_years: null, extra: {} },
      );
      const uGood = rng.normal(0, betweenSd);
      const uBad = rng.normal(0, betweenSd);
      const sigma = noiseMin + (noiseMax - noiseMin) * rng.uniform();
      const bias = rng.normal(0, biasSd);
      const asym: Record<string, number> = {};
      for (const session of sessions) {
        const k = config.sessions.indexOf(session);
        const mu = config.lr?.[g.label]?.[session] ?? DEFAULT_LR;
        const aGood = clamp(mu.good + uGood + rng.normal(0, sessionSd), 0.02, 0.98);
        const aBad = clamp(mu.bad + uBad + rng.normal(0, sessionSd), 0.02, 0.98);
        asym[session] = aGood - aBad;
        truth.push({ participant_id: id, session, alpha_good: aGood, alpha_bad: aBad, sigma });
        for (const { event, positive } of bySession[k]) {
          const br = event.base_rate;
          const e1 = clamp(Math.round(br + (positive ? -bias : bias) + rng.normal(0, eeSd)), 1, 99);
          const alpha = newsCode(e1, br, positive) === 1 ? aGood : aBad;
          const e2 = clamp(Math.round(e1 + alpha * (br - e1) + rng.normal(0, sigma)), 1, 99);
          const missing = rng.uniform() < missingRate;
          trials.push({ participant_id: id, session, event_id: event.event_id, first_estimate: e1, base_rate: br, second_estimate: missing ? null : e2 });
        }
      }
      asymmetry.set(id, asym);
    }
  }

  const c = config.clinical;
  if (c) {
    for (const g of config.groups) {
      const sessions = g.sessions ?? config.sessions;
      const ids = participants.filter((p) => p.group === g.label).map((p) => p.participant_id);
      // Change of true asymmetry from the first session, centred on the group's mean change.
      const change = (id: string, s: string) => asymmetry.get(id)![s] - asymmetry.get(id)![sessions[0]];
      const meanChange: Record<string, number> = {};
      for (const s of sessions) meanChange[s] = ids.reduce((sum, id) => sum + change(id, s), 0) / Math.max(1, ids.length);
      for (const id of ids) {
        const base = rng.normal(c.baseline.mean, c.baseline.sd);
        sessions.forEach((s, k) => {
          const y = k === 0 ? base : base + (c.drop?.[g.label]?.[s] ?? 0) + (c.link ?? 0) * (change(id, s) - meanChange[s]) + rng.normal(0, c.changeSd ?? 3);
          clinical.push({ participant_id: id, session: s, score: clamp(Math.round(y), c.min, c.max) });
        });
      }
    }
  }

  const levels = config.groups.map((g) => g.label);
  const meta: StudyMeta = {
    id: config.id,
    title: config.title ?? `Simulated design: ${levels.join(", ")} × ${config.sessions.join(", ")} (synthetic cohort)`,
    description:
      `SYNTHETIC data simulated by belief-updating-kit (belief-kit simulate): ${config.groups.map((g) => `${g.n} ${g.label}`).join(", ")}; ` +
      `sessions ${config.sessions.join(", ")}; ${nEvents} events per session${nPositive ? ` (${nPositive} positive)` : ""}; seed ${config.seed}. No patient data.`,
    citation: "Simulated by belief-updating-kit; no publication.",
    synthetic: true,
    groups: levels.length === 1 ? { reference: levels[0], levels } : { reference: levels[0], treatment: levels[levels.length - 1], levels },
    sessions: [...config.sessions],
  };
  if (c) meta.clinical_scale = { name: c.name, min: c.min, max: c.max };
  const study: Study = { meta, participants, trials, clinical };
  if (nPositive > 0) study.events = [...events.values()];
  return { study, truth };
}
