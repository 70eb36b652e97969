/** The Bayesian models in the analysis: the pipeline's fits are the inversions of models/bayes, model selection follows the data. */
import { describe, expect, test } from "vitest";
import { loadStudyFromDir } from "../../../src/lib/study/load.js";
import { analyzeStudy, designOf } from "../../../src/lib/analysis/pipeline.js";
import { defaultParams } from "../../../src/lib/analysis/params.js";
import { invertSession } from "../../../src/lib/models/bayes/index.js";
import { bayesSessions } from "../../../src/lib/models/bayes-fits.js";
import { runRecovery, syntheticDesigns } from "../../../src/lib/models/recovery.js";

describe("Bayesian models in the analysis", async () => {
  const study = await loadStudyFromDir("data/ketamine-trd");
  const params = { ...defaultParams(designOf(study)), boot: 0, model: "vb-signed-asymmetry" as const };
  const r = analyzeStudy(study, params);
  test("every participant-session's fit is the variational Laplace inversion of its trials", () => {
    const sessions = bayesSessions(r.scored.trials);
    expect(r.fit.fits).toHaveLength(sessions.length);
    for (const [i, s] of sessions.entries()) {
      const inv = invertSession(s, "signed-asymmetry", "kit");
      const f = r.fit.fits[i];
      expect([f.participant_id, f.session]).toEqual([s.participant_id, s.session]);
      expect(f.method).toBe("vb");
      expect(f.posterior!.mean).toEqual(inv.mean);
      expect(f.posterior!.free_energy).toBe(inv.F);
      expect(f.asymmetry).toBeCloseTo(inv.alpha_good - inv.alpha_bad, 12);
    }
  });
  test("model selection: frequencies sum to 1 overall and per cell, and the least-squares comparison is still there", () => {
    const ms = r.fit.model_selection!;
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(ms.overall.frequency)).toBeCloseTo(1, 12);
    expect(ms.by_group_session.map((c) => `${c.group}|${c.session}`).sort()).toEqual(["HC|post1", "HC|pre", "TRD|post1", "TRD|post3", "TRD|pre"]);
    for (const c of ms.by_group_session) expect(sum(c.frequency)).toBeCloseTo(1, 12);
    expect(r.fit.comparison!.models).toEqual(["single", "valence", "scaling-asymmetry", "ee-weighted"]);
    expect(r.fit.bayes_prior!.params).toEqual(["a", "b"]);
  });
  test("the mediation runs on the Bayesian asymmetries", () => {
    expect(r.mediation.error).toBeNull();
    expect(r.mediation.rows.find((x) => x.participant_id === "TRD01")!.m_from).toBe(r.fit.fits.find((f) => f.participant_id === "TRD01" && f.session === "pre")!.asymmetry);
  });
  test("recovery by Bayesian model selection finds the single rate in single-rate data, and leaves the least-squares figures alone", () => {
    const designs = syntheticDesigns({ n: 56, trials: 40, seed: 3 });
    const plain = runRecovery(designs, { n: 80, seed: 2, models: ["single", "valence"] });
    const withBayes = runRecovery(designs, { n: 80, seed: 2, models: ["single", "valence"], bayes: true });
    expect(withBayes.parameters).toEqual(plain.parameters);
    expect(withBayes.bayes!.confusion.find((c) => c.generating === "single")!.best).toBe("vb-single");
    const v = withBayes.bayes!.parameters.find((p) => p.generating === "valence" && p.model === "vb-signed-asymmetry" && p.parameter === "asymmetry")!;
    expect(v.r!).toBeGreaterThan(0.6);
  });
});

describe("posterior intervals of the Bayesian rates", async () => {
  const { posteriorRateIntervals } = await import("../../../src/lib/models/bayes-fits.js");
  const study = await loadStudyFromDir("data/ketamine-trd");
  const r = analyzeStudy(study, { ...defaultParams(designOf(study)), boot: 0, model: "vb-signed-asymmetry" });
  test("signed asymmetry 2b is linear in b: its interval is 2b ± 1.96 · 2 sd(b) exactly", () => {
    const f = r.fit.fits[0];
    const iv = posteriorRateIntervals(f)!;
    const sdb = Math.sqrt(f.posterior!.covariance[1][1]);
    expect(iv.asymmetry!.hi - iv.asymmetry!.lo).toBeCloseTo(2 * 1.959963984540054 * 2 * sdb, 12);
    expect(iv.asymmetry!.estimate).toBe(f.asymmetry);
    expect(iv.alpha_good!.lo).toBeLessThan(f.alpha_good!);
  });
  test("least-squares fits have none", () => {
    const ls = analyzeStudy(study, { ...defaultParams(designOf(study)), boot: 0 });
    expect(posteriorRateIntervals(ls.fit.fits[0])).toBeNull();
  });
});
