/**
 * What a power analysis counts: for each simulated study, the kit's own analysis (the phases of
 * analysis/pipeline.ts, as `belief-kit analyze` runs them) and, per metric, one test — its estimate,
 * its standard error, its confidence interval at 1 − alpha, and whether it is significant at alpha.
 *
 * A metric is an entry of METRICS. Each reads the phases it needs from a ReplicateAnalysis, which runs
 * a phase the first time a metric asks for it and keeps it for the others (so a plan without the mixed
 * model never describes the cells or fits it, and one without the bootstrap never resamples).
 *
 * Adding a metric is one more entry. The random-slope mixed model, once src/lib/lmm fits random slopes,
 * is `lmmMetric("lmm_slope", …, (f) => f.replace("(1 | participant_id)", "(1 + valence | participant_id)"))`
 * plus its id in METRIC_IDS (plan.ts): the model then runs through lmmPhase's formula override, the same
 * code as `belief-kit analyze --lmm-formula`.
 */
import { describePhase, fitPhase, lmmPhase, mediationPhase, scorePhase, designOf, type DescribePhase, type FitPhase, type LmmPhase, type MediationPhase, type Scored } from "../analysis/pipeline.js";
import { defaultParams, type AnalysisParams } from "../analysis/params.js";
import type { Study } from "../study/types.js";
import { pairedTTest } from "../task/summary.js";
import { ols } from "../stats/ols.js";
import { normalQuantile, tQuantile } from "../stats/distributions.js";
import { percentileIntervalSorted, sortedFinite } from "../stats/bootstrap.js";
import type { MetricId, PowerPlan } from "./plan.js";

/** One test in one simulated study. */
export interface MetricValue {
  estimate: number;
  se: number | null;
  /** Confidence interval at 1 − alpha (null when undefined). */
  ci: [number, number] | null;
  p: number | null;
  significant: boolean;
}

/** The kit's analysis of one simulated study, phase by phase on demand. */
export class ReplicateAnalysis {
  private _scored: Scored | null = null;
  private _fit: FitPhase | null = null;
  private _describe: DescribePhase | null = null;
  private readonly _lmm = new Map<string, LmmPhase>();
  private _mediation: MediationPhase | null = null;
  private _boot: MediationPhase | null = null;

  constructor(
    readonly study: Study,
    readonly params: AnalysisParams,
    readonly plan: PowerPlan,
  ) {}

  get scored(): Scored {
    return (this._scored ??= scorePhase(this.study, this.params));
  }
  /** The chosen model's flat fits; no model comparison (a power analysis does not need one). */
  get fit(): FitPhase {
    return (this._fit ??= fitPhase(this.scored, this.study, this.params, { compare: false }));
  }
  get describe(): DescribePhase {
    return (this._describe ??= describePhase(this.scored, this.study));
  }
  /** The mixed model with the design's formula, or with `formula` (lmmPhase's override). */
  lmm(formula?: string): LmmPhase {
    const key = formula ?? "";
    let r = this._lmm.get(key);
    if (!r) this._lmm.set(key, (r = lmmPhase(this.scored, this.describe.cells, this.study, this.params, formula)));
    return r;
  }
  /** The mediation's point estimates and Sobel test (no bootstrap). */
  get mediation(): MediationPhase {
    return (this._mediation ??= mediationPhase(this.fit.fits, this.study, { ...this.params, boot: 0 }, { bootstrap: false }));
  }
  /** The mediation with plan.analysis.boot_resamples resamples (seeded per study). */
  get bootstrap(): MediationPhase {
    return (this._boot ??= mediationPhase(this.fit.fits, this.study, { ...this.params, boot: this.plan.analysis.boot_resamples }));
  }
}

/** The analysis parameters of a plan for a simulated study (`belief-kit analyze`'s defaults otherwise). */
export function analysisParams(study: Study, plan: PowerPlan, seed: number): AnalysisParams {
  const base = defaultParams(designOf(study));
  const m = plan.analysis.mediation;
  return {
    ...base,
    model: plan.analysis.model,
    hier: false,
    cov: [],
    lmm: plan.analysis.lmm_sessions,
    boot: plan.analysis.boot_resamples,
    seed,
    ...(m ? { medgroup: m.group, med: m.mediator, out: m.outcome } : {}),
  };
}

export interface MetricSpec {
  id: MetricId | string;
  /** Short name for tables and legends. */
  label: string;
  /** What is tested, in one sentence. */
  description: string;
  /** Unit of the estimate. */
  unit: string;
  /** Why the metric does not apply to a plan (null when it does). */
  applies(plan: PowerPlan): string | null;
  /** The generating value of the estimate, when the plan fixes it (null otherwise). */
  truth(plan: PowerPlan): number | null;
  evaluate(a: ReplicateAnalysis): MetricValue | null;
}

function tValue(estimate: number, se: number | null, df: number | null, p: number | null, alpha: number): MetricValue {
  const q = se !== null && df !== null && df > 0 ? tQuantile(1 - alpha / 2, df) : null;
  return { estimate, se, p, ci: q !== null && se !== null ? [estimate - q * se, estimate + q * se] : null, significant: p !== null && p < alpha };
}

/** Paired t-test of x − y as a metric value (null where the differences have no SD). */
function pairedValue(x: readonly (number | null)[], y: readonly (number | null)[], alpha: number): MetricValue | null {
  const t = pairedTTest(x, y);
  if (t.sd_diff === null) return null;
  return tValue(t.mean_diff, t.sd_diff / Math.sqrt(t.n), t.df, t.p, alpha);
}

/** Asymmetry (alpha_good − alpha_bad) of every participant of `group` at `session` (null where not fitted). */
function asymmetries(a: ReplicateAnalysis, group: string, session: string): Map<string, number | null> {
  const groupOf = new Map(a.study.participants.map((p) => [p.participant_id, p.group]));
  const out = new Map<string, number | null>();
  for (const f of a.fit.fits) if (f.session === session && groupOf.get(f.participant_id) === group) out.set(f.participant_id, f.asymmetry);
  return out;
}

function changes(a: ReplicateAnalysis, group: string, from: string, to: string): number[] {
  const x = asymmetries(a, group, from);
  const y = asymmetries(a, group, to);
  const out: number[] = [];
  for (const [id, v] of y) {
    const u = x.get(id);
    if (v !== null && u !== null && u !== undefined) out.push(v - u);
  }
  return out;
}

const lr = (plan: PowerPlan, g: string, s: string) => plan.effects.learning_rates[g]?.[s];
const trueAsym = (plan: PowerPlan, g: string, s: string) => {
  const r = lr(plan, g, s);
  return r ? r.good - r.bad : NaN;
};

const asymmetryMetric: MetricSpec = {
  id: "asymmetry",
  label: "Asymmetry (paired t)",
  description: "α_good − α_bad of one group at one session against zero: paired t of the fitted good- and bad-news learning rates (as the paper's t(25) = 3.8)",
  unit: "learning rate",
  applies: () => null,
  truth: (plan) => trueAsym(plan, plan.analysis.asymmetry.group, plan.analysis.asymmetry.session),
  evaluate(a) {
    const { group, session } = a.plan.analysis.asymmetry;
    const groupOf = new Map(a.study.participants.map((p) => [p.participant_id, p.group]));
    const fits = a.fit.fits.filter((f) => f.session === session && groupOf.get(f.participant_id) === group);
    return pairedValue(
      fits.map((f) => f.alpha_good),
      fits.map((f) => f.alpha_bad),
      a.plan.alpha,
    );
  },
};

const changeMetric: MetricSpec = {
  id: "change",
  label: "Change in asymmetry (one-sample t)",
  description: "the change of one group's asymmetry between two sessions against zero: one-sample t of the participants' changes (the mediation's path a)",
  unit: "learning rate",
  applies: (plan) => (plan.analysis.change ? null : "needs a group with two sessions (analysis.change)"),
  truth(plan) {
    const c = plan.analysis.change!;
    return trueAsym(plan, c.group, c.to) - trueAsym(plan, c.group, c.from);
  },
  evaluate(a) {
    const c = a.plan.analysis.change!;
    const d = changes(a, c.group, c.from, c.to);
    return pairedValue(d, d.map(() => 0), a.plan.alpha);
  },
};

const contrastMetric: MetricSpec = {
  id: "contrast",
  label: "Group contrast of the change (two-sample t)",
  description: "the change in asymmetry between two sessions, treatment minus reference group: two-sample t with pooled variance (OLS of the change on the group)",
  unit: "learning rate",
  applies: (plan) => (plan.analysis.contrast ? null : "needs two groups with two shared sessions (analysis.contrast)"),
  truth(plan) {
    const c = plan.analysis.contrast!;
    return trueAsym(plan, c.treatment, c.to) - trueAsym(plan, c.treatment, c.from) - (trueAsym(plan, c.reference, c.to) - trueAsym(plan, c.reference, c.from));
  },
  evaluate(a) {
    const c = a.plan.analysis.contrast!;
    const ref = changes(a, c.reference, c.from, c.to);
    const trt = changes(a, c.treatment, c.from, c.to);
    if (ref.length < 1 || trt.length < 1 || ref.length + trt.length < 3) return null;
    try {
      const fit = ols([...ref, ...trt], [...ref.map(() => [1, 0]), ...trt.map(() => [1, 1])], ["(Intercept)", `group${c.treatment}`], { confLevel: 1 - a.plan.alpha });
      const k = fit.coefficients[1];
      return { estimate: k.estimate, se: k.se, ci: k.ci, p: k.p, significant: k.p !== null && k.p < a.plan.alpha };
    } catch {
      return null;
    }
  },
};

/**
 * A term of the study's mixed model (lmmPhase): the key term (group × time × valence with two groups
 * and sessions) of the design's formula, or of the formula `formula` makes of it.
 */
export function lmmMetric(id: string, label: string, formula?: (designFormula: string) => string): MetricSpec {
  return {
    id,
    label,
    description: "the highest interaction of valence with the design's factors in the mixed model of the update cells (group × time × valence with two groups and two sessions); Satterthwaite t test",
    unit: "points of update",
    applies: () => null,
    truth: () => null,
    evaluate(a) {
      const own = formula ? formula(a.lmm().formula) : undefined;
      const r = a.lmm(own);
      if (r.error || !r.fixed) return null;
      const k = r.fixed.find((f) => f.term === r.key_term);
      if (!k) return null;
      return tValue(k.estimate, k.se, k.df, k.p, a.plan.alpha);
    },
  };
}

/**
 * No generating value for a·b: the link of the plan is per unit of TRUE asymmetry change, the analysis
 * regresses on the FITTED change, which carries estimation error, so its b is diluted (regression
 * dilution) and a·b is smaller than a × link (docs/power.md, "What each figure means").
 */
const mediationTruth = (): null => null;

const mediationApplies = (plan: PowerPlan) => (plan.analysis.mediation && plan.effects.clinical ? null : "needs clinical scores and a group with two sessions (effects.clinical, analysis.mediation)");

const sobelMetric: MetricSpec = {
  id: "sobel",
  label: "Indirect effect (Sobel)",
  description: "the within-participant indirect effect a·b of the clinical change through the change in asymmetry (Montoya & Hayes 2017), Sobel's normal test",
  unit: "points of the clinical scale",
  applies: mediationApplies,
  truth: mediationTruth,
  evaluate(a) {
    const m = a.mediation;
    if (m.error || m.not_applicable || !("indirect" in m)) return null;
    const se = m.sobel_se;
    const z = normalQuantile(1 - a.plan.alpha / 2);
    return { estimate: m.indirect, se, p: m.sobel_p, ci: se !== null ? [m.indirect - z * se, m.indirect + z * se] : null, significant: m.sobel_p !== null && m.sobel_p < a.plan.alpha };
  },
};

const bootstrapMetric: MetricSpec = {
  id: "bootstrap",
  label: "Indirect effect (bootstrap)",
  description: "the same indirect effect, significant when the percentile bootstrap interval at 1 − alpha (participants resampled, analysis.boot_resamples resamples) excludes zero",
  unit: "points of the clinical scale",
  applies: mediationApplies,
  truth: mediationTruth,
  evaluate(a) {
    const m = a.bootstrap;
    if (m.error || m.not_applicable || !m.bootstrapped) return null;
    const ci = percentileIntervalSorted(sortedFinite(m.boot.replicates), 1 - a.plan.alpha);
    if (!ci) return null;
    return { estimate: m.indirect, se: m.boot.se, p: null, ci, significant: ci[0] > 0 || ci[1] < 0 };
  },
};

/** Every metric, in the order of tables and legends. */
export const METRICS: readonly MetricSpec[] = [
  asymmetryMetric,
  changeMetric,
  contrastMetric,
  lmmMetric("lmm", "Group × time × valence (mixed model, random intercept)"),
  sobelMetric,
  bootstrapMetric,
];

export function metricById(id: string): MetricSpec {
  const m = METRICS.find((x) => x.id === id);
  if (!m) throw new Error(`unknown power metric ${JSON.stringify(id)} (known: ${METRICS.map((x) => x.id).join(", ")})`);
  return m;
}
