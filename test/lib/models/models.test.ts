import { describe, expect, it } from "vitest";
import { fitAll, fitModel, fitModelToAll, predictE2 } from "../../helpers/models.js";
import { readFileSync } from "node:fs";
import { csvParse } from "d3-dsv";
import fc from "fast-check";
import { scoreTrials } from "../../../src/lib/task/columnar.js";
import type { Trial } from "../../../src/lib/study/types.js";
import type { ScoredTrial } from "../../../src/lib/task/types.js";
import {
  LS_MODELS,
  computeStats,
  fitFromStats,
  getModel,
  parseModelName,
  type ModelFit,
  type LsModelName,
} from "../../../src/lib/models/index.js";
import { mapFitFromStats } from "../../../src/lib/models/hierarchical/index.js";
import { compareModels } from "../../../src/lib/models/comparison.js";

const FIX = "test/fixtures/models";

interface RefFlat {
  participant_id: string;
  session: string;
  model: LsModelName;
  n: number;
  n_good: number;
  n_bad: number;
  coef: Record<string, number | null>;
  sigma: number | null;
  loglik: number | null;
  aic: number | null;
  bic: number | null;
  df: number;
}
interface RefOptim {
  participant_id: string;
  session: string;
  model: LsModelName;
  coef: Record<string, number>;
  sigma: number;
  loglik: number;
  aic: number;
  bic: number;
  convergence: number;
}
interface RefMap {
  participant_id: string;
  session: string;
  model: LsModelName;
  prior: { mean: number[]; variance: number[] };
  phi: number[];
  hessian_inverse_diag: number[];
  log_evidence: number;
}
const reference = JSON.parse(readFileSync(`${FIX}/reference.json`, "utf8")) as { flat: RefFlat[]; optim: RefOptim[]; map_fixed_prior: RefMap[] };

export function loadFixtureTrials(file: string): ScoredTrial[] {
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

function trial(e1: number, br: number, e2: number, id = "P", session = "S"): ScoredTrial {
  const valence = br < e1 ? "good" : "bad";
  return { participant_id: id, session, event_id: `${e1}-${br}-${e2}`, e1, br, e2, ee: e1 - br, valence, update: valence === "good" ? e1 - e2 : e2 - e1 };
}

function assertNoNaN(fit: ModelFit): void {
  const nums = [fit.alpha_good, fit.alpha_bad, fit.asymmetry, fit.sigma, fit.loglik, fit.aic, fit.bic, fit.k, fit.n, ...Object.values(fit.params)];
  for (const v of nums) if (v !== null) expect(Number.isFinite(v)).toBe(true);
}

// Hand-computed example. x = BR - E1, y = E2 - E1:
//   t1: E1 50, BR 30, E2 40 -> good, x = -20, y = -10
//   t2: E1 60, BR 40, E2 52 -> good, x = -20, y =  -8
//   t3: E1 20, BR 40, E2 26 -> bad,  x =  20, y =   6
//   t4: E1 30, BR 40, E2 33 -> bad,  x =  10, y =   3
// alpha_good = (200 + 160) / (400 + 400) = 360/800 = 0.45
// alpha_bad  = (120 + 30) / (400 + 100)  = 150/500 = 0.30
// residuals y - alpha x: -10 + 9 = -1, -8 + 9 = 1, 6 - 6 = 0, 3 - 3 = 0 -> RSS = 2, sigma^2 = 2/4 = 0.5
// loglik = -4/2 * (ln(2 pi) + ln 0.5 + 1) = -2 * (1.8378771 - 0.6931472 + 1) = -4.2894598
// k = 3 (two rates + sigma): AIC = 6 + 8.5789196 = 14.5789196, BIC = 3 ln 4 + 8.5789196 = 12.7378027
// single: alpha = (360 + 150) / (800 + 500) = 510/1300 = 0.3923077
// scaling-asymmetry: s = (0.45 + 0.30)/2 = 0.375, k = (0.45 - 0.30)/2 = 0.075
const HAND = [trial(50, 30, 40), trial(60, 40, 52), trial(20, 40, 26), trial(30, 40, 33)];

describe("valence model: closed form by hand", () => {
  const fit = fitModel(HAND, "valence");
  it("learning rates", () => {
    expect(fit.alpha_good).toBeCloseTo(0.45, 12);
    expect(fit.alpha_bad).toBeCloseTo(0.3, 12);
    expect(fit.asymmetry).toBeCloseTo(0.15, 12);
    expect(fit.n_good).toBe(2);
    expect(fit.n_bad).toBe(2);
  });
  it("sigma, loglik, AIC, BIC (k counts sigma)", () => {
    expect(fit.sigma).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(fit.loglik).toBeCloseTo(-4.2894598, 6);
    expect(fit.k).toBe(3);
    expect(fit.aic).toBeCloseTo(14.5789196, 6);
    expect(fit.bic).toBeCloseTo(12.7378027, 6);
    expect(fit.warnings).toEqual([]);
    expect(fit.method).toBe("ml");
  });
  it("single and scaling-asymmetry", () => {
    expect(fitModel(HAND, "single").alpha_good).toBeCloseTo(510 / 1300, 12);
    expect(fitModel(HAND, "single").k).toBe(2);
    const sa = fitModel(HAND, "scaling-asymmetry");
    expect(sa.params.s).toBeCloseTo(0.375, 12);
    expect(sa.params.k).toBeCloseTo(0.075, 12);
    expect(sa.alpha_good).toBeCloseTo(0.45, 12);
    expect(sa.alpha_bad).toBeCloseTo(0.3, 12);
    expect(sa.loglik).toBeCloseTo(fit.loglik!, 10);
  });
  it("the fast path from sufficient statistics gives the same fit", () => {
    const [stats] = computeStats(HAND);
    expect(fitFromStats("valence", stats)).toEqual(fit);
  });
  it("predictE2 reproduces the fitted values", () => {
    expect(predictE2(fit, HAND[0])).toBeCloseTo(50 + 0.45 * -20, 12);
    expect(predictE2(fit, HAND[2])).toBeCloseTo(20 + 0.3 * 20, 12);
  });
});

describe("model names", () => {
  it("LS_MODELS", () => {
    expect([...LS_MODELS]).toEqual(["single", "valence", "scaling-asymmetry", "ee-weighted"]);
  });
  it("unknown model", () => {
    const msg = 'unknown model "x": expected one of single, valence, scaling-asymmetry, ee-weighted';
    expect(() => parseModelName("x")).toThrow(msg);
    expect(() => getModel("x")).toThrow(msg);
    expect(() => fitModel(HAND, "x" as LsModelName)).toThrow(msg);
    expect(() => fitAll(HAND, { model: "x" })).toThrow(msg);
  });
  it("fitModel refuses trials of several participant-sessions", () => {
    expect(() => fitModel([...HAND, trial(50, 30, 40, "Q")], "valence")).toThrow(/one participant-session/);
  });
});

describe("edge cases: null and a warning, never NaN", () => {
  it("no trials", () => {
    for (const m of LS_MODELS) {
      const f = fitModel([], m, { participant_id: "P", session: "S" });
      expect(f.participant_id).toBe("P");
      expect(f.alpha_good).toBeNull();
      expect(f.alpha_bad).toBeNull();
      expect(f.sigma).toBeNull();
      expect(f.loglik).toBeNull();
      expect(f.bic).toBeNull();
      expect(f.warnings.join(" ")).toMatch(/no scored trials/);
      assertNoNaN(f);
    }
  });
  it("no good-news trials", () => {
    const bad = [trial(20, 40, 26), trial(30, 40, 33), trial(10, 50, 30)];
    for (const m of LS_MODELS) {
      const f = fitModel(bad, m);
      expect(f.alpha_good).toBeNull();
      expect(f.asymmetry).toBeNull();
      expect(f.alpha_bad).not.toBeNull();
      expect(f.warnings.join(" ")).toMatch(/no good-news trials/);
      assertNoNaN(f);
    }
    const sa = fitModel(bad, "scaling-asymmetry");
    expect(sa.params.s).toBeNull();
    expect(sa.params.k).toBeNull();
    expect(sa.k).toBe(2);
    expect(sa.alpha_bad).toBeCloseTo(fitModel(bad, "valence").alpha_bad!, 12);
  });
  it("sigma = 0 (participant never updates)", () => {
    const none = [trial(50, 30, 50), trial(20, 40, 20)];
    for (const m of LS_MODELS) {
      const f = fitModel(none, m);
      expect(f.sigma).toBeNull();
      expect(f.loglik).toBeNull();
      expect(f.aic).toBeNull();
      expect(f.bic).toBeNull();
      expect(f.alpha_good).toBe(0);
      expect(f.warnings.join(" ")).toMatch(/sigma = 0/);
      assertNoNaN(f);
    }
  });
  it("property: random trials never give NaN or Infinity", () => {
    const est = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(fc.array(fc.tuple(est, est, est), { minLength: 0, maxLength: 12 }), (rows) => {
        const ts = rows.filter(([e1, br]) => e1 !== br).map(([e1, br, e2]) => trial(e1, br, e2));
        for (const m of LS_MODELS) assertNoNaN(fitModel(ts, m, { participant_id: "P", session: "S" }));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("ee-weighted", () => {
  it("alpha at the mean |EE| and beta: E2 generated exactly by the model is recovered", () => {
    // alpha_t = alpha_v + beta * z_t, z_t = (|EE| - m)/sd; noise-free but for one perturbed trial.
    const design: [number, number][] = [[60, 30], [55, 45], [70, 20], [40, 35], [20, 50], [30, 35], [10, 60], [45, 52]];
    const a = design.map(([e1, br]) => Math.abs(e1 - br));
    const m = a.reduce((s, v) => s + v, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
    const ts = design.map(([e1, br], i) => {
      const alpha = (br < e1 ? 0.6 : 0.3) - 0.1 * ((a[i] - m) / sd);
      return trial(e1, br, e1 + alpha * (br - e1) + (i === 0 ? 0.5 : 0));
    });
    const f = fitModel(ts, "ee-weighted");
    expect(f.params.abs_ee_mean).toBeCloseTo(m, 12);
    expect(f.params.abs_ee_sd).toBeCloseTo(sd, 12);
    expect(f.alpha_good!).toBeCloseTo(0.6, 1);
    expect(f.alpha_bad!).toBeCloseTo(0.3, 1);
    expect(f.params.beta!).toBeCloseTo(-0.1, 1);
    expect(f.k).toBe(4);
  });
});

describe("agreement with R (test/r/models_reference.R)", () => {
  const trials = loadFixtureTrials("flat.csv");
  const fits = new Map<string, ModelFit>();
  for (const m of LS_MODELS) for (const f of fitModelToAll(trials, m)) fits.set(`${f.participant_id}/${f.session}/${m}`, f);

  it("covers every participant-session x model of the fixture", () => {
    expect(reference.flat.length).toBe(fits.size);
  });

  it("closed forms vs lm(): coefficients, ML sigma, logLik, AIC, BIC within 1e-6 relative", () => {
    let worst = 0;
    for (const r of reference.flat) {
      const f = fits.get(`${r.participant_id}/${r.session}/${r.model}`)!;
      expect(f, `${r.participant_id}/${r.session}/${r.model}`).toBeDefined();
      expect(f.n).toBe(r.n);
      expect(f.n_good).toBe(r.n_good);
      expect(f.n_bad).toBe(r.n_bad);
      for (const [name, v] of Object.entries(r.coef)) {
        let mine = f.params[name];
        // One valence only: lm() keeps s (= the rate of the valence present) and aliases k; the kit
        // reports s and k as null and that rate as alpha_good/alpha_bad.
        if (r.model === "scaling-asymmetry" && r.coef.k === null && name === "s") {
          expect(mine).toBeNull();
          mine = f.n_good > 0 ? f.alpha_good : f.alpha_bad;
        }
        if (v === null) expect(mine, `${r.participant_id}/${r.model}/${name}`).toBeNull();
        else {
          expect(mine, `${r.participant_id}/${r.session}/${r.model}/${name}`).not.toBeNull();
          worst = Math.max(worst, relDiff(mine!, v));
          expect(relDiff(mine!, v)).toBeLessThanOrEqual(1e-6);
        }
      }
      for (const key of ["sigma", "loglik", "aic", "bic"] as const) {
        const v = r[key];
        if (v === null) expect(f[key], `${r.participant_id}/${r.model}/${key}`).toBeNull();
        else {
          worst = Math.max(worst, relDiff(f[key]!, v));
          expect(relDiff(f[key]!, v), `${r.participant_id}/${r.model}/${key}`).toBeLessThanOrEqual(1e-6);
        }
      }
      if (r.loglik !== null) expect(f.k).toBe(r.df);
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("the same likelihood maximised by R's optim (BFGS): within 1e-4 relative", () => {
    expect(reference.optim.length).toBeGreaterThan(10);
    for (const r of reference.optim) {
      expect(r.convergence).toBe(0);
      const f = fits.get(`${r.participant_id}/${r.session}/${r.model}`)!;
      for (const [name, v] of Object.entries(r.coef)) expect(relDiff(f.params[name]!, v), `${r.model}/${name}`).toBeLessThanOrEqual(1e-4);
      for (const key of ["sigma", "loglik", "aic", "bic"] as const) expect(relDiff(f[key]!, r[key]), `${r.model}/${key}`).toBeLessThanOrEqual(1e-4);
    }
  });

  it("MAP under a fixed Gaussian prior vs R's optim + analytic/numerical Hessian: within 1e-4", () => {
    const stats = new Map(computeStats(trials).map((s) => [`${s.participant_id}/${s.session}`, s]));
    for (const r of reference.map_fixed_prior) {
      const res = mapFitFromStats(r.model, stats.get(`${r.participant_id}/${r.session}`)!, r.prior);
      r.phi.forEach((v, j) => expect(relDiff(res.phi[j], v), `${r.participant_id}/${r.model} phi[${j}]`).toBeLessThanOrEqual(1e-4));
      r.hessian_inverse_diag.forEach((v, j) => expect(Math.abs(res.hessianInverseDiag[j] - v) / Math.abs(v)).toBeLessThanOrEqual(1e-4));
      expect(relDiff(res.logEvidence, r.log_evidence)).toBeLessThanOrEqual(1e-4);
      assertNoNaN(res.fit);
    }
  });
});

describe("fitAll and compareModels", () => {
  const trials = loadFixtureTrials("flat.csv");
  it("one model by default (valence), warnings prefixed", () => {
    const res = fitAll(trials);
    expect(res.models).toEqual(["valence"]);
    expect(res.fits.every((f) => f.model === "valence")).toBe(true);
    expect(res.comparison).toBeUndefined();
    expect(res.warnings.some((w) => w.startsWith("P03/S1 valence: no good-news trials"))).toBe(true);
  });
  it("all models: comparison with valence/scaling-asymmetry ties, summed BIC, exclusions", () => {
    const res = fitAll(trials, { model: "all", groupOf: { P01: "A", P02: "A", P03: "B", P04: "B", P05: "B", P06: "B" } });
    const cmp = res.comparison!;
    expect(cmp.models).toEqual([...LS_MODELS]);
    // P05 (sigma = 0 everywhere) and P06 (ee-weighted exact) have no BIC for some model
    expect(cmp.excluded.map((e) => e.participant_id).sort()).toEqual(["P05", "P06"]);
    const v = cmp.totals.find((t) => t.model === "valence")!;
    const sa = cmp.totals.find((t) => t.model === "scaling-asymmetry")!;
    expect(v.sum_bic).toBeCloseTo(sa.sum_bic, 8);
    for (const b of cmp.best) {
      if (b.tied.includes("valence")) expect(b.tied).toContain("scaling-asymmetry");
    }
    // summed BIC equals the sum over included participant-sessions
    const included = res.byModel.valence!.filter((f) => !["P05", "P06"].includes(f.participant_id));
    expect(v.sum_bic).toBeCloseTo(included.reduce((s, f) => s + f.bic!, 0), 8);
    const nBest = cmp.totals.reduce((s, t) => s + t.n_best, 0);
    expect(nBest).toBeCloseTo(cmp.best.length, 10);
    expect(cmp.by_group_session.every((r) => r.group === "A" || r.group === "B")).toBe(true);
    expect(cmp.notes.join(" ")).toMatch(/reparametrisation|same model/);
  });
  it("compareModels picks the generating model on clear data", () => {
    // valence data with a large asymmetry: valence beats single for a participant with many trials
    const ts: ScoredTrial[] = [];
    for (let i = 0; i < 60; i++) {
      const e1 = 20 + (i % 50);
      const br = i % 2 === 0 ? e1 - 15 - (i % 7) : e1 + 15 + (i % 5);
      const alpha = br < e1 ? 0.8 : 0.2;
      ts.push(trial(e1, br, e1 + alpha * (br - e1) + ((i * 37) % 7) - 3));
    }
    const byModel = { single: fitModelToAll(ts, "single"), valence: fitModelToAll(ts, "valence") };
    const cmp = compareModels(byModel);
    expect(cmp.best[0].best_model).toBe("valence");
    expect(cmp.totals[1].delta_bic).toBe(0);
  });
});
