/**
 * The studies of a power analysis: simulateDesign's generative model (task/simulate-design.ts), drawn
 * many times fast. For one design (groups, their sizes and sessions, events per session) the study
 * object is built once, a skeleton; every simulated study then overwrites its numbers in place (first
 * and second estimates, base rates of the extra events, clinical scores) from its own seed. So a
 * thousand studies allocate no trial objects, and the design of the study (designOf, which the
 * analyses read) is computed once, not a thousand times.
 *
 * The draws are simulateDesign's, one for one: the same linear congruential generator (d3-random's
 * randomLcg, as createRng) and the same polar normal method with its cached second value (d3-random's
 * randomNormal), consumed in the same order with the same arithmetic, so that
 * `PowerSimulator.draw(seed)` equals `simulateDesign({...config, seed}).study` value for value
 * (test/lib/power/simulate.test.ts). Demographics are left out (power needs no covariates).
 *
 * One extension, off unless asked for: `clinical.driver`. simulateDesign lets the clinical change at
 * session s follow the change in true asymmetry from the first session to s itself. With a driver
 * session d, the change at every later session follows the change of asymmetry from the first session
 * to d instead — as the bundled cohort's model (task/simulate.ts: the asymmetry change pre → post1
 * drives the MADRS change at post1 and post3), which is what a mediator measured pre → post1 and an
 * outcome measured pre → post3 need.
 */
import type { ClinicalRow, Participant, Study, StudyEvent, StudyMeta, Trial } from "../study/types.js";
import { eventsOfList, type LifeEvent } from "../task/events.js";
import { newsCode } from "../task/news.js";
import { simulationSpread, type DesignSimConfig } from "../task/simulate-design.js";
import { lcgStartState } from "../mediation/resample.js";

/** simulateDesign's configuration without demographics, and with the optional driver session. */
export type PowerSimConfig = Omit<DesignSimConfig, "demographics" | "seed" | "clinical"> & {
  clinical?: DesignSimConfig["clinical"] & {
    /** The session whose change in true asymmetry (from the first session) drives the clinical change at every later session; null or absent: each session's own (simulateDesign's rule). */
    driver?: string | null;
  };
};

const DEFAULT_LR = { good: 0.45, bad: 0.35 };
const LCG_MUL = 0x19660d;
const LCG_INC = 0x3c6ef35f;
const LCG_EPS = 1 / 0x100000000;

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** One event slot of a session: a listed event, or an extra one whose base rate is drawn per study. */
interface Slot {
  event: LifeEvent | null;
  id: string;
  label: string;
  positive: boolean;
}

interface PersonSession {
  /** Index of the session in the study's sessions (events list). */
  k: number;
  mu: { good: number; bad: number };
  /** First trial of this participant-session in study.trials. */
  first: number;
}

interface Person {
  group: number;
  id: string;
  sessions: PersonSession[];
  /** Clinical rows of this participant, one per session of its group, in study.clinical. */
  clinicalFirst: number;
}

/** Builds the study of a design once and refills it for every seed (see the module comment). */
export class PowerSimulator {
  readonly study: Study;
  private readonly slots: Slot[][];
  private readonly people: Person[];
  /** Per session index k and slot j: the base rate this study uses (extra events drawn per study). */
  private readonly rates: number[][];
  private state = 0;
  private cached = false;
  private cx = 0;
  private r = 0;

  constructor(private readonly config: PowerSimConfig) {
    const nEvents = config.eventsPerSession ?? 40;
    const nPositive = Math.min(nEvents, config.positiveEvents ?? 0);
    if (config.groups.length === 0) throw new Error("PowerSimulator: at least one group");
    if (config.sessions.length === 0) throw new Error("PowerSimulator: at least one session");
    this.slots = config.sessions.map((_, k) => {
      const even = k % 2 === 0;
      const take = (list: LifeEvent[], n: number, prefix: string, positive: boolean): Slot[] =>
        Array.from({ length: n }, (_, j) => (j < list.length ? { event: list[j], id: list[j].event_id, label: list[j].label, positive } : { event: null, id: `${prefix}${j + 1}`, label: `${prefix} ${j + 1}`, positive }));
      return [...take(eventsOfList(even ? "A" : "B"), nEvents - nPositive, even ? "A" : "B", false), ...take(eventsOfList(even ? "PA" : "PB"), nPositive, even ? "PA" : "PB", true)];
    });
    this.rates = this.slots.map((list) => list.map((s) => (s.event ? s.event.base_rate : 0)));
    const events = new Map<string, StudyEvent>();
    for (const list of this.slots)
      for (const s of list) events.set(s.id, { event_id: s.id, valence: s.positive ? "positive" : "negative", extra: { label: s.label } });

    const participants: Participant[] = [];
    const trials: Trial[] = [];
    const clinical: ClinicalRow[] = [];
    this.people = [];
    const width = Math.max(2, String(Math.max(...config.groups.map((g) => g.n))).length);
    config.groups.forEach((g, gi) => {
      const sessions = g.sessions ?? config.sessions;
      for (let i = 1; i <= g.n; i++) {
        const id = `${g.label}${String(i).padStart(width, "0")}`;
        participants.push({ participant_id: id, group: g.label, age: null, sex: null, education_years: null, extra: {} });
        const person: Person = { group: gi, id, sessions: [], clinicalFirst: -1 };
        for (const session of sessions) {
          const k = config.sessions.indexOf(session);
          person.sessions.push({ k, mu: config.lr?.[g.label]?.[session] ?? DEFAULT_LR, first: trials.length });
          for (const s of this.slots[k]) trials.push({ participant_id: id, session, event_id: s.id, first_estimate: 0, base_rate: 0, second_estimate: 0 });
        }
        this.people.push(person);
      }
    });
    const c = config.clinical;
    if (c)
      config.groups.forEach((g, gi) => {
        const sessions = g.sessions ?? config.sessions;
        for (const p of this.people) {
          if (p.group !== gi) continue;
          p.clinicalFirst = clinical.length;
          for (const s of sessions) clinical.push({ participant_id: p.id, session: s, score: 0 });
        }
      });
    const levels = config.groups.map((g) => g.label);
    const meta: StudyMeta = {
      id: config.id,
      title: config.title ?? `Simulated design: ${levels.join(", ")} × ${config.sessions.join(", ")} (synthetic cohort)`,
      description: `SYNTHETIC data simulated by belief-updating-kit for a power analysis: ${config.groups.map((g) => `${g.n} ${g.label}`).join(", ")}; sessions ${config.sessions.join(", ")}; ${nEvents} events per session${nPositive ? ` (${nPositive} positive)` : ""}. No patient data.`,
      citation: "Simulated by belief-updating-kit; no publication.",
      synthetic: true,
      groups: levels.length === 1 ? { reference: levels[0], levels } : { reference: levels[0], treatment: levels[levels.length - 1], levels },
      sessions: [...config.sessions],
    };
    if (c) meta.clinical_scale = { name: c.name, min: c.min, max: c.max };
    this.study = { meta, participants, trials, clinical };
    if (nPositive > 0) this.study.events = [...events.values()];
  }

  /** d3's randomLcg, written out. */
  private uniform(): number {
    this.state = (Math.imul(LCG_MUL, this.state) + LCG_INC) | 0;
    return LCG_EPS * (this.state >>> 0);
  }

  /** d3's randomNormal(0, 1) (polar method, second value cached). */
  private std(): number {
    let y: number;
    if (this.cached) {
      y = this.cx;
      this.cached = false;
    } else {
      let x: number;
      let r: number;
      do {
        x = this.uniform() * 2 - 1;
        y = this.uniform() * 2 - 1;
        r = x * x + y * y;
      } while (!r || r > 1);
      this.cx = x;
      this.r = r;
      this.cached = true;
    }
    return y * Math.sqrt((-2 * Math.log(this.r)) / this.r);
  }

  /**
   * Overwrite the study's numbers with the study of `seed` and return it (the same object every time:
   * read what you need before the next draw). Also returns the true asymmetry per participant-session.
   */
  draw(seed: number): Study {
    const cfg = this.config;
    this.state = lcgStartState(seed);
    this.cached = false;
    const uniform = () => this.uniform();
    // Extra events' base rates, drawn first, in simulateDesign's order.
    for (let k = 0; k < this.slots.length; k++) {
      const list = this.slots[k];
      for (let j = 0; j < list.length; j++) if (!list[j].event) this.rates[k][j] = Math.round(10 + 60 * uniform());
    }
    const { betweenSd, sessionSd, noiseMin, noiseMax, eeSd, biasSd, missingRate } = simulationSpread(cfg);
    const trials = this.study.trials;
    const c = cfg.clinical;
    const asym = c ? this.people.map((p) => new Float64Array(p.sessions.length)) : null;
    for (let pi = 0; pi < this.people.length; pi++) {
      const p = this.people[pi];
      const uGood = 0 + betweenSd * this.std();
      const uBad = 0 + betweenSd * this.std();
      const sigma = noiseMin + (noiseMax - noiseMin) * uniform();
      const bias = 0 + biasSd * this.std();
      for (let si = 0; si < p.sessions.length; si++) {
        const ps = p.sessions[si];
        const aGood = clamp(ps.mu.good + uGood + (0 + sessionSd * this.std()), 0.02, 0.98);
        const aBad = clamp(ps.mu.bad + uBad + (0 + sessionSd * this.std()), 0.02, 0.98);
        if (asym) asym[pi][si] = aGood - aBad;
        const list = this.slots[ps.k];
        const rates = this.rates[ps.k];
        for (let j = 0; j < list.length; j++) {
          const positive = list[j].positive;
          const br = rates[j];
          const e1 = clamp(Math.round(br + (positive ? -bias : bias) + (0 + eeSd * this.std())), 1, 99);
          const alpha = newsCode(e1, br, positive) === 1 ? aGood : aBad;
          const e2 = clamp(Math.round(e1 + alpha * (br - e1) + (0 + sigma * this.std())), 1, 99);
          const missing = uniform() < missingRate;
          const t = trials[ps.first + j];
          t.first_estimate = e1;
          t.base_rate = br;
          t.second_estimate = missing ? null : e2;
        }
      }
    }
    if (c && asym) {
      const clinical = this.study.clinical;
      cfg.groups.forEach((g, gi) => {
        const sessions = g.sessions ?? cfg.sessions;
        const members = this.people.map((p, i) => i).filter((i) => this.people[i].group === gi);
        const driver = c.driver != null ? sessions.indexOf(c.driver) : -1;
        // Change of true asymmetry from the first session (to the driver session, or to s itself), centred on the group's mean.
        const change = (i: number, s: number) => asym[i][driver >= 0 ? driver : s] - asym[i][0];
        const meanChange = sessions.map((_, s) => members.reduce((sum, i) => sum + change(i, s), 0) / Math.max(1, members.length));
        for (const i of members) {
          const base = c.baseline.mean + c.baseline.sd * this.std();
          const first = this.people[i].clinicalFirst;
          for (let k = 0; k < sessions.length; k++) {
            const y = k === 0 ? base : base + (c.drop?.[g.label]?.[sessions[k]] ?? 0) + (c.link ?? 0) * (change(i, k) - meanChange[k]) + (0 + (c.changeSd ?? 3) * this.std());
            clinical[first + k].score = clamp(Math.round(y), c.min, c.max);
          }
        }
      });
    }
    return this.study;
  }
}
