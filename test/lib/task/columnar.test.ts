/**
 * The fast paths of the analysis (one columnar scoring pass, fits without intermediate objects,
 * the mixed model from typed columns, the inlined random generator) against the object-based code
 * they replace: the numbers must be identical, not merely close (toEqual compares with Object.is).
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { analyzeStudy, describePhase, fitPhase, lmmFormula, lmmPhase, scorePhase, sessionsByGroup, type Scored, designOf } from "../../../src/lib/analysis/pipeline.js";
import { defaultParams, type AnalysisParams } from "../../../src/lib/analysis/params.js";
import { validateStudy } from "../../../src/lib/study/validate/index.js";
import { oracleScoreTrials as scoreTrials } from "../../oracles/scoring.js";
import { updateCells } from "../../../src/lib/task/summary.js";
import { oracleFitFromStats } from "../../oracles/flat-fit.js";
import { compareModels, computeStats, fitAllFromStats, fitFromStats, MODEL_SPECS, LS_MODELS, type ModelFit, type LsModelName, type SufficientStats } from "../../../src/lib/models/index.js";
import { fitForReport } from "../../../src/lib/models/index.js";
import { fitLmm } from "../../../src/lib/lmm/index.js";
import { createRng } from "../../../src/lib/stats/random.js";
import { lcgStartState } from "../../../src/lib/mediation/index.js";
import type { Study, Trial } from "../../../src/lib/study/types.js";
import type { ScoredTrial } from "../../../src/lib/task/types.js";

function bundled(): Study {
  const files = Object.fromEntries(["study.json", "participants.csv", "trials.csv", "clinical.csv"].map((f) => [f, readFileSync(`data/ketamine-trd/${f}`, "utf8")]));
  return validateStudy(files).study!;
}

/** The bundled study with shuffled trials, missing and out-of-range values and EE = 0 trials. */
function messy(seed: number): Study {
  const study = bundled();
  const rng = createRng(seed);
  const trials: Trial[] = study.trials.map((t) => ({ ...t }));
  for (let i = trials.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [trials[i], trials[j]] = [trials[j], trials[i]];
  }
  for (const t of trials) {
    const u = rng.uniform();
    if (u < 0.02) t.second_estimate = null;
    else if (u < 0.04) t.base_rate = t.first_estimate;
    else if (u < 0.05) t.first_estimate = 2;
    else if (u < 0.06) t.second_estimate = 97;
    else if (u < 0.065) t.first_estimate = NaN;
    else if (u < 0.07) t.base_rate = 12.5;
  }
  return { ...study, trials };
}

/** scorePhase as it was written before the columnar pass: scoreTrials, then the minimum-trials rule. */
function referenceScore(study: Study, params: Pick<AnalysisParams, "range" | "mintrials">): { trials: ScoredTrial[]; counts: unknown; excluded: unknown[] } {
  const { trials, counts } = scoreTrials(study.trials, { validRange: params.range });
  const n = new Map<string, { good: number; bad: number }>();
  for (const t of trials) {
    const key = `${t.participant_id}\u0000${t.session}`;
    let c = n.get(key);
    if (!c) n.set(key, (c = { good: 0, bad: 0 }));
    c[t.valence]++;
  }
  const excluded: unknown[] = [];
  const drop = new Set<string>();
  for (const [key, c] of n) {
    if (c.good < params.mintrials || c.bad < params.mintrials) {
      const [participant_id, session] = key.split("\u0000");
      drop.add(key);
      excluded.push({ participant_id, session, reason: `${c.good} good-news and ${c.bad} bad-news trials (minimum ${params.mintrials} of each)` });
    }
  }
  return { trials: trials.filter((t) => !drop.has(`${t.participant_id}\u0000${t.session}`)), counts, excluded };
}

const cases: [string, () => Study, Partial<AnalysisParams>][] = [
  ["bundled", bundled, {}],
  ["messy, range 5-95, at least 12 trials of each valence", () => messy(3), { range: [5, 95], mintrials: 12 }],
  ["messy, default range", () => messy(4), {}],
];

describe("one columnar scoring pass = scoreTrials + computeStats + updateCells", () => {
  for (const [name, make, over] of cases) {
    test(name, () => {
      const study = make();
      const params = { ...defaultParams(designOf(study)), ...over };
      const scored = scorePhase(study, params);
      const ref = referenceScore(study, params);
      expect(scored.counts).toEqual(ref.counts);
      expect(scored.excluded).toEqual(ref.excluded);
      expect(scored.trials).toEqual(ref.trials);
      expect(describePhase(scored, study).cells).toEqual(updateCells(ref.trials, study.participants));
      // The fits from the pass's statistics equal the fits from the trials (a copy of scored has no pass).
      const copy: Scored = { ...scored };
      expect(fitPhase(scored, study, params)).toEqual(fitPhase(copy, study, params));
      expect(computeStats(scored.trials)).toEqual(computeStats(ref.trials));
    });
  }

  test("a Scored whose trials are replaced is analysed from the new trials", () => {
    const study = bundled();
    const params = defaultParams(designOf(study));
    const scored = scorePhase(study, params);
    const mine = scored.trials.filter((t) => t.participant_id === "TRD01");
    scored.trials = mine;
    const fits = fitPhase(scored, study, { ...params, hier: false }, { compare: false }).fits;
    expect(fits.map((f) => f.participant_id)).toEqual(["TRD01", "TRD01", "TRD01"]);
    expect(describePhase(scored, study).cells.every((c) => c.participant_id === "TRD01")).toBe(true);
  });

  test("JSON and structured clone see the scored trials", () => {
    const study = bundled();
    const scored = scorePhase(study, defaultParams(designOf(study)));
    const ref = referenceScore(study, { range: [0, 100], mintrials: 1 });
    expect(JSON.parse(JSON.stringify(scored)).trials).toEqual(JSON.parse(JSON.stringify(ref.trials)));
    expect(structuredClone(scored).trials).toEqual(ref.trials);
  });
});

describe("mixed model from typed columns = fitLmm on the rows", () => {
  /** The rows lmmPhase enters (one per cell or scored trial of a known participant in the sessions). */
  function rows(scored: Scored, study: Study, params: AnalysisParams) {
    const demo = new Map(study.participants.map((p) => [p.participant_id, p]));
    const src = params.level === "trials" ? scored.trials : describePhase(scored, study).cells;
    return src
      .filter((r) => demo.has(r.participant_id) && params.lmm.includes(r.session))
      .map((r) => {
        const p = demo.get(r.participant_id)!;
        return { participant_id: r.participant_id, group: p.group, session: r.session, valence: r.valence, update: r.update, age: p.age, education: p.education_years };
      });
  }
  const variants: [string, Partial<AnalysisParams>, string | undefined][] = [
    ["cells, default formula", {}, undefined],
    ["cells, no covariates", { cov: [] }, undefined],
    ["trials, one covariate", { level: "trials", cov: ["age"] }, undefined],
    ["cells, three sessions", { lmm: ["pre", "post1", "post3"] }, undefined],
    ["cells, own formula", {}, "update ~ session * valence + group + (1 | participant_id)"],
  ];
  for (const [name, over, formula] of variants) {
    test(name, () => {
      const study = messy(5);
      const params = { ...defaultParams(designOf(study)), ...over };
      const scored = scorePhase(study, params);
      const cells = describePhase(scored, study).cells;
      const fast = lmmPhase(scored, cells, study, params, formula);
      expect(fast.error).toBeNull();
      const fit = fitLmm(rows(scored, study, params), formula ?? lmmFormula(designOf(study), params), { factors: { group: study.meta.groups.levels, session: params.lmm, valence: ["bad", "good"] } });
      const { vcov: _v, varpar: _vp, ...rest } = fit;
      expect(fast).toEqual({ ...rest, formula: formula ?? lmmFormula(designOf(study), params), level: params.level, sessions: params.lmm, key_term: fast.key_term, notes: fast.notes, anova: fast.anova, varcorr: fast.varcorr, error: null });
    });
  }
  test("the same error as the rows give (a group without trials in the sessions)", () => {
    const study = bundled();
    const params = { ...defaultParams(designOf(study)), lmm: ["post3"] };
    const scored = scorePhase(study, params);
    const r = lmmPhase(scored, describePhase(scored, study).cells, study, params, "update ~ group * valence + (1 | participant_id)");
    expect(r.error).toBe("Factor 'group' has only one level ('TRD') in the complete rows; a factor needs at least 2 levels");
  });
  test("the design's own formula leaves out a factor the sessions cannot carry, and says so", () => {
    const study = bundled();
    const params = { ...defaultParams(designOf(study)), lmm: ["post3"] };
    const scored = scorePhase(study, params);
    const r = lmmPhase(scored, describePhase(scored, study).cells, study, params);
    expect(r.error).toBeNull();
    expect(r.formula).toBe("update ~ valence + age + education + (1 | participant_id)");
    expect(r.key_term).toBe("valencegood");
    expect(r.notes).toEqual(["group is left out of the model: only TRD has trials in post3", "session is left out of the model: it has one session (post3)"]);
  });
});

describe("the flat fits (scratch buffers, in-place solve) = the plain oracle on arrays", () => {
  const sums = (rng: ReturnType<typeof createRng>, n: number) => {
    const s = { n, sa: 0, saa: 0, sxx: 0, sxy: 0, syy: 0, saxx: 0, saaxx: 0, saxy: 0 };
    for (let i = 0; i < n; i++) {
      const x = Math.round((rng.uniform() - 0.5) * 80);
      const y = x * (0.2 + 0.6 * rng.uniform()) + rng.normal(0, 5);
      const a = Math.abs(x);
      s.sa += a;
      s.saa += a * a;
      s.sxx += x * x;
      s.sxy += x * y;
      s.syy += y * y;
      s.saxx += a * x * x;
      s.saaxx += a * a * x * x;
      s.saxy += a * x * y;
    }
    return s;
  };
  test("random participant-sessions and edge cases", () => {
    const rng = createRng(8);
    const stats: SufficientStats[] = [];
    for (let i = 0; i < 200; i++) stats.push({ participant_id: `P${i}`, session: "s", good: sums(rng, Math.floor(rng.uniform() * 25)), bad: sums(rng, Math.floor(rng.uniform() * 25)) });
    const empty = { n: 0, sa: 0, saa: 0, sxx: 0, sxy: 0, syy: 0, saxx: 0, saaxx: 0, saxy: 0 };
    stats.push({ participant_id: "none", session: "s", good: empty, bad: empty });
    stats.push({ participant_id: "exact", session: "s", good: { ...empty, n: 3, sa: 30, saa: 300, sxx: 300, sxy: 150, syy: 75, saxx: 3000, saaxx: 30000, saxy: 1500 }, bad: empty });
    stats.push({ participant_id: "equal-ee", session: "s", good: { ...empty, n: 2, sa: 20, saa: 200, sxx: 200, sxy: 90, syy: 50, saxx: 2000, saaxx: 20000, saxy: 900 }, bad: { ...empty, n: 2, sa: 20, saa: 200, sxx: 200, sxy: 70, syy: 40, saxx: 2000, saaxx: 20000, saxy: 700 } });
    for (const m of LS_MODELS) {
      for (const s of stats) expect(fitFromStats(m, s), `${m} ${s.participant_id}`).toEqual(oracleFitFromStats(MODEL_SPECS[m], s));
    }
  });
});

describe("fits of the reported model, summaries for the comparison", () => {
  for (const hierarchical of [false, true])
    test(hierarchical ? "hierarchical" : "flat", () => {
      const study = messy(9);
      const params = { ...defaultParams(designOf(study)), mintrials: 0 };
      const stats = computeStats(scorePhase(study, params).trials);
      const groupOf = new Map(study.participants.map((p) => [p.participant_id, p.group]));
      for (const report of LS_MODELS) {
        const all = fitAllFromStats(stats, { model: "all", hierarchical, groupOf });
        const r = fitForReport(stats, report, { model: "all", hierarchical, groupOf });
        expect(r.fits).toEqual(all.byModel[report]);
        expect(r.comparison).toEqual(all.comparison);
        expect(r.warnings).toEqual(all.warnings);
        expect(r.hierarchical).toEqual(all.hierarchical);
      }
    });
});

describe("model comparison", () => {
  test("fits listed in different orders per model compare as when aligned", () => {
    const study = messy(6);
    const params = defaultParams(designOf(study));
    const stats = computeStats(scorePhase(study, params).trials);
    const byModel: Partial<Record<LsModelName, ModelFit[]>> = {};
    for (const m of LS_MODELS) byModel[m] = stats.map((s) => fitFromStats(m, s));
    const groupOf = new Map(study.participants.map((p) => [p.participant_id, p.group]));
    const aligned = compareModels(byModel, groupOf);
    const shuffled: Partial<Record<LsModelName, ModelFit[]>> = { single: byModel.single };
    for (const m of LS_MODELS.slice(1)) shuffled[m] = [...byModel[m]!].reverse();
    expect(compareModels(shuffled, groupOf)).toEqual(aligned);
    // and a duplicate is reported, not counted
    const dup = { ...byModel, valence: [...byModel.valence!, byModel.valence![0]] };
    const withDup = compareModels(dup, groupOf);
    expect(withDup.warnings).toContain(`valence: duplicate fit for ${stats[0].participant_id}/${stats[0].session}; the first is used`);
    expect(withDup.totals).toEqual(aligned.totals);
  });
});

describe("the bootstrap's inlined generator", () => {
  test("draws d3's randomLcg sequence (createRng(seed).uniform)", () => {
    for (const seed of [1, 2, 42, 361, 12345, -7]) {
      const u = createRng(seed).uniform;
      let state = lcgStartState(seed);
      for (let i = 0; i < 1000; i++) {
        state = (Math.imul(0x19660d, state) + 0x3c6ef35f) | 0;
        expect((state >>> 0) / 0x100000000).toBe(u());
      }
    }
  });
});

describe("whole analysis", () => {
  test("the same result twice from the same study (no state kept between analyses)", () => {
    const study = messy(7);
    const params = { ...defaultParams(designOf(study)), boot: 300 };
    const strip = (r: ReturnType<typeof analyzeStudy>) => JSON.parse(JSON.stringify({ ...r, mediation: { ...r.mediation, boot: null } }));
    expect(strip(analyzeStudy(study, params))).toEqual(strip(analyzeStudy(study, params)));
  });
});
