/**
 * Simulation-based power and precision of the kit's own analyses (docs/power.md): the entry points of
 * `belief-kit power` (powerFromPlan, formatPower), of `npm run bench` (benchPower) and of the page
 * "Plan a study" (runPower in its worker).
 */
import type { Study } from "../study/types.js";
import { runPower, type PowerResult, type RunOptions } from "./engine.js";
import { planFromStudy } from "./from-study.js";
import { DEFAULT_PLAN, parsePlan, readPlanText, type PowerPlan } from "./plan.js";

export { runPower, neededN, planMetrics, replicateSeed, simConfig, type MetricSummary, type NeededN, type PointSummary, type PowerResult, type RunOptions } from "./engine.js";
export { DEFAULT_PLAN, METRIC_IDS, PlanError, atPoint, readPlanText, checkPlan, defaultAnalysis, parsePlan, type MetricId, type PowerPlan } from "./plan.js";
export { planFromQuery, planToQuery } from "./plan-url.js";
export { METRICS, lmmMetric, metricById, type MetricSpec, type MetricValue } from "./metrics.js";
export { planFromStudy, type PlanFromStudy } from "./from-study.js";
export { noncentralTUpper, powerTTest } from "./closed-form.js";

export interface PowerFromPlanOptions {
  /** Start from this study's design and effects (planFromStudy); the JSON plan's keys then override them. */
  study?: Study;
  /** After each batch: studies done and in all. */
  onProgress?: (done: number, total: number) => void;
  batch?: number;
}

/**
 * `belief-kit power --json`: the plan (JSON text or a parsed object; a partial plan is completed from
 * the defaults, or from `options.study`) validated — a PlanError lists every problem — and run to the
 * end. The result is one JSON-serialisable document (docs/power.md, "The result").
 */
export function powerFromPlan(planJson: unknown, options: PowerFromPlanOptions = {}): PowerResult {
  let input = typeof planJson === "string" ? (planJson.trim() === "" ? {} : readPlanText(planJson)) : (planJson ?? {});
  if (options.study) {
    const base = planFromStudy(options.study).plan;
    const over = input as Record<string, unknown>;
    input = { ...base, ...over, design: { ...base.design, ...(over.design as object) }, effects: { ...base.effects, ...(over.effects as object) }, analysis: { ...base.analysis, ...(over.analysis as object) } };
  }
  const plan = parsePlan(input);
  const run: RunOptions = { batch: options.batch, onUpdate: options.onProgress ? (r) => options.onProgress!(r.studies_done, r.studies_total) : undefined };
  return runPower(plan, run);
}

const fmt = (x: number | null, digits: number) => (x === null || !Number.isFinite(x) ? "–" : x.toFixed(digits).replace(/^-/, "\u2212"));
const pct = (p: number) => `${(100 * p).toFixed(1)} %`;

/** The readable report of a result (what `belief-kit power` prints without --json). */
export function formatPower(r: PowerResult): string {
  const lines: string[] = [];
  const plan = r.plan;
  const d = plan.design;
  lines.push(`Power of the kit's analyses by simulation: ${r.studies_done.toLocaleString("en-US")} simulated studies (${plan.replicates} per point, seed ${plan.seed}), alpha = ${plan.alpha}, in ${(r.elapsed_ms / 1000).toFixed(1)} s.`);
  lines.push(`Design: ${d.groups.map((g) => `${g.n} ${g.label}`).join(", ")}; sessions ${d.sessions.join(", ")}; ${d.events_per_session} events per session${d.positive_events ? ` (${d.positive_events} positive)` : ""}.`);
  const design = r.points.find((p) => p.kinds.includes("design"))!;
  const pad = Math.max(...r.metrics.map((m) => m.label.length)) + 2;
  lines.push("", "At this design (power ± Monte Carlo SE [exact 95 % interval]; estimate: mean (SD over studies), mean CI width):");
  for (const m of design.metrics) {
    const spec = r.metrics.find((x) => x.id === m.metric)!;
    lines.push(`  ${spec.label.padEnd(pad)} ${pct(m.power).padStart(7)} ± ${pct(m.mc_se)} [${pct(m.ci[0])}, ${pct(m.ci[1])}]; ${fmt(m.estimate_mean, 3)} (${fmt(m.estimate_sd, 3)}), width ${fmt(m.ci_width_mean, 3)}${m.failed ? `; ${m.failed} failed` : ""}`);
  }
  for (const m of r.metrics) if (m.not_applicable) lines.push(`  ${m.label}: does not apply (${m.not_applicable})`);
  if (r.curves.n.length) {
    lines.push("", "Participants per group needed (from the curve over N; in brackets where the 95 % interval of power crosses):");
    for (const m of r.metrics.filter((x) => !x.not_applicable)) {
      const cells = [0.8, 0.9].map((t) => {
        const n = r.needed.find((x) => x.metric === m.id && x.target === t)!;
        const range = `[${n.range[0] ?? "–"}, ${n.range[1] ?? `> ${plan.curves.n[plan.curves.n.length - 1]}`}]`;
        return n.status === "reached" ? `${Math.round(100 * t)} %: ${n.n} ${range}` : n.status === "above-curve" ? `${Math.round(100 * t)} %: ≤ ${plan.curves.n[0]}` : `${Math.round(100 * t)} %: > ${plan.curves.n[plan.curves.n.length - 1]}`;
      });
      lines.push(`  ${m.label.padEnd(pad)} ${cells.join("   ")}`);
    }
  }
  lines.push("", ...r.notes);
  return lines.join("\n");
}

export interface PowerBench {
  studies: number;
  /** 1,000 studies (default) of the bundled design, every analysis but the bootstrap. */
  ms: number;
  ms_per_study: number;
  /** The page's first estimate: 50 studies with every analysis including the bootstrap (499 resamples). */
  first_estimate_ms: number;
}

/** Timings for `npm run bench` (after a warm-up of 100 studies). */
export function benchPower(options: { studies?: number } = {}): PowerBench {
  const studies = options.studies ?? 1000;
  const noBoot: PowerPlan = parsePlan({ replicates: studies, analysis: { metrics: ["asymmetry", "change", "contrast", "lmm", "sobel"] } });
  runPower({ ...noBoot, replicates: 100, seed: 2 }, { designOnly: true });
  const t0 = performance.now();
  runPower(noBoot, { designOnly: true });
  const ms = performance.now() - t0;
  const t1 = performance.now();
  runPower({ ...DEFAULT_PLAN, replicates: 50, seed: 3 }, { designOnly: true });
  return { studies, ms, ms_per_study: ms / studies, first_estimate_ms: performance.now() - t1 };
}
