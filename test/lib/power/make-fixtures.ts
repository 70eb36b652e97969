/**
 * Writes the simulated side of the power references (test/fixtures/power/*.json); the R side is
 * test/r/power_ttest.R and test/r/power_lmm.R, which read these and write their own fixtures. Run
 * (a few minutes):
 *   npx tsx test/lib/power/make-fixtures.ts && Rscript test/r/power_ttest.R && Rscript test/r/power_lmm.R
 * The tests (power-validation.test.ts) only read the fixtures, and recompute a few studies to check
 * that the engine still gives the committed counts.
 */
import { writeFileSync } from "node:fs";
import { DEFAULT_PLAN, parsePlan, type PowerPlan } from "../../../src/lib/power/plan.js";
import { runPower, simConfig } from "../../../src/lib/power/engine.js";
import { PowerSimulator } from "../../../src/lib/power/simulate.js";
import { ReplicateAnalysis, analysisParams } from "../../../src/lib/power/metrics.js";
import { eventsOfList } from "../../../src/lib/task/events.js";

const dir = new URL("../../fixtures/power/", import.meta.url).pathname;
const write = (name: string, x: unknown) => writeFileSync(dir + name, JSON.stringify(x, null, 1) + "\n");

function sdOf(xs: number[]): { mean: number; sd: number; n: number; excess_kurtosis: number } {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  const k4 = xs.reduce((s, x) => s + (x - m) ** 4, 0) / xs.length;
  return { mean: m, sd: Math.sqrt(v), n: xs.length, excess_kurtosis: k4 / (v * v) - 3 };
}

/** Population mean and SD of the fitted asymmetry and of its change, from one cohort of 20,000 patients. */
function pilot(plan: PowerPlan) {
  const big: PowerPlan = { ...plan, design: { ...plan.design, groups: plan.design.groups.map((g) => ({ ...g, n: g.label === "TRD" ? 20000 : 2 })) } };
  const sim = new PowerSimulator(simConfig(big));
  const study = sim.draw(987654);
  const a = new ReplicateAnalysis(study, analysisParams(study, big, 1), big);
  const by = new Map<string, Record<string, number>>();
  for (const f of a.fit.fits) if (f.participant_id.startsWith("TRD") && f.asymmetry !== null) by.set(f.participant_id, { ...(by.get(f.participant_id) ?? {}), [f.session]: f.asymmetry });
  const rows = [...by.values()];
  return {
    asymmetry: sdOf(rows.filter((r) => r.post1 !== undefined).map((r) => r.post1)),
    change: sdOf(rows.filter((r) => r.post1 !== undefined && r.pre !== undefined).map((r) => r.post1 - r.pre)),
  };
}

const t0 = performance.now();
// 1. Closed form: paired t on the asymmetry (TRD, post1) and one-sample t on its change (TRD, pre -> post1),
//    (a) with no response noise: the fitted rates are the true ones (up to the rounding of E2), normal with
//        the generating mean and SD (asymmetry: sqrt(2 between^2 + 2 session^2); change: 2 session);
//    (b) the bundled design's noise: the fitted rates carry estimation error whose size varies between
//        participants (their noise SD and estimation errors differ), so they are not normal; the
//        noncentral t then takes the population mean and SD of the fitted values (pilot of 20,000).
const cases = [];
for (const variant of ["no-noise", "bundled"] as const) {
  const base = parsePlan({ replicates: 4000, seed: 11, effects: variant === "no-noise" ? { noise: [0, 0] } : {}, analysis: { metrics: ["asymmetry", "change"] }, curves: { n: [8, 15, 26], events: [] } });
  const p = pilot(base);
  const e = base.effects;
  const theory = { asymmetry: { mean: 0.52 - 0.36, sd: Math.sqrt(2 * e.between_sd ** 2 + 2 * e.session_sd ** 2) }, change: { mean: 0.52 - 0.36 - (0.4 - 0.43), sd: 2 * e.session_sd } };
  const sim = runPower(base);
  for (const id of sim.curves.n) {
    const pt = sim.points.find((x) => x.id === id)!;
    for (const m of pt.metrics) {
      const key = m.metric as "asymmetry" | "change";
      const pop = p[key];
      const use = variant === "no-noise" ? theory[key] : pop;
      cases.push({ variant, metric: m.metric, type: key === "asymmetry" ? "paired" : "one.sample", n: pt.n[1], delta: use.mean, sd: use.sd, source: variant === "no-noise" ? "generating values" : "pilot (fitted values of 20,000 simulated patients)", pilot: pop, alpha: base.alpha, replicates: m.replicates, significant: m.significant, power: m.power, mc_se: m.mc_se });
    }
  }
}
write("closed_form_cases.json", { note: "simulated power (kit, test/lib/power/make-fixtures.ts) of the paired t on the fitted asymmetry and the one-sample t on its change; delta and sd for the noncentral t: generating values (no-noise) or population mean and SD of the fitted values (bundled); pilot: mean, SD and excess kurtosis of the fitted values in one cohort of 20,000", cases });
console.error(`closed form: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// 2. Mixed model: a small design, the kit's power for the group x time x valence term.
const t1 = performance.now();
const lmmPlan = parsePlan({
  replicates: 2000,
  seed: 5,
  design: { groups: [{ label: "HC", n: 16 }, { label: "TRD", n: 16 }], sessions: ["pre", "post1"], events_per_session: 30, positive_events: 0, missing_rate: 0.01 },
  effects: { learning_rates: { HC: DEFAULT_PLAN.effects.learning_rates.HC, TRD: { pre: DEFAULT_PLAN.effects.learning_rates.TRD.pre, post1: DEFAULT_PLAN.effects.learning_rates.TRD.post1 } }, clinical: null },
  analysis: { metrics: ["lmm"] },
  curves: { n: [], events: [] },
});
const lmm = runPower(lmmPlan);
const m = lmm.points[0].metrics[0];
write("lmm_kit.json", {
  note: "kit's simulated power of groupTRD:sessionpost1:valencegood in update ~ group * session * valence + (1 | participant_id) on cell means; test/r/power_lmm.R simulates the same model in R and fits lmerTest",
  plan: lmmPlan,
  base_rates: { pre: eventsOfList("A").slice(0, 30).map((e) => e.base_rate), post1: eventsOfList("B").slice(0, 30).map((e) => e.base_rate) },
  result: { replicates: m.replicates, significant: m.significant, failed: m.failed, power: m.power, mc_se: m.mc_se, estimate_mean: m.estimate_mean, estimate_sd: m.estimate_sd, se_mean: m.se_mean },
});
console.error(`lmm: ${((performance.now() - t1) / 1000).toFixed(1)} s`);

// 3. The bootstrap with fewer resamples: the same 1,000 studies with 499 and with 4,999 resamples.
const t2 = performance.now();
const boots = [499, 4999].map((B) => {
  const r = runPower(parsePlan({ replicates: 1000, seed: 3, analysis: { metrics: ["sobel", "bootstrap"], boot_resamples: B } }), { designOnly: true });
  const [sobel, boot] = r.points[0].metrics;
  return { resamples: B, replicates: boot.replicates, significant: boot.significant, power: boot.power, mc_se: boot.mc_se, sobel_power: sobel.power };
});
write("bootstrap_resamples.json", { note: "power of the percentile-bootstrap test of the indirect effect on the bundled design, the same 1,000 simulated studies with 499 and 4,999 resamples", results: boots });
console.error(`bootstrap: ${((performance.now() - t2) / 1000).toFixed(1)} s`);

// 4. A short run of every metric, recomputed by the tests: the engine still gives these counts.
const repro = runPower(parsePlan({ replicates: 60, seed: 2, analysis: { boot_resamples: 199 } }), { designOnly: true });
write("repro.json", { note: "counts of significant studies of a 60-study run of the default plan (seed 2, 199 resamples), design point only", counts: Object.fromEntries(repro.points[0].metrics.map((m) => [m.metric, m.significant])) });
