/**
 * Parameter and model recovery for the learning-rate models (Wilson & Collins 2019, "Ten simple rules
 * for the computational modeling of behavioral data", eLife 8:e49547, rules 5-6; Palminteri, Wyart &
 * Koechlin 2017, Trends Cogn Sci 21:425).
 *
 * Design: the (E1, BR) pairs of real participant-sessions (trial counts, valence mix and |EE|
 * distribution of the study), or synthetic ones. For every generating model, `n` participant-sessions
 * are simulated, cycling through the designs; true parameters are drawn from realistic distributions
 * (DEFAULT_GENERATING), and
 *
 *   E2 = clamp(round(E1 + alpha_t * (BR - E1) + N(0, sigma^2)), 1, 99)
 *
 * -- rounded to integers and clamped to [1, 99] as real tasks record estimates, so the fitted Gaussian
 * model is slightly misspecified, as it is for real data (this biases sigma a little: rounding adds
 * variance 1/12, clamping removes some). Valence is fixed by the design (BR < E1 good news).
 * Then every model is refitted:
 *   - parameter recovery: the generating model's own fits vs the truth -- Pearson r, mean bias
 *     (estimate - truth) and RMSE per parameter (alpha_good, alpha_bad, asymmetry, sigma, and the
 *     model-specific s, k, beta); flat ML fits, and hierarchical MAP fits when asked;
 *   - model recovery: confusion matrix, rows = generating model, columns = the model with the lowest
 *     BIC (ties shared equally, see comparison.ts; flat valence and scaling-asymmetry always tie).
 * All randomness goes through createRng(seed): the report is a deterministic function of the designs
 * and the options.
 */
import type { Study } from "../study/types.js";
import type { ScoredTrial } from "../task/types.js";
import { createRng, type Rng } from "../stats/random.js";
import { groupByParticipantSession } from "../task/scoring.js";
import { scoreTrials } from "../task/columnar.js";
import { newsCode, updateOf, valenceOf } from "../task/news.js";
import type { ModelFit, LsModelName } from "./types.js";
import { LS_MODELS, parseModelName } from "./registry.js";
import { computeStats } from "../task/sufficient-stats.js";
import { fitFromStats } from "./fit.js";
import { bayesRecoveryOf, type BayesRecovery } from "./bayes-recovery.js";
import type { PriorChoice } from "./bayes-fits.js";
import { BAYES_KIT_MODELS } from "./names.js";
import { fitHierarchicalFromStats } from "./hierarchical/index.js";
import { compareModels } from "./comparison.js";
import { pearson } from "../stats/describe.js";

export { pearson };

export interface TrialDesign {
  e1: number;
  br: number;
}

export interface SessionDesign {
  participant_id?: string;
  session?: string;
  trials: TrialDesign[];
}

/** True parameters of one simulated participant-session. */
export interface TrueParams {
  alpha_good: number;
  alpha_bad: number;
  sigma: number;
  /** ee-weighted only. */
  beta?: number;
  /** scaling-asymmetry only (alpha_good = s + k, alpha_bad = s - k). */
  s?: number;
  k?: number;
}

export type ParamSampler = (rng: Rng) => TrueParams;

const clip = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const rate = (rng: Rng, mean: number, sd: number): number => clip(rng.normal(mean, sd), 0.02, 1);
const noise = (rng: Rng): number => 6 + 6 * rng.uniform();

/**
 * Default generating distributions: learning rates N(mean, 0.15) clipped to [0.02, 1] (means 0.45 good /
 * 0.40 bad, in the range reported for this task, e.g. Kuzmanovic & Rigoux 2017; Bottemanne et al. 2022),
 * sigma ~ Uniform(6, 12) percentage points, beta ~ N(-0.05, 0.08), s ~ N(0.425, 0.12), k ~ N(0.025, 0.08).
 */
export const DEFAULT_GENERATING: Readonly<Record<LsModelName, ParamSampler>> = {
  single: (rng) => {
    const a = rate(rng, 0.42, 0.15);
    return { alpha_good: a, alpha_bad: a, sigma: noise(rng) };
  },
  valence: (rng) => ({ alpha_good: rate(rng, 0.45, 0.15), alpha_bad: rate(rng, 0.4, 0.15), sigma: noise(rng) }),
  "scaling-asymmetry": (rng) => {
    const s = rng.normal(0.425, 0.12);
    const k = rng.normal(0.025, 0.08);
    const ag = clip(s + k, 0.02, 1);
    const ab = clip(s - k, 0.02, 1);
    return { alpha_good: ag, alpha_bad: ab, s: (ag + ab) / 2, k: (ag - ab) / 2, sigma: noise(rng) };
  },
  "ee-weighted": (rng) => ({ alpha_good: rate(rng, 0.45, 0.15), alpha_bad: rate(rng, 0.4, 0.15), beta: rng.normal(-0.05, 0.08), sigma: noise(rng) }),
};

export interface RecoveryOptions {
  /** Simulated participant-sessions per generating model (default 200). */
  n?: number;
  /** Seed of createRng (default 1). */
  seed?: number;
  /** Generating and fitted models (default all). */
  models?: readonly (LsModelName | string)[];
  /** Also recover parameters with hierarchical (EM) fits, and compare models by iBIC (default false). */
  hierarchical?: boolean;
  /** Also invert the Bayesian models and recover models by Bayesian model selection (prior: a preset or a prior; default false). */
  bayes?: boolean | PriorChoice;
  /** Replace generating distributions. */
  generating?: Partial<Record<LsModelName, ParamSampler>>;
  /** Round E2 to integers (default true). */
  round?: boolean;
  /** Clamp E2 to this range (default [1, 99]). */
  range?: [number, number];
}

export interface ParameterRecovery {
  model: LsModelName;
  method: "ml" | "map";
  parameter: string;
  /** Fits with both a true and an estimated value. */
  n: number;
  /** Pearson correlation of estimate with truth; null when either has no spread. */
  r: number | null;
  /** Mean of estimate - truth. */
  bias: number | null;
  rmse: number | null;
  true_mean: number | null;
  true_sd: number | null;
  estimate_mean: number | null;
}

/** One simulated participant-session and parameter: the value used to simulate and the value fitted back. */
export interface RecoveryPoint {
  model: LsModelName;
  method: "ml" | "map";
  participant_id: string;
  parameter: string;
  truth: number;
  estimate: number;
}

export interface ConfusionRow {
  generating: LsModelName;
  /** Participant-sessions compared (with a BIC under every model). */
  n: number;
  /** Counts of best (lowest BIC) fitted model; ties shared equally. */
  best: Record<string, number>;
  proportion: Record<string, number>;
  /** With `hierarchical`: the fitted model with the lowest iBIC on this generating model's data. */
  best_ibic?: LsModelName | null;
  ibic?: Record<string, number | null>;
}

export interface RecoveryReport {
  seed: number;
  n: number;
  models: LsModelName[];
  design: {
    n_designs: number;
    trials_min: number;
    trials_mean: number;
    trials_max: number;
    good_fraction: number;
    abs_ee_mean: number;
    abs_ee_sd: number;
  };
  parameters: ParameterRecovery[];
  /** Every (truth, estimate) pair behind `parameters` (for scatter plots). */
  points: RecoveryPoint[];
  confusion: ConfusionRow[];
  /** With `bayes`: model recovery by Bayesian model selection and parameter recovery of the Bayesian fits. */
  bayes?: BayesRecovery;
  notes: string[];
  warnings: string[];
}

/** Designs (E1, BR per trial) of every participant-session of scored trials. */
export function designsFromTrials(trials: readonly ScoredTrial[]): SessionDesign[] {
  return groupByParticipantSession(trials).map((g) => ({
    participant_id: g.participant_id,
    session: g.session,
    trials: g.trials.map((t) => ({ e1: t.e1, br: t.br })),
  }));
}

/** Designs of a loaded study: its scored trials (scoring.ts), per participant-session. */
export function designsFromStudy(study: Study): SessionDesign[] {
  return designsFromTrials(scoreTrials(study.trials).trials);
}

/**
 * Synthetic designs: E1 uniform on the integers 5..85, BR uniform on 3..77 (the base-rate range of the
 * classic event lists, Sharot et al. 2011), redrawn while E1 = BR. Roughly half good, half bad news.
 */
export function syntheticDesigns(options: { n?: number; trials?: number; seed?: number } = {}): SessionDesign[] {
  const rng = createRng(options.seed ?? 1);
  const n = options.n ?? 56;
  const trials = options.trials ?? 40;
  return Array.from({ length: n }, (_, i) => ({
    participant_id: `D${String(i + 1).padStart(3, "0")}`,
    session: "S1",
    trials: Array.from({ length: trials }, () => {
      const e1 = 5 + rng.int(81);
      let br = 3 + rng.int(75);
      while (br === e1) br = 3 + rng.int(75);
      return { e1, br };
    }),
  }));
}

/** Simulate one participant-session of a model with the given design (see the header for the formula). */
export function simulateSession(
  model: LsModelName,
  params: TrueParams,
  design: SessionDesign,
  rng: Rng,
  ids: { participant_id: string; session: string },
  options: { round?: boolean; range?: [number, number] } = {},
): ScoredTrial[] {
  const [lo, hi] = options.range ?? [1, 99];
  const round = options.round ?? true;
  const kept = design.trials.filter((t) => valenceOf(t.e1, t.br) !== null);
  // ee-weighted: z = (|EE| - mean|EE|)/sd|EE| over the participant-session (population SD), as in the fit.
  let m = 0;
  let sd = 0;
  if (model === "ee-weighted" && kept.length > 0) {
    const a = kept.map((t) => Math.abs(t.e1 - t.br));
    m = a.reduce((s, v) => s + v, 0) / a.length;
    sd = Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
  }
  return kept.map((t, i) => {
    const valence = valenceOf(t.e1, t.br)!;
    let alpha = valence === "good" ? params.alpha_good : params.alpha_bad;
    if (model === "ee-weighted" && sd > 0) alpha += ((params.beta ?? 0) * (Math.abs(t.e1 - t.br) - m)) / sd;
    let e2 = t.e1 + alpha * (t.br - t.e1) + rng.normal(0, params.sigma);
    if (round) e2 = Math.round(e2);
    e2 = clip(e2, lo, hi);
    return {
      participant_id: ids.participant_id,
      session: ids.session,
      event_id: `t${i + 1}`,
      e1: t.e1,
      br: t.br,
      e2,
      ee: t.e1 - t.br,
      valence,
      update: updateOf(t.e1, t.br, e2),
    };
  });
}

/** Parameters whose recovery is reported, per model. */
export const RECOVERED_PARAMETERS: Readonly<Record<LsModelName, readonly string[]>> = {
  single: ["alpha", "sigma"],
  valence: ["alpha_good", "alpha_bad", "asymmetry", "sigma"],
  "scaling-asymmetry": ["alpha_good", "alpha_bad", "asymmetry", "sigma", "s", "k"],
  "ee-weighted": ["alpha_good", "alpha_bad", "asymmetry", "sigma", "beta"],
};

function trueValue(t: TrueParams, name: string): number | null {
  switch (name) {
    case "alpha":
    case "alpha_good":
      return t.alpha_good;
    case "alpha_bad":
      return t.alpha_bad;
    case "asymmetry":
      return t.alpha_good - t.alpha_bad;
    case "sigma":
      return t.sigma;
    default:
      return (t as unknown as Record<string, number | undefined>)[name] ?? null;
  }
}

function estimate(f: ModelFit, name: string): number | null {
  switch (name) {
    case "alpha":
      return f.params.alpha ?? null;
    case "alpha_good":
      return f.alpha_good;
    case "alpha_bad":
      return f.alpha_bad;
    case "asymmetry":
      return f.asymmetry;
    case "sigma":
      return f.sigma;
    default:
      return f.params[name] ?? null;
  }
}


function recoveryRows(model: LsModelName, method: "ml" | "map", truths: Map<string, TrueParams>, fits: readonly ModelFit[], points: RecoveryPoint[]): ParameterRecovery[] {
  return RECOVERED_PARAMETERS[model].map((name) => {
    const tv: number[] = [];
    const ev: number[] = [];
    for (const f of fits) {
      const t = truths.get(f.participant_id);
      if (!t) continue;
      const a = trueValue(t, name);
      const b = estimate(f, name);
      if (a === null || b === null) continue;
      tv.push(a);
      ev.push(b);
      points.push({ model, method, participant_id: f.participant_id, parameter: name, truth: a, estimate: b });
    }
    const n = tv.length;
    const mean = (v: number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : null);
    const tm = mean(tv);
    return {
      model,
      method,
      parameter: name,
      n,
      r: pearson(tv, ev),
      bias: n ? ev.reduce((s, v, i) => s + v - tv[i], 0) / n : null,
      rmse: n ? Math.sqrt(ev.reduce((s, v, i) => s + (v - tv[i]) ** 2, 0) / n) : null,
      true_mean: tm,
      true_sd: n > 1 && tm !== null ? Math.sqrt(tv.reduce((s, v) => s + (v - tm) ** 2, 0) / (n - 1)) : null,
      estimate_mean: mean(ev),
    };
  });
}

function normaliseDesigns(designs: readonly SessionDesign[] | readonly (readonly TrialDesign[])[]): SessionDesign[] {
  return designs.map((d, i) =>
    Array.isArray(d) ? { participant_id: `D${i + 1}`, session: "S1", trials: [...(d as readonly TrialDesign[])] } : (d as SessionDesign),
  );
}

/** Run parameter and model recovery (see the header). */
export function runRecovery(designs: readonly SessionDesign[] | readonly (readonly TrialDesign[])[], options: RecoveryOptions = {}): RecoveryReport {
  const ds = normaliseDesigns(designs).filter((d) => d.trials.some((t) => valenceOf(t.e1, t.br) !== null));
  if (ds.length === 0) throw new Error("runRecovery: no design with at least one trial where E1 != BR");
  const n = options.n ?? 200;
  if (!Number.isInteger(n) || n < 1) throw new Error(`runRecovery: n must be a positive integer, got ${n}`);
  const seed = options.seed ?? 1;
  const models = options.models ? LS_MODELS.filter((m) => options.models!.map((x) => parseModelName(x)).includes(m)) : [...LS_MODELS];
  const warnings: string[] = [];
  const notes: string[] = [
    "E2 simulated as clamp(round(E1 + alpha * (BR - E1) + N(0, sigma^2)), 1, 99): rounding and clamping make the Gaussian model slightly misspecified, as for real data",
    "sigma is the ML estimate sqrt(RSS/n), biased downward by about sqrt((n - k)/n) (k = coefficients), on top of the rounding/clamping effect",
    "model recovery: best = lowest BIC per simulated participant-session, ties shared equally",
    "each generating model draws from its own seeded stream (seed x 4 + its index among the models), so one model's figures are the same whichever models are run",
  ];
  if (models.includes("valence") && models.includes("scaling-asymmetry")) {
    notes.push("valence and scaling-asymmetry are the same model for flat fits: their BICs tie and each gets half of the other's data");
  }

  const allTrials = ds.flatMap((d) => d.trials.filter((t) => valenceOf(t.e1, t.br) !== null));
  const counts = ds.map((d) => d.trials.filter((t) => valenceOf(t.e1, t.br) !== null).length);
  const absEe = allTrials.map((t) => Math.abs(t.e1 - t.br));
  const absMean = absEe.reduce((s, v) => s + v, 0) / absEe.length;
  const design = {
    n_designs: ds.length,
    trials_min: Math.min(...counts),
    trials_mean: counts.reduce((s, v) => s + v, 0) / counts.length,
    trials_max: Math.max(...counts),
    good_fraction: allTrials.filter((t) => newsCode(t.e1, t.br) === 1).length / allTrials.length,
    abs_ee_mean: absMean,
    abs_ee_sd: Math.sqrt(absEe.reduce((s, v) => s + (v - absMean) ** 2, 0) / absEe.length),
  };

  const parameters: ParameterRecovery[] = [];
  const points: RecoveryPoint[] = [];
  const confusion: ConfusionRow[] = [];
  const bayes: BayesRecovery = { prior: "kit", confusion: [], parameters: [] };
  for (const gen of models) {
    // Each generating model draws from its own stream, so its figures do not depend on which other
    // models are run (the CLI, the dashboard and --models give the same numbers for one model).
    const rng = createRng(streamSeed(seed, gen));
    const sampler = options.generating?.[gen] ?? DEFAULT_GENERATING[gen];
    const truths = new Map<string, TrueParams>();
    const trials: ScoredTrial[] = [];
    for (let i = 0; i < n; i++) {
      const id = `${gen}-${String(i + 1).padStart(4, "0")}`;
      const params = sampler(rng);
      truths.set(id, params);
      trials.push(...simulateSession(gen, params, ds[i % ds.length], rng, { participant_id: id, session: "sim" }, options));
    }
    if (options.bayes) {
      const prior = options.bayes === true ? "kit" : options.bayes;
      const b = bayesRecoveryOf(gen, trials, truths, prior);
      bayes.confusion.push(b.confusion);
      bayes.parameters.push(...b.parameters);
      bayes.prior = typeof prior === "string" ? prior : "custom";
    }
    const stats = computeStats(trials);
    const fitsByModel: Partial<Record<LsModelName, ModelFit[]>> = {};
    for (const m of models) fitsByModel[m] = stats.map((s) => fitFromStats(m, s));
    parameters.push(...recoveryRows(gen, "ml", truths, fitsByModel[gen]!, points));

    const cmp = compareModels(fitsByModel);
    const nCompared = cmp.best.length;
    if (cmp.excluded.length > 0) warnings.push(`${gen}: ${cmp.excluded.length} simulated participant-session(s) without a BIC under every model were left out of model recovery`);
    const best: Record<string, number> = {};
    const proportion: Record<string, number> = {};
    for (const t of cmp.totals) {
      best[t.model] = t.n_best;
      proportion[t.model] = nCompared > 0 ? t.n_best / nCompared : 0;
    }
    const row: ConfusionRow = { generating: gen, n: nCompared, best, proportion };

    if (options.hierarchical) {
      const ibic: Record<string, number | null> = {};
      for (const m of models) {
        const h = fitHierarchicalFromStats(stats, m);
        ibic[m] = h.ibic;
        if (m === gen) parameters.push(...recoveryRows(gen, "map", truths, h.fits, points));
        for (const w of h.warnings) if (/converge/.test(w)) warnings.push(`${gen} data, ${m} fit: ${w}`);
      }
      let bestIbic: LsModelName | null = null;
      for (const m of models) if (ibic[m] !== null && (bestIbic === null || ibic[m]! < ibic[bestIbic]!)) bestIbic = m;
      row.ibic = ibic;
      row.best_ibic = bestIbic;
    }
    confusion.push(row);
  }
  return { seed, n, models, design, parameters, points, confusion, ...(options.bayes ? { bayes } : {}), notes, warnings };
}

function fmt(v: number | null, digits = 3): string {
  return v === null ? "NA" : v.toFixed(digits);
}

/** The seed of a generating model's stream: the run's seed and the model's place in the list of all models. */
function streamSeed(seed: number, model: LsModelName): number {
  return seed * LS_MODELS.length + LS_MODELS.indexOf(model);
}

/** Plain-text report (for the CLI). */
export function formatRecovery(report: RecoveryReport): string {
  const lines: string[] = [];
  const d = report.design;
  lines.push(`Recovery: seed ${report.seed}, ${report.n} simulated participant-sessions per generating model`);
  lines.push(
    `Design: ${d.n_designs} participant-session designs, ${d.trials_min}-${d.trials_max} trials (mean ${d.trials_mean.toFixed(1)}), ` +
      `${(100 * d.good_fraction).toFixed(0)}% good news, |EE| mean ${d.abs_ee_mean.toFixed(1)} (SD ${d.abs_ee_sd.toFixed(1)})`,
  );
  lines.push("");
  lines.push("Parameter recovery (generating model refitted to its own data)");
  const header = ["model", "fit", "parameter", "n", "r", "bias", "rmse", "true mean", "true sd"];
  const rows = report.parameters.map((p) => [p.model, p.method, p.parameter, String(p.n), fmt(p.r), fmt(p.bias), fmt(p.rmse), fmt(p.true_mean), fmt(p.true_sd)]);
  lines.push(...table(header, rows, 3));
  lines.push("");
  lines.push("Model recovery (rows: generating model; columns: share best by BIC)");
  const ms = report.models;
  const hasIbic = report.confusion.some((c) => c.best_ibic !== undefined);
  lines.push(
    ...table(
      ["generating", "n", ...ms, ...(hasIbic ? ["best by iBIC"] : [])],
      report.confusion.map((c) => [c.generating, String(c.n), ...ms.map((m) => fmt(c.proportion[m] ?? 0, 2)), ...(hasIbic ? [c.best_ibic ?? "NA"] : [])]),
      1,
    ),
  );
  lines.push("");
  if (report.bayes) {
    const bm = BAYES_KIT_MODELS;
    lines.push("Model recovery by Bayesian model selection (rows: generating model; columns: posterior model frequency; prior " + report.bayes.prior + ")");
    lines.push(...table(["generating", "n", ...bm, "best (pxp)"], report.bayes.confusion.map((c) => [c.generating, String(c.n), ...bm.map((m) => fmt(c.frequency[m] ?? 0, 2)), c.best]), 1));
    lines.push("");
  }
  for (const n of report.notes) lines.push(`note: ${n}`);
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  return lines.join("\n");
}

function table(header: string[], rows: string[][], leftColumns: number): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j < leftColumns ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}
