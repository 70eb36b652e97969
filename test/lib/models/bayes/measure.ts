/**
 * Prints the figures of docs/bayesian-models.md: agreement with VBA (largest differences over the fixtures),
 * the prior predictive check on the bundled study's design, and timings.
 * Run: npx tsx test/lib/models/bayes/measure.ts
 */
import {
  BAYES_MODELS,
  benchBayes,
  groupBMC,
  invertSession,
  invertSessions,
  priorPredictive,
  type SessionInput,
} from "../../../../src/lib/models/bayes/index.js";
import { flat, readFixture, sessionInput, type VlFixture } from "./fixtures.js";

const rel = (x: number, r: number) => Math.abs(x - r) / Math.max(Math.abs(r), 1e-300);
const fmt = (v: number) => v.toExponential(1);

console.log("## VL vs VBA_NLStateSpaceModel");
for (const name of ["vl-simulated.json", "vl-study.json"]) {
  const fx = readFixture<VlFixture>(name);
  for (const layout of ["static", "timeseries", "greaves-upd_model-numeric-gradients"]) {
    const w = { n: 0, mean: 0, variance: 0, cov: 0, shape: 0, rate: 0, F: 0, itDiff: 0 };
    for (const f of [...fx.fits, ...fx.checks].filter((f) => f.layout === layout)) {
      const fit = invertSession(sessionInput(fx.sessions[f.session_index]), f.model, f.preset);
      const p = fit.mean.length;
      const S = flat(f.Sigma);
      w.n++;
      w.mean = Math.max(w.mean, ...flat(f.mu).map((v, i) => rel(fit.mean[i], v)));
      for (let i = 0; i < p; i++) w.variance = Math.max(w.variance, rel(fit.covariance[i][i], S[i * p + i]));
      w.cov = Math.max(w.cov, ...S.map((v, i) => rel(fit.covariance.flat()[i], v)));
      w.shape = Math.max(w.shape, rel(fit.precision_shape, f.a_sigma));
      w.rate = Math.max(w.rate, rel(fit.precision_rate, f.b_sigma));
      w.F = Math.max(w.F, Math.abs(fit.F - f.F));
      if (fit.iterations !== f.it) w.itDiff++;
    }
    console.log(`${name} ${layout}: ${w.n} fits; max rel mean ${fmt(w.mean)}, variance ${fmt(w.variance)}, covariance entry ${fmt(w.cov)}, shape ${fmt(w.shape)}, rate ${fmt(w.rate)}; max abs F ${fmt(w.F)}; iteration counts differing ${w.itDiff}`);
  }
}

console.log("\n## groupBMC vs VBA_groupBMC");
interface C { name: string; L: number[] | number[][]; families: (number | number[])[]; a: number[]; r: number[] | number[][]; Ef: number[]; Vf: number[]; ep_vba_mc: number[]; ep_exact: number[]; F: number | number[]; F0: number; bor: number; Fffx: number; pxp: number[] }
const bmc = readFixture<{ cases: C[]; study: C[] }>("bmc.json");
const w = { det: 0, F: 0, bor: 0, ep2: 0, pxp2: 0, epMC: 0, epMCse: 0, vbaMC: 0, vbaMCse: 0 };
for (const c of [...bmc.cases, ...bmc.study]) {
  const K = c.a.length;
  const L = Array.isArray(c.L[0]) ? (c.L as number[][]) : (c.L as number[]).map((v) => [v]);
  const fam = c.families.length ? Object.fromEntries(c.families.map((f, i) => [`f${i}`, flat(f).map((k) => k - 1)])) : undefined;
  const res = groupBMC(L, { families: fam });
  const r = Array.isArray(c.r[0]) ? (c.r as number[][]).flat() : flat(c.r);
  const det = [
    ...res.alpha.map((v, i) => Math.abs(v - c.a[i])),
    ...res.frequency.map((v, i) => Math.abs(v - flat(c.Ef)[i])),
    ...res.frequency_variance.map((v, i) => Math.abs(v - flat(c.Vf)[i])),
    ...res.assignments.flat().map((v, i) => Math.abs(v - r[i])),
  ];
  w.det = Math.max(w.det, ...det);
  w.F = Math.max(w.F, ...res.F_trace.map((v, i) => Math.abs(v - flat(c.F)[i])), Math.abs(res.F0 - c.F0), Math.abs(res.F_ffx - c.Fffx));
  w.bor = Math.max(w.bor, Math.abs(res.bor - c.bor));
  const ex = flat(c.ep_exact);
  const se = (p: number) => Math.sqrt((p * (1 - p)) / 1e5) || 1 / 1e5;
  if (K === 2) {
    w.ep2 = Math.max(w.ep2, ...res.exceedance.map((v, i) => Math.abs(v - ex[i])));
    if (!fam) w.pxp2 = Math.max(w.pxp2, ...res.protected_exceedance!.map((v, i) => Math.abs(v - (ex[i] * (1 - c.bor) + c.bor / K))));
  } else {
    w.epMC = Math.max(w.epMC, ...res.exceedance.map((v, i) => Math.abs(v - ex[i])));
    w.epMCse = Math.max(w.epMCse, ...res.exceedance.map((v, i) => (ex[i] > 1e-3 && ex[i] < 1 - 1e-3 ? Math.abs(v - ex[i]) / se(ex[i]) : 0)));
  }
  w.vbaMC = Math.max(w.vbaMC, ...flat(c.ep_vba_mc).map((v, i) => Math.abs(v - ex[i])));
  w.vbaMCse = Math.max(w.vbaMCse, ...flat(c.ep_vba_mc).map((v, i) => (ex[i] > 1e-3 && ex[i] < 1 - 1e-3 ? Math.abs(v - ex[i]) / se(ex[i]) : 0)));
}
console.log(`${bmc.cases.length + bmc.study.length} matrices; max abs alpha/Ef/Vf/r ${fmt(w.det)}; F trace, F0, Fffx ${fmt(w.F)}; bor ${fmt(w.bor)}`);
console.log(`two models: ep vs betainc ${fmt(w.ep2)}, pxp (exact ep, VBA bor) ${fmt(w.pxp2)}`);
console.log(`3+ models: our MC ep vs quadrature max ${w.epMC.toFixed(4)} (largest in binomial SE where 0.001 < ep < 0.999: ${w.epMCse.toFixed(1)}); VBA's MC ep vs quadrature max ${w.vbaMC.toFixed(4)} (${w.vbaMCse.toFixed(1)} SE)`);

console.log("\n## Prior predictive check on the bundled study's design (all scored trials pooled)");
const study = readFixture<VlFixture>("vl-study.json").sessions.map(sessionInput);
const design = { e1: study.flatMap((s) => Array.from(s.e1)), br: study.flatMap((s) => Array.from(s.br)), n: study.flatMap((s) => Array.from(s.n)) };
const q = (v: number[]) => `${v[0].toFixed(3)} [${v[1].toFixed(3)}, ${v[2].toFixed(3)}, ${v[3].toFixed(3)}] ${v[4].toFixed(3)}`;
for (const preset of ["kit", "greaves"])
  for (const m of BAYES_MODELS) {
    const pp = priorPredictive(m, preset, design, { samples: 20000, seed: 1 });
    console.log(
      `${preset} ${m}: alpha_good ${q(pp.alpha_good)} | alpha_bad ${q(pp.alpha_bad)} | asym ${q(pp.asymmetry)} | noise SD ${q(pp.noise_sd)} | E2-E1 ${q(pp.update)} | P(ag>1) ${pp.share_alpha_good_above_1.toFixed(3)} P(ab<0) ${pp.share_alpha_bad_below_0.toFixed(3)} P(E2 out) ${pp.share_e2_outside_0_100.toFixed(3)} (trials ${pp.design_trials}, mean|EE| ${pp.design_mean_abs_ee.toFixed(2)})`,
    );
  }

console.log("\n## Timing (Node", process.version, ")");
const t0 = performance.now();
for (const m of BAYES_MODELS) invertSessions(study, m, "kit");
console.log(`bundled study, ${study.length} sessions x 4 models, cold: ${(performance.now() - t0).toFixed(1)} ms`);
const warm = benchBayes({ input: study as SessionInput[] });
console.log(`bundled study warm: ${warm.models.map((r) => `${r.model} ${r.ms.toFixed(1)} ms`).join(", ")}; total ${warm.total_ms.toFixed(1)} ms`);
for (const prior of ["kit", "greaves"] as const) {
  const b = benchBayes({ sessions: 10000, trials: 40, seed: 1, prior });
  console.log(`10,000 simulated sessions of 40 trials (${prior}): ${b.models.map((r) => `${r.model} ${r.ms.toFixed(0)} ms (${r.us_per_session.toFixed(1)} us/session, ${r.mean_iterations.toFixed(2)} VB it.)`).join(", ")}; all four ${b.total_ms.toFixed(0)} ms`);
}
