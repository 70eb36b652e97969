/**
 * Simulation-based power and precision (docs/power.md). For every point of a plan — its own design,
 * the points of the curve over N (every group that size) and of the curve over events per session —
 * simulate `plan.replicates` studies (PowerSimulator: simulateDesign's model), run the kit's analysis on
 * each (metrics.ts) and count:
 *
 *   power      = share of studies whose test is significant at alpha (a failed analysis counts as not
 *                significant), with its Monte Carlo standard error √(p(1 − p)/R) and the exact
 *                (Clopper–Pearson) 95 % interval of that share;
 *   precision  = mean and SD over studies of the estimate (the SD is the estimate's true sampling
 *                SD, to compare with the mean reported SE) and the mean width of its 1 − alpha CI.
 *
 * Seeds: study r of every point is drawn from seed plan.seed · 100003 + r + 1 (common random numbers:
 * the points of a curve share their studies' draws as far as their designs allow, so a curve is smooth
 * and a difference between points is not Monte Carlo noise), so the result does not depend on the order
 * or size of the batches: runPower with progress gives, at the end, exactly the result without.
 * Progress: batches of `batch` studies, the plan's own design first (a first estimate fast), then every
 * point in turn; onUpdate receives the result so far after each batch.
 */
import { clopperPearson } from "../stats/binomial.js";
import { atPoint, type PowerPlan } from "./plan.js";
import { PowerSimulator, type PowerSimConfig } from "./simulate.js";
import { METRICS, ReplicateAnalysis, analysisParams, type MetricSpec } from "./metrics.js";
import type { AnalysisParams } from "../analysis/params.js";

export interface MetricSummary {
  metric: string;
  replicates: number;
  significant: number;
  /** Studies whose analysis gave no result for this test (counted as not significant). */
  failed: number;
  power: number;
  /** Monte Carlo standard error of power, √(p(1 − p)/R). */
  mc_se: number;
  /** Exact 95 % (Clopper–Pearson) interval of power. */
  ci: [number, number];
  /** Mean and SD of the estimate over the studies with a result. */
  estimate_mean: number | null;
  estimate_sd: number | null;
  /** Mean of the reported standard errors. */
  se_mean: number | null;
  /** Mean width of the 1 − alpha confidence interval. */
  ci_width_mean: number | null;
  /** Generating value of the estimate (null when the plan does not fix it) and the mean estimate's bias from it. */
  truth: number | null;
  bias: number | null;
}

export interface PointSummary {
  id: string;
  /** "design": the plan's own design; "n" / "events": a point of a curve. */
  kinds: ("design" | "n" | "events")[];
  /** Participants per group, in design.groups order. */
  n: number[];
  events: number;
  replicates_done: number;
  metrics: MetricSummary[];
}

export interface NeededN {
  metric: string;
  target: number;
  /** Participants per group where the power curve crosses the target (linear between points); null when it does not within the curve. */
  n: number | null;
  /** Where the curves of the power's 95 % interval cross it: the Monte Carlo uncertainty of n. */
  range: [number | null, number | null];
  status: "reached" | "below-curve" | "above-curve";
}

export interface PowerResult {
  kit: "belief-updating-kit power";
  plan: PowerPlan;
  metrics: { id: string; label: string; description: string; unit: string; not_applicable: string | null }[];
  points: PointSummary[];
  /** Point ids along each curve, in increasing order. */
  curves: { n: string[]; events: string[] };
  needed: NeededN[];
  studies_done: number;
  studies_total: number;
  complete: boolean;
  elapsed_ms: number;
  notes: string[];
}

interface Acc {
  sig: number;
  failed: number;
  k: number;
  sum: number;
  sum2: number;
  seSum: number;
  seN: number;
  wSum: number;
  wN: number;
}

interface Point {
  id: string;
  kinds: PointSummary["kinds"];
  plan: PowerPlan;
  sim: PowerSimulator | null;
  params: AnalysisParams | null;
  done: number;
  acc: Acc[];
}

export function replicateSeed(plan: Pick<PowerPlan, "seed">, r: number): number {
  return plan.seed * 100003 + r + 1;
}

/** The generating configuration of a plan's design (PowerSimulator's = simulateDesign's, plus the driver). */
export function simConfig(plan: PowerPlan): PowerSimConfig {
  const e = plan.effects;
  const c = e.clinical;
  return {
    id: "power",
    groups: plan.design.groups.map((g) => ({ label: g.label, n: g.n, sessions: g.sessions ?? plan.design.sessions })),
    sessions: plan.design.sessions,
    eventsPerSession: plan.design.events_per_session,
    positiveEvents: plan.design.positive_events,
    lr: e.learning_rates,
    betweenSd: e.between_sd,
    sessionSd: e.session_sd,
    noise: e.noise,
    eeSd: e.ee_sd,
    biasSd: e.bias_sd,
    missingRate: plan.design.missing_rate,
    ...(c ? { clinical: { name: c.name, min: c.min, max: c.max, baseline: { mean: c.baseline_mean, sd: c.baseline_sd }, drop: c.drop, link: c.link, changeSd: c.change_sd, driver: c.driver } } : {}),
  };
}

function newAcc(): Acc {
  return { sig: 0, failed: 0, k: 0, sum: 0, sum2: 0, seSum: 0, seN: 0, wSum: 0, wN: 0 };
}

/** The metrics of a plan that apply to it. */
export function planMetrics(plan: PowerPlan): MetricSpec[] {
  return METRICS.filter((m) => (plan.analysis.metrics as string[]).includes(m.id as string) && m.applies(plan) === null);
}

function buildPoints(plan: PowerPlan, metrics: MetricSpec[]): { points: Point[]; curves: PowerResult["curves"] } {
  const points: Point[] = [];
  const byKey = new Map<string, Point>();
  const add = (p: PowerPlan, kind: "design" | "n" | "events"): string => {
    const key = `${p.design.groups.map((g) => g.n).join(",")}|${p.design.events_per_session}`;
    let pt = byKey.get(key);
    if (!pt) {
      pt = { id: `n=${p.design.groups.map((g) => g.n).join("/")},events=${p.design.events_per_session}`, kinds: [], plan: p, sim: null, params: null, done: 0, acc: metrics.map(newAcc) };
      byKey.set(key, pt);
      points.push(pt);
    }
    if (!pt.kinds.includes(kind)) pt.kinds.push(kind);
    return pt.id;
  };
  add(plan, "design");
  const n = plan.curves.n.map((x) => add(atPoint(plan, { n: x }), "n"));
  const events = plan.curves.events.map((x) => add(atPoint(plan, { events: x }), "events"));
  return { points, curves: { n, events } };
}

/** Simulate and analyse studies [from, to) of a point. */
function runBatch(point: Point, metrics: MetricSpec[], to: number): void {
  point.sim ??= new PowerSimulator(simConfig(point.plan));
  for (let r = point.done; r < to; r++) {
    const seed = replicateSeed(point.plan, r);
    const study = point.sim.draw(seed);
    point.params ??= analysisParams(study, point.plan, 1);
    // The bootstrap's own seed: not the simulation's (the same generator from the same seed would reuse its draws).
    const a = new ReplicateAnalysis(study, { ...point.params, seed: (seed * 7 + 3) % 2147483647 }, point.plan);
    metrics.forEach((m, i) => {
      const acc = point.acc[i];
      let v = null;
      try {
        v = m.evaluate(a);
      } catch {
        v = null;
      }
      if (!v || !Number.isFinite(v.estimate)) {
        acc.failed++;
        return;
      }
      if (v.significant) acc.sig++;
      acc.k++;
      acc.sum += v.estimate;
      acc.sum2 += v.estimate * v.estimate;
      if (v.se !== null && Number.isFinite(v.se)) {
        acc.seSum += v.se;
        acc.seN++;
      }
      if (v.ci) {
        acc.wSum += v.ci[1] - v.ci[0];
        acc.wN++;
      }
    });
  }
  point.done = Math.max(point.done, to);
}

function summarise(point: Point, metrics: MetricSpec[]): PointSummary {
  return {
    id: point.id,
    kinds: [...point.kinds],
    n: point.plan.design.groups.map((g) => g.n),
    events: point.plan.design.events_per_session,
    replicates_done: point.done,
    metrics: metrics.map((m, i) => {
      const a = point.acc[i];
      const R = point.done;
      const p = R > 0 ? a.sig / R : 0;
      const mean = a.k > 0 ? a.sum / a.k : null;
      const sd = a.k > 1 && mean !== null ? Math.sqrt(Math.max(0, (a.sum2 - a.k * mean * mean) / (a.k - 1))) : null;
      const t = m.truth(point.plan);
      const truth = t !== null && Number.isFinite(t) ? t : null;
      return {
        metric: m.id as string,
        replicates: R,
        significant: a.sig,
        failed: a.failed,
        power: p,
        mc_se: R > 0 ? Math.sqrt((p * (1 - p)) / R) : 0,
        ci: R > 0 ? clopperPearson(a.sig, R) : [0, 1],
        estimate_mean: mean,
        estimate_sd: sd,
        se_mean: a.seN ? a.seSum / a.seN : null,
        ci_width_mean: a.wN ? a.wSum / a.wN : null,
        truth,
        bias: truth !== null && mean !== null ? mean - truth : null,
      };
    }),
  };
}

/** Where a curve y(x) first reaches `target`, linear between points. */
function crossing(xs: number[], ys: number[], target: number): { x: number | null; status: NeededN["status"] } {
  if (xs.length === 0) return { x: null, status: "below-curve" };
  if (ys[0] >= target) return { x: xs[0], status: "above-curve" };
  for (let i = 1; i < xs.length; i++)
    if (ys[i] >= target) {
      const f = (target - ys[i - 1]) / (ys[i] - ys[i - 1]);
      return { x: xs[i - 1] + f * (xs[i] - xs[i - 1]), status: "reached" };
    }
  return { x: null, status: "below-curve" };
}

/** N per group needed for each target power, from the curve over N (with the interval from the power's 95 % CI curves). */
export function neededN(points: PointSummary[], curve: string[], metrics: string[], targets = [0.8, 0.9]): NeededN[] {
  const pts = curve.map((id) => points.find((p) => p.id === id)!).filter((p) => p && p.replicates_done > 0);
  const out: NeededN[] = [];
  for (const metric of metrics)
    for (const target of targets) {
      const xs = pts.map((p) => p.n[0]);
      const row = (f: (m: MetricSummary) => number) => pts.map((p) => f(p.metrics.find((m) => m.metric === metric)!));
      const mid = crossing(xs, row((m) => m.power), target);
      const hi = crossing(xs, row((m) => m.ci[0]), target); // the pessimistic curve needs more participants
      const lo = crossing(xs, row((m) => m.ci[1]), target);
      const round = (x: number | null) => (x === null ? null : Math.ceil(x - 1e-9));
      out.push({ metric, target, n: round(mid.x), range: [round(lo.x), round(hi.x)], status: mid.status });
    }
  return out;
}

export interface RunOptions {
  /** Studies per batch (default 50). */
  batch?: number;
  /** Studies of the very first batch, at the plan's own design (default: batch): a first estimate sooner. */
  firstBatch?: number;
  /** Called after each batch with the result so far; return false to stop. */
  onUpdate?: (result: PowerResult) => boolean | void;
  /** Only the plan's own design, no curves (the bench; a quick estimate). */
  designOnly?: boolean;
  now?: () => number;
}

/** Power and precision of every metric at every point of the plan (see the module comment). */
export function runPower(plan: PowerPlan, options: RunOptions = {}): PowerResult {
  const now = options.now ?? (() => performance.now());
  const t0 = now();
  const metrics = planMetrics(plan);
  const built = buildPoints(plan, metrics);
  const points = options.designOnly ? built.points.slice(0, 1) : built.points;
  const curves = options.designOnly ? { n: [], events: [] } : built.curves;
  const batch = Math.max(1, options.batch ?? 50);
  const R = plan.replicates;
  const snapshot = (): PowerResult => {
    const summaries = points.map((p) => summarise(p, metrics));
    const done = points.reduce((s, p) => s + p.done, 0);
    return {
      kit: "belief-updating-kit power",
      plan,
      metrics: METRICS.filter((m) => (plan.analysis.metrics as string[]).includes(m.id as string)).map((m) => ({ id: m.id as string, label: m.label, description: m.description, unit: m.unit, not_applicable: m.applies(plan) })),
      points: summaries,
      curves,
      needed: neededN(summaries, curves.n, metrics.map((m) => m.id as string)),
      studies_done: done,
      studies_total: points.length * R,
      complete: done === points.length * R,
      elapsed_ms: now() - t0,
      notes: [
        `Power is the share of ${R} simulated studies per point whose test is significant at alpha = ${plan.alpha}; its Monte Carlo standard error is √(p(1 − p)/R) (at most ${(0.5 / Math.sqrt(R)).toFixed(3)}), and ci is the exact 95 % interval of that share.`,
        "For planning the next study: the power of a study computed from its own estimates (post-hoc or observed power) is a function of its p-value and says nothing more (Hoenig & Heisey 2001).",
      ],
    };
  };
  if (metrics.length === 0 || R === 0) return snapshot();
  // The plan's design first, then every point in turn.
  let stopped = false;
  const step = (p: Point, size = batch) => {
    if (stopped || p.done >= R) return;
    runBatch(p, metrics, Math.min(R, p.done + size));
    if (options.onUpdate && options.onUpdate(snapshot()) === false) stopped = true;
  };
  step(points[0], Math.max(1, options.firstBatch ?? batch));
  while (!stopped && points.some((p) => p.done < R)) for (const p of points) step(p);
  return snapshot();
}
