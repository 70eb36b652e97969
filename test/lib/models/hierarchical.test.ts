import { describe, expect, it } from "vitest";
import { fitAll, fitHierarchical, fitModelToAll } from "../../helpers/models.js";
import { readFileSync } from "node:fs";
import { csvParse } from "d3-dsv";
import { scoreTrials } from "../../../src/lib/task/columnar.js";
import { createRng } from "../../../src/lib/stats/random.js";
import type { Trial } from "../../../src/lib/study/types.js";
import type { ScoredTrial } from "../../../src/lib/task/types.js";
import { LS_MODELS, computeStats, type ModelFit, type LsModelName } from "../../../src/lib/models/index.js";
import { fitHierarchicalFromStats } from "../../../src/lib/models/hierarchical/index.js";

const FIX = "test/fixtures/models";

interface RefHier {
  model: LsModelName;
  group: string;
  session: string;
  mean: number[];
  variance: number[];
  log_evidence: number;
  ibic: number;
  k_group: number;
  n_trials: number;
  iterations: number;
  maps: { participant_id: string; session: string; phi: number[] }[];
}
const reference = JSON.parse(readFileSync(`${FIX}/reference.json`, "utf8")) as { hierarchical: RefHier[] };

function loadTrials(file: string): ScoredTrial[] {
  const rows = csvParse(readFileSync(`${FIX}/${file}`, "utf8"));
  const trials: Trial[] = rows.map((r) => ({
    participant_id: r.participant_id!,
    session: r.session!,
    event_id: r.event_id!,
    first_estimate: Number(r.first_estimate),
    base_rate: Number(r.base_rate),
    second_estimate: Number(r.second_estimate),
  }));
  return scoreTrials(trials).trials;
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

function assertNoNaN(fit: ModelFit): void {
  const nums = [fit.alpha_good, fit.alpha_bad, fit.asymmetry, fit.sigma, fit.loglik, fit.aic, fit.bic, fit.log_evidence ?? null, ...Object.values(fit.params)];
  for (const v of nums) if (v !== null) expect(Number.isFinite(v)).toBe(true);
}

/** Simulate one participant-session of the valence model (E2 unrounded). */
function simulate(rng: ReturnType<typeof createRng>, id: string, session: string, n: number, ag: number, ab: number, sigma: number): ScoredTrial[] {
  const out: ScoredTrial[] = [];
  for (let i = 0; i < n; i++) {
    const e1 = 5 + Math.floor(rng.uniform() * 80);
    let br = 3 + Math.floor(rng.uniform() * 75);
    if (br === e1) br += 1;
    const valence = br < e1 ? "good" : "bad";
    const e2 = e1 + (valence === "good" ? ag : ab) * (br - e1) + rng.normal(0, sigma);
    out.push({ participant_id: id, session, event_id: `e${i}`, e1, br, e2, ee: e1 - br, valence, update: valence === "good" ? e1 - e2 : e2 - e1 });
  }
  return out;
}

describe("hierarchical EM vs R (plain EM of Huys et al. 2011 in test/r/models_reference.R)", () => {
  const trials = loadTrials("hier.csv");
  const groups = Object.fromEntries(csvParse(readFileSync(`${FIX}/hier_groups.csv`, "utf8")).map((r) => [r.participant_id!, r.group!]));
  for (const model of LS_MODELS) {
    it(`${model}: prior mean and variance, MAPs, log evidence and iBIC within 1e-4`, () => {
      const res = fitHierarchical(trials, model, { groupOf: groups, tol: 1e-10 });
      expect(res.warnings.filter((w) => /converge/.test(w))).toEqual([]);
      for (const ref of reference.hierarchical.filter((r) => r.model === model)) {
        const pr = res.priors.find((p) => p.group === ref.group && p.session === ref.session)!;
        expect(pr).toBeDefined();
        pr.params.forEach((name, j) => {
          expect(relDiff(pr.mean[name], ref.mean[j]), `${ref.group} mean ${name}`).toBeLessThanOrEqual(1e-4);
          expect(Math.abs(pr.variance[name] - ref.variance[j]) / ref.variance[j], `${ref.group} variance ${name}`).toBeLessThanOrEqual(1e-4);
        });
        expect(relDiff(pr.log_evidence!, ref.log_evidence)).toBeLessThanOrEqual(1e-4);
        expect(relDiff(pr.ibic!, ref.ibic)).toBeLessThanOrEqual(1e-4);
        expect(pr.k_group).toBe(ref.k_group);
        expect(pr.n_trials).toBe(ref.n_trials);
        for (const mp of ref.maps) {
          const fit = res.fits.find((f) => f.participant_id === mp.participant_id && f.session === mp.session)!;
          const p = mp.phi.length - 1;
          expect(relDiff(Math.log(fit.sigma!), mp.phi[p])).toBeLessThanOrEqual(1e-4);
          const names = Object.keys(fit.params).filter((k) => !k.startsWith("abs_ee"));
          names.forEach((name, j) => expect(relDiff(fit.params[name]!, mp.phi[j]), `${mp.participant_id} ${name}`).toBeLessThanOrEqual(1e-4));
        }
      }
      // total iBIC: -2 sum log evidence + (2 d per cell) ln(total trials)
      const d = res.priors[0].params.length;
      expect(res.k_group).toBe(2 * d * 2);
      expect(res.ibic!).toBeCloseTo(-2 * res.log_evidence! + res.k_group * Math.log(res.n_trials), 8);
    });
  }
});

describe("hierarchical fitting on simulated data", () => {
  const rng = createRng(11);
  const truth: Record<string, { ag: number; ab: number }> = {};
  const trials: ScoredTrial[] = [];
  for (let i = 0; i < 60; i++) {
    const id = `S${i}`;
    const ag = 0.55 + rng.normal(0, 0.1);
    const ab = 0.3 + rng.normal(0, 0.1);
    truth[id] = { ag, ab };
    trials.push(...simulate(rng, id, "pre", 40, ag, ab, 6 + 4 * rng.uniform()));
  }

  it("recovers the group means", () => {
    const res = fitHierarchical(trials, "valence");
    expect(res.priors).toHaveLength(1);
    const pr = res.priors[0];
    expect(pr.group).toBe("all");
    expect(pr.converged).toBe(true);
    expect(pr.mean.alpha_good).toBeGreaterThan(0.5);
    expect(pr.mean.alpha_good).toBeLessThan(0.6);
    expect(pr.mean.alpha_bad).toBeGreaterThan(0.25);
    expect(pr.mean.alpha_bad).toBeLessThan(0.35);
    expect(Math.exp(pr.mean.log_sigma)).toBeGreaterThan(6);
    expect(Math.exp(pr.mean.log_sigma)).toBeLessThan(10);
    // group SD of the rates near the generating 0.1 (the posterior variance term keeps it honest)
    expect(Math.sqrt(pr.variance.alpha_good)).toBeGreaterThan(0.05);
    expect(Math.sqrt(pr.variance.alpha_good)).toBeLessThan(0.15);
    expect(res.fits.every((f) => f.method === "map" && f.group === "all")).toBe(true);
  });

  it("hierarchical estimates are no worse than flat ones (mean squared error vs the truth)", () => {
    const flat = fitModelToAll(trials, "valence");
    const hier = fitHierarchical(trials, "valence").fits;
    const mse = (fits: ModelFit[]) => fits.reduce((s, f) => s + (f.alpha_good! - truth[f.participant_id].ag) ** 2, 0) / fits.length;
    expect(mse(hier)).toBeLessThan(mse(flat));
  });

  it("shrinks a participant with few trials toward the group mean more than one with many", () => {
    // Two extra participants with the same, extreme true alpha_good: one with 6 trials, one with 200.
    const extra = [...simulate(rng, "FEW", "pre", 6, 0.95, 0.3, 8), ...simulate(rng, "MANY", "pre", 200, 0.95, 0.3, 8)];
    const all = [...trials, ...extra];
    const flat = new Map(fitModelToAll(all, "valence").map((f) => [f.participant_id, f]));
    const res = fitHierarchical(all, "valence");
    const mu = res.priors[0].mean.alpha_good;
    const hier = new Map(res.fits.map((f) => [f.participant_id, f]));
    const shrink = (id: string) => (flat.get(id)!.alpha_good! - hier.get(id)!.alpha_good!) / (flat.get(id)!.alpha_good! - mu);
    expect(shrink("FEW")).toBeGreaterThan(shrink("MANY"));
    expect(shrink("FEW")).toBeGreaterThan(0.2);
    expect(shrink("MANY")).toBeGreaterThan(0);
    expect(shrink("MANY")).toBeLessThan(0.2);
    // and the MAP lies between the ML estimate and the group mean
    for (const id of ["FEW", "MANY"]) expect(shrink(id)).toBeLessThan(1);
  });

  it("separate priors per group x session, from any kind of mapping", () => {
    const two = [...trials.slice(0, 40 * 30), ...trials.slice(40 * 30).map((t) => ({ ...t, session: "post" }))];
    const groupOf = (id: string) => (Number(id.slice(1)) % 2 === 0 ? "even" : "odd");
    const res = fitHierarchical(two, "scaling-asymmetry", { groupOf });
    expect(res.priors.map((p) => `${p.group}/${p.session}`).sort()).toEqual(["even/post", "even/pre", "odd/post", "odd/pre"]);
    expect(res.k_group).toBe(4 * 2 * 3);
    const viaMap = fitHierarchical(two, "scaling-asymmetry", { groupOf: new Map(two.map((t) => [t.participant_id, groupOf(t.participant_id)])) });
    expect(viaMap.ibic).toBeCloseTo(res.ibic!, 8);
    expect(res.priors.every((p) => p.params.join() === "s,k,log_sigma")).toBe(true);
  });

  it("fitAll with hierarchical: MAP fits, iBIC in the comparison (BIC from flat fits)", () => {
    const res = fitAll(trials, { model: ["single", "valence"], hierarchical: true });
    expect(res.fits.every((f) => f.method === "map")).toBe(true);
    const cmp = res.comparison!;
    expect(cmp.totals.every((t) => t.ibic !== null && Number.isFinite(t.ibic))).toBe(true);
    expect(cmp.totals.find((t) => t.model === "valence")!.ibic).toBeCloseTo(res.hierarchical!.valence!.ibic!, 8);
    // the generating model (valence, true asymmetry 0.25) wins on iBIC
    expect(cmp.totals.find((t) => t.model === "valence")!.ibic!).toBeLessThan(cmp.totals.find((t) => t.model === "single")!.ibic!);
  });
});

describe("hierarchical edge cases: never NaN", () => {
  const rng = createRng(5);
  const trials: ScoredTrial[] = [];
  for (let i = 0; i < 8; i++) trials.push(...simulate(rng, `N${i}`, "S", 20, 0.5, 0.4, 7));
  // bad news only
  trials.push(...simulate(rng, "BAD", "S", 30, 0.5, 0.4, 7).filter((t) => t.valence === "bad"));
  // never updates (flat sigma = 0)
  trials.push(...simulate(rng, "ZERO", "S", 10, 0, 0, 0).map((t) => ({ ...t, e2: t.e1, update: 0 })));
  // a single trial
  trials.push(...simulate(rng, "ONE", "S", 1, 0.5, 0.4, 7));
  // a lone participant in its own group
  trials.push(...simulate(rng, "LONE", "S", 20, 0.5, 0.4, 7));

  for (const model of LS_MODELS) {
    it(model, () => {
      const res = fitHierarchical(trials, model, { groupOf: (id) => (id === "LONE" ? "solo" : "main") });
      expect(res.fits).toHaveLength(12);
      res.fits.forEach(assertNoNaN);
      for (const p of res.priors) {
        for (const v of [...Object.values(p.mean), ...Object.values(p.variance), p.log_evidence, p.ibic]) expect(v !== null && Number.isFinite(v)).toBe(true);
      }
      const bad = res.fits.find((f) => f.participant_id === "BAD")!;
      expect(bad.alpha_good).toBeNull();
      expect(bad.asymmetry).toBeNull();
      expect(bad.alpha_bad).not.toBeNull();
      const zero = res.fits.find((f) => f.participant_id === "ZERO")!;
      expect(zero.sigma).not.toBeNull();
      expect(zero.sigma!).toBeGreaterThan(0);
      expect(res.warnings.some((w) => /solo/.test(w) && /poorly determined/.test(w))).toBe(true);
    });
  }

  it("from sufficient statistics with an empty participant-session", () => {
    const stats = computeStats(trials);
    stats.push({ ...stats[0], participant_id: "EMPTY", good: { ...stats[0].good, n: 0 }, bad: { ...stats[0].bad, n: 0 } });
    const res = fitHierarchicalFromStats(stats, "valence");
    expect(res.fits.some((f) => f.participant_id === "EMPTY")).toBe(false);
    expect(res.warnings.some((w) => w.startsWith("EMPTY/"))).toBe(true);
  });

  it("no data at all", () => {
    const res = fitHierarchical([], "valence");
    expect(res.fits).toEqual([]);
    expect(res.ibic).toBeNull();
  });
});
