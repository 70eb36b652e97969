/**
 * Generative models of the two bundled synthetic clinical-trial studies (docs/designs.md):
 *
 *  - data/williams2018-naltrexone/: the crossover design of Williams et al. (2018): every participant
 *    receives IV ketamine 0.5 mg/kg twice, once after naltrexone 50 mg ("naltrexone") and once after
 *    placebo ("placebo"), in counterbalanced order; HAM-D-17 and its 6-item subscale at baseline and
 *    on post-infusion days 1 and 3 of each period; response = at least 50 % reduction of HAM-D-17 on day 1.
 *  - data/murrough2013-midazolam/: the parallel-group design of Murrough et al. (2013): ketamine
 *    0.5 mg/kg vs the active placebo midazolam 0.045 mg/kg, randomised 2:1, N = 73, MADRS at baseline
 *    and 24 h.
 *
 * Deterministic for a configuration and seed (random.ts). Figures that the papers' material we have
 * does not give are marked ASSUMED.
 *
 * Crossover model, participant i, condition c, period k, day d:
 *   severity s_i ~ N(baselineMean, baselineSd);  base[i,k] = clamp(round(s_i + N(0, periodSd)), baselineMin, max)
 *   responsiveness u_i ~ N(0, responsivenessSd)   (shared by both conditions and days)
 *   relative reduction r[i,c,d] = clamp(reduction[c][d] + periodEffect[k] + u_i + N(0, noiseSd), -0.3, 1)
 *   HAM-D-17[i,c,d] = clamp(round(base (1 - r)), 0, 52)
 *   HAM-D-6 baseline = clamp(round(h6Ratio base + N(0, h6Sd)), 0, min(22, base));
 *   HAM-D-6[i,c,d] = clamp(round(h6base (1 - r - N(0, h6NoiseSd))), 0, min(22, HAM-D-17))
 *   Carry-over is 0 by construction (washout between the infusions).
 * Parallel model, participant i in arm a:
 *   base_i = clamp(round(N(baselineMean, baselineSd)), baselineMin, 60);
 *   post_i = clamp(round(base_i + N(change[a], changeSd[a])), 0, 60)
 */
import { createRng, type Rng } from "../stats/random.js";
import { toCsv } from "../study/csv.js";
import { analyzeDesign } from "./analyze.js";
import { asTrialStudy, type ClinicalRow, type Participant, type Study, type TrialStudy, type TrialStudyMeta } from "../study/types.js";

export interface Demographics {
  age: { mean: number; sd: number; min: number; max: number };
  maleFraction: number;
  education: { mean: number; sd: number; min: number; max: number };
}

export interface CrossoverSimConfig {
  seed: number;
  meta: TrialStudyMeta;
  /** Participants per sequence, in the order of meta.sequences. */
  perSequence: number[];
  idPrefix: string;
  demographics: Demographics;
  baselineMean: number;
  baselineSd: number;
  baselineMin: number;
  /** SD of the period-2 baseline around the period-1 level (return to baseline after washout). */
  periodSd: number;
  /** Mean relative reduction from baseline per condition and time point after the baseline. */
  reduction: Record<string, Record<string, number>>;
  /** Added to the relative reduction in each period (index 0 = period 1). */
  periodEffect: number[];
  responsivenessSd: number;
  noiseSd: number;
  h6Ratio: number;
  h6Sd: number;
  h6NoiseSd: number;
}

export interface ParallelSimConfig {
  seed: number;
  meta: TrialStudyMeta;
  /** Participants per arm. */
  perArm: Record<string, number>;
  idPrefix: string;
  demographics: Demographics;
  baselineMean: number;
  baselineSd: number;
  baselineMin: number;
  /** Mean and SD of the change from baseline per arm and time point after the baseline. */
  change: Record<string, Record<string, { mean: number; sd: number }>>;
  /** Participants of an arm whose post-baseline scores are missing (the last n of the arm). */
  missingPost: Record<string, number>;
}

export const WILLIAMS_META: TrialStudyMeta = {
  id: "williams2018-naltrexone",
  title: "Naltrexone before ketamine: a crossover trial (synthetic cohort)",
  description:
    "SYNTHETIC data simulated by belief-updating-kit (npm run simulate -- --design crossover) with the design of Williams et al. (2018): " +
    "double-blind crossover in treatment-resistant depression; every participant receives IV ketamine 0.5 mg/kg twice, once after " +
    "naltrexone 50 mg (condition \"naltrexone\") and once after placebo (condition \"placebo\"), in counterbalanced order " +
    "(sequence PN = placebo first, NP = naltrexone first). HAM-D-17 and its 6-item subscale (HAM-D-6) at baseline and on post-infusion " +
    "days 1 and 3 of each period; response = at least 50 % reduction of HAM-D-17 on day 1. 12 participants completed both conditions. " +
    "Calibrated to the published figures (7 of 12 responders under ketamine + placebo; smaller reductions with naltrexone on days 1 and 3); " +
    "every other figure is an assumption. No patient data are included.",
  citation:
    "Design and calibration targets: Williams NR, et al. Attenuation of antidepressant effects of ketamine by opioid receptor antagonism. " +
    "Am J Psychiatry. 2018. doi:10.1176/appi.ajp.2018.18020138",
  synthetic: true,
  design: "crossover",
  groups: { reference: "placebo", treatment: "naltrexone", levels: ["placebo", "naltrexone"] },
  sessions: ["baseline", "day1", "day3"],
  clinical_scale: { name: "HAM-D-17", min: 0, max: 52 },
  conditions: ["placebo", "naltrexone"],
  sequences: { PN: ["placebo", "naltrexone"], NP: ["naltrexone", "placebo"] },
  response: { threshold: 0.5, session: "day1" },
  secondary_scales: [{ column: "hamd6", name: "HAM-D-6", min: 0, max: 22 }],
};

export const WILLIAMS_CONFIG: CrossoverSimConfig = {
  seed: 1, // the smallest seed meeting the published targets, calibrateCrossover(); `npm run simulate -- --design crossover --calibrate 1000`
  meta: WILLIAMS_META,
  perSequence: [6, 6], // published: 12 completed both conditions; ASSUMED: 6 per sequence (counterbalanced)
  idPrefix: "W",
  // ASSUMED: adults with treatment-resistant depression
  demographics: { age: { mean: 47, sd: 12, min: 21, max: 70 }, maleFraction: 0.5, education: { mean: 15, sd: 2.5, min: 10, max: 22 } },
  baselineMean: 25, // ASSUMED HAM-D-17 at baseline (moderate to severe depression)
  baselineSd: 4,
  baselineMin: 16, // ASSUMED (inclusion threshold)
  periodSd: 2, // ASSUMED: depression returns to its level after the washout
  // ASSUMED means; calibrated so that about 7 of 12 respond under ketamine + placebo on day 1
  // (published) and the reduction is much smaller with naltrexone on days 1 and 3 (published: significant).
  reduction: { placebo: { day1: 0.5, day3: 0.4 }, naltrexone: { day1: 0.15, day3: 0.08 } },
  periodEffect: [0, 0], // ASSUMED: no period effect
  responsivenessSd: 0.2, // ASSUMED
  noiseSd: 0.1, // ASSUMED
  h6Ratio: 0.46, // ASSUMED HAM-D-6 / HAM-D-17 at baseline
  h6Sd: 1.2,
  h6NoiseSd: 0.08,
};

export const MURROUGH_META: TrialStudyMeta = {
  id: "murrough2013-midazolam",
  title: "Ketamine vs midazolam: a parallel-group trial (synthetic cohort)",
  description:
    "SYNTHETIC data simulated by belief-updating-kit (npm run simulate -- --design parallel) with the design of Murrough et al. (2013): " +
    "two-site, double-blind, parallel-arm randomised trial in treatment-resistant major depression; a single IV infusion of ketamine " +
    "0.5 mg/kg or the active placebo midazolam 0.045 mg/kg, randomised 2:1, N = 73; MADRS at baseline and 24 h after the infusion " +
    "(primary outcome: change at 24 h); response = at least 50 % reduction of MADRS at 24 h. Effect sizes, baseline severity and " +
    "demographics are assumptions. No patient data are included.",
  citation:
    "Design: Murrough JW, et al. Antidepressant efficacy of ketamine in treatment-resistant major depression: a two-site randomized " +
    "controlled trial. Am J Psychiatry. 2013.",
  synthetic: true,
  design: "parallel",
  groups: { reference: "midazolam", treatment: "ketamine", levels: ["midazolam", "ketamine"] },
  sessions: ["baseline", "24h"],
  clinical_scale: { name: "MADRS", min: 0, max: 60 },
  response: { threshold: 0.5, session: "24h" },
};

export const MURROUGH_CONFIG: ParallelSimConfig = {
  seed: 733, // closest of seeds 1-1000 to the assumed mean changes, calibrateParallel(); `npm run simulate -- --design parallel --calibrate 1000`
  meta: MURROUGH_META,
  // Published: N = 73, 2:1. ASSUMED split 48:25 (the 2013 APA meeting abstract reports 47 ketamine and 25 midazolam
  // patients analysed, 72 in all); one ketamine participant has no 24-h score.
  perArm: { ketamine: 48, midazolam: 25 },
  idPrefix: "M",
  demographics: { age: { mean: 46, sd: 12, min: 21, max: 80 }, maleFraction: 0.5, education: { mean: 15, sd: 2.5, min: 10, max: 22 } }, // ASSUMED
  baselineMean: 31, // ASSUMED MADRS at baseline
  baselineSd: 5.5,
  baselineMin: 22, // ASSUMED (inclusion threshold)
  // ASSUMED from the 2013 APA meeting abstract (not in the project's reference file): mean MADRS decrease at 24 h
  // 16.5 points with ketamine and 8.8 with midazolam. SDs ASSUMED.
  change: { ketamine: { "24h": { mean: -16.5, sd: 10 } }, midazolam: { "24h": { mean: -8.8, sd: 9 } } },
  missingPost: { ketamine: 1, midazolam: 0 },
};

/** Figures of the papers shown beside the kit's own results, keyed by study id. */
export interface DesignPublished {
  citation: string;
  figures: { what: string; value: string; source: string }[];
}

export const DESIGN_PUBLISHED: Record<string, DesignPublished> = {
  "williams2018-naltrexone": {
    citation: "Williams NR, et al. Am J Psychiatry 2018. doi:10.1176/appi.ajp.2018.18020138",
    figures: [
      { what: "completed both conditions", value: "12", source: "published" },
      { what: "responders under ketamine + placebo (>= 50 % HAM-D-17 reduction, day 1)", value: "7 of 12", source: "published" },
      { what: "HAM-D-17 and HAM-D-6 reductions with naltrexone vs placebo, days 1 and 3", value: "significantly smaller", source: "published" },
      { what: "dissociation", value: "did not differ between conditions (not simulated)", source: "published" },
    ],
  },
  "murrough2013-midazolam": {
    citation: "Murrough JW, et al. Am J Psychiatry 2013",
    figures: [
      { what: "randomised", value: "N = 73, ketamine : midazolam 2:1", source: "published" },
      { what: "primary outcome", value: "MADRS change at 24 h", source: "published" },
      { what: "mean MADRS decrease at 24 h", value: "ketamine 16.5, midazolam 8.8 points (47 and 25 patients)", source: "2013 APA meeting abstract, used as an assumption" },
    ],
  },
};

// ---------------------------------------------------------------------------------------------

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Fisher-Yates shuffle with the seeded generator. */
function shuffle<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

function person(id: string, group: string, d: Demographics, rng: Rng): Participant {
  const age = clamp(Math.round(rng.normal(d.age.mean, d.age.sd)), d.age.min, d.age.max);
  const sex = rng.uniform() < d.maleFraction ? "M" : "F";
  const edu = clamp(Math.round(rng.normal(d.education.mean, d.education.sd)), d.education.min, d.education.max);
  return { participant_id: id, group, age, sex, education_years: edu, extra: {} };
}

export function simulateCrossover(config: CrossoverSimConfig = WILLIAMS_CONFIG): TrialStudy {
  const rng = createRng(config.seed);
  const meta = config.meta;
  const seqNames = Object.keys(meta.sequences ?? {});
  if (seqNames.length !== config.perSequence.length) throw new Error(`simulateCrossover: ${config.perSequence.length} sequence sizes for ${seqNames.length} sequences`);
  const n = config.perSequence.reduce((s, x) => s + x, 0);
  const width = Math.max(2, String(n).length);
  // Counterbalanced: the sequence labels, shuffled over the participants.
  const seqOf = shuffle(config.perSequence.flatMap((k, i) => Array<string>(k).fill(seqNames[i])), rng);
  const participants: Participant[] = [];
  const clinical: ClinicalRow[] = [];
  const [, ...later] = meta.sessions;
  const max17 = meta.clinical_scale.max;
  const h6 = meta.secondary_scales?.[0];
  for (let i = 0; i < n; i++) {
    const id = `${config.idPrefix}${pad(i + 1, width)}`;
    const seq = seqOf[i];
    participants.push(person(id, seq, config.demographics, rng));
    const severity = rng.normal(config.baselineMean, config.baselineSd);
    const u = rng.normal(0, config.responsivenessSd);
    meta.sequences![seq].forEach((condition, k) => {
      const base = clamp(Math.round(severity + rng.normal(0, config.periodSd)), config.baselineMin, max17);
      const base6 = h6 ? clamp(Math.round(config.h6Ratio * base + rng.normal(0, config.h6Sd)), 0, Math.min(h6.max, base)) : 0;
      const row = (session: string, score: number, s6: number): ClinicalRow => ({
        participant_id: id,
        condition,
        period: k + 1,
        session,
        score,
        ...(h6 ? { secondary: { [h6.column]: s6 } } : {}),
      });
      clinical.push(row(meta.sessions[0], base, base6));
      for (const session of later) {
        const r = clamp(config.reduction[condition][session] + (config.periodEffect[k] ?? 0) + u + rng.normal(0, config.noiseSd), -0.3, 1);
        const score = clamp(Math.round(base * (1 - r)), 0, max17);
        const s6 = h6 ? clamp(Math.round(base6 * (1 - r - rng.normal(0, config.h6NoiseSd))), 0, Math.min(h6.max, score)) : 0;
        clinical.push(row(session, score, s6));
      }
    });
  }
  return { meta, participants, trials: [], clinical };
}

export function simulateParallel(config: ParallelSimConfig = MURROUGH_CONFIG): TrialStudy {
  const rng = createRng(config.seed);
  const meta = config.meta;
  const arms = [meta.groups.treatment, meta.groups.reference];
  const n = arms.reduce((s, a) => s + (config.perArm[a] ?? 0), 0);
  const width = Math.max(2, String(n).length);
  const armOf = shuffle(arms.flatMap((a) => Array<string>(config.perArm[a] ?? 0).fill(a)), rng);
  // The last `missingPost[arm]` participants of each arm (in id order) have no post-baseline score.
  const missing = new Set<number>();
  for (const a of arms) {
    const idx = armOf.map((x, i) => (x === a ? i : -1)).filter((i) => i >= 0);
    for (const i of idx.slice(idx.length - (config.missingPost[a] ?? 0))) missing.add(i);
  }
  const participants: Participant[] = [];
  const clinical: ClinicalRow[] = [];
  const max = meta.clinical_scale.max;
  for (let i = 0; i < n; i++) {
    const id = `${config.idPrefix}${pad(i + 1, width)}`;
    const arm = armOf[i];
    participants.push(person(id, arm, config.demographics, rng));
    const base = clamp(Math.round(rng.normal(config.baselineMean, config.baselineSd)), config.baselineMin, max);
    clinical.push({ participant_id: id, session: meta.sessions[0], score: base });
    for (const session of meta.sessions.slice(1)) {
      const c = config.change[arm][session];
      const post = clamp(Math.round(base + rng.normal(c.mean, c.sd)), 0, max);
      clinical.push({ participant_id: id, session, score: missing.has(i) ? null : post });
    }
  }
  return { meta, participants, trials: [], clinical };
}

/** study.json as written: for a crossover study without the `groups` derived from the conditions. */
export function designStudyJson(meta: TrialStudyMeta): Record<string, unknown> {
  const { groups, conditions, sequences, response, secondary_scales, design, ...rest } = meta;
  const out: Record<string, unknown> = { id: rest.id, title: rest.title, description: rest.description, citation: rest.citation, synthetic: rest.synthetic, design };
  if (design === "crossover") Object.assign(out, { conditions, sequences });
  else out.groups = { reference: groups.reference, treatment: groups.treatment };
  Object.assign(out, { sessions: rest.sessions, clinical_scale: rest.clinical_scale });
  if (response) out.response = response;
  if (secondary_scales?.length) out.secondary_scales = secondary_scales;
  return out;
}

/** The three files of a crossover or parallel study folder, as text (byte-identical for the same study). */
export function designStudyToFiles(anyStudy: Study): Record<"study.json" | "participants.csv" | "clinical.csv", string> {
  const study = asTrialStudy(anyStudy);
  const meta = study.meta;
  const crossover = meta.design === "crossover";
  const secondary = meta.secondary_scales ?? [];
  const extraCols = [...new Set(study.participants.flatMap((p) => Object.keys(p.extra)))];
  return {
    "study.json": JSON.stringify(designStudyJson(meta), null, 2) + "\n",
    "participants.csv": toCsv(
      ["participant_id", "group", "age", "sex", "education_years", ...extraCols],
      study.participants.map((p) => [p.participant_id, p.group, p.age, p.sex, p.education_years, ...extraCols.map((k) => p.extra[k] ?? "")]),
    ),
    "clinical.csv": toCsv(
      [...(crossover ? ["participant_id", "condition", "period", "session", "score"] : ["participant_id", "session", "score"]), ...secondary.map((s) => s.column)],
      study.clinical.map((r) => [
        ...(crossover ? [r.participant_id, r.condition, r.period, r.session, r.score] : [r.participant_id, r.session, r.score]),
        ...secondary.map((s) => r.secondary?.[s.column] ?? null),
      ]),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Seed calibration (how the bundled seeds were chosen)

export interface CrossoverCalibration {
  seed: number;
  responders_reference: number;
  responders_other: number;
  n: number;
  /** p of the condition term per scale and day, e.g. "HAM-D-17 day1". */
  condition_p: Record<string, number | null>;
  /** Smallest carry-over p over scales and days. */
  min_carryover_p: number | null;
  /** Whether every target is met (see calibrateCrossover). */
  meets: boolean;
}

/** Summary of one simulated crossover cohort against the published targets. */
export function crossoverCalibration(config: CrossoverSimConfig): CrossoverCalibration {
  const study = simulateCrossover(config);
  const a = analyzeDesign(study);
  const [ref, other] = a.response;
  const condition_p: Record<string, number | null> = {};
  for (const m of a.models) condition_p[`${m.scale} ${m.session}`] = m.fixed.find((f) => f.term === m.key_term && f.estimate > 0)?.p ?? null;
  const ps = a.carryover!.map((c) => c.p).filter((p): p is number => p !== null);
  const min_carryover_p = ps.length ? Math.min(...ps) : null;
  const meets =
    ref.responders === 7 && ref.n === 12 && Object.values(condition_p).every((p) => p !== null && p < 0.05) && min_carryover_p !== null && min_carryover_p > 0.1;
  return { seed: config.seed, responders_reference: ref.responders, responders_other: other.responders, n: ref.n, condition_p, min_carryover_p, meets };
}

/**
 * Seeds 1..maxSeed that meet the published crossover targets: exactly 7 of 12 responders under the
 * reference condition (ketamine + placebo) on day 1; a smaller reduction under naltrexone (positive
 * condition coefficient on the change) with p < 0.05 for HAM-D-17 and HAM-D-6 on days 1 and 3; and,
 * as the generating model has no carry-over, no carry-over test below p = 0.10. The bundled seed is
 * the smallest that meets them.
 */
export function calibrateCrossover(maxSeed: number, base: CrossoverSimConfig = WILLIAMS_CONFIG): CrossoverCalibration[] {
  const out: CrossoverCalibration[] = [];
  for (let seed = 1; seed <= maxSeed; seed++) {
    const c = crossoverCalibration({ ...base, seed });
    if (c.meets) out.push(c);
  }
  return out;
}

export interface ParallelCalibration {
  seed: number;
  mean_change: Record<string, number | null>;
  n: Record<string, number>;
  /** |mean change - target| summed over the arms (primary scale, first time point after baseline). */
  distance: number;
}

export function parallelCalibration(config: ParallelSimConfig): ParallelCalibration {
  const study = simulateParallel(config);
  const a = analyzeDesign(study);
  const session = study.meta.sessions[1];
  const mean_change: Record<string, number | null> = {};
  const n: Record<string, number> = {};
  let distance = 0;
  for (const arm of [study.meta.groups.treatment, study.meta.groups.reference]) {
    const s = a.summary.find((x) => x.scale === study.meta.clinical_scale.name && x.condition === arm && x.session === session)!;
    mean_change[arm] = s.mean_change;
    n[arm] = s.n_change;
    distance += Math.abs((s.mean_change ?? Infinity) - config.change[arm][session].mean);
  }
  return { seed: config.seed, mean_change, n, distance };
}

/** Seeds 1..maxSeed ranked by how close the mean changes land to the assumed targets (closest first). */
export function calibrateParallel(maxSeed: number, base: ParallelSimConfig = MURROUGH_CONFIG): ParallelCalibration[] {
  const out: ParallelCalibration[] = [];
  for (let seed = 1; seed <= maxSeed; seed++) out.push(parallelCalibration({ ...base, seed }));
  return out.sort((x, y) => x.distance - y.distance || x.seed - y.seed);
}
