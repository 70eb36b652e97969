import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { analyzeStudy, scorePhase, sessionsByGroup, mediationRows, designOf } from "../../../src/lib/analysis/pipeline.js";
import { defaultParams } from "../../../src/lib/analysis/params.js";
import { validateStudy } from "../../../src/lib/study/validate/index.js";
import type { Study } from "../../../src/lib/study/types.js";

function bundled(): Study {
  const files = Object.fromEntries(["study.json", "participants.csv", "trials.csv", "clinical.csv"].map((f) => [f, readFileSync(`data/ketamine-trd/${f}`, "utf8")]));
  return validateStudy(files).study!;
}

describe("the analysis pipeline wires the phases correctly", () => {
  const study = bundled();
  const params = { ...defaultParams(designOf(study)), boot: 0 };
  const r = analyzeStudy(study, params);

  test("defaults come from study.json and the groups' sessions", () => {
    expect(sessionsByGroup(study)).toEqual({ HC: ["pre", "post1"], TRD: ["pre", "post1", "post3"] });
    expect(params.lmm).toEqual(["pre", "post1"]);
  });

  test("the mediator is each patient's change in fitted asymmetry, the outcome the change in score", () => {
    const m = r.mediation;
    expect(m.error).toBeNull();
    // By hand from the fits and clinical.csv: a = mean of (asym post1 - asym pre) over the 26 patients.
    const asym = (id: string, s: string) => r.fit.fits.find((f) => f.participant_id === id && f.session === s)!.asymmetry!;
    const score = (id: string, s: string) => study.clinical.find((c) => c.participant_id === id && c.session === s)!.score!;
    const ids = study.participants.filter((p) => p.group === "TRD").map((p) => p.participant_id);
    const a = ids.reduce((s, id) => s + asym(id, "post1") - asym(id, "pre"), 0) / ids.length;
    const c = ids.reduce((s, id) => s + score(id, "post3") - score(id, "pre"), 0) / ids.length;
    expect("a" in m && m.a).toBeCloseTo(a, 12);
    expect("c" in m && m.c).toBeCloseTo(c, 12);
    expect("n" in m && m.n).toBe(26);
  });

  test("the mixed model enters one row per participant x session x valence of the shared sessions", () => {
    expect(r.lmm.error).toBeNull();
    expect(r.lmm.n_obs).toBe(56 * 2 * 2);
    expect(r.lmm.n_groups).toBe(56);
    expect(r.lmm.key_term).toBe("groupTRD:sessionpost1:valencegood");
    expect(r.lmm.fixed!.map((f) => f.term)).toContain("education");
  });

  test("trial level enters every scored trial of those sessions", () => {
    const t = analyzeStudy(study, { ...params, level: "trials" });
    const n = r.scored.trials.filter((x) => x.session === "pre" || x.session === "post1").length;
    expect(t.lmm.n_obs).toBe(n);
  });

  test("the minimum-trials rule lists what it leaves out", () => {
    const s = scorePhase(study, { range: [0, 100], mintrials: 10 });
    expect(s.excluded.length).toBeGreaterThan(0);
    for (const e of s.excluded) expect(e.reason).toMatch(/^\d+ good-news and \d+ bad-news trials \(minimum 10 of each\)$/);
    const left = new Set(s.trials.map((t) => `${t.participant_id}|${t.session}`));
    for (const e of s.excluded) expect(left.has(`${e.participant_id}|${e.session}`)).toBe(false);
  });

  test("a patient without the outcome session is listed, not silently dropped", () => {
    const s2: Study = { ...study, clinical: study.clinical.filter((c) => !(c.participant_id === "TRD05" && c.session === "post3")) };
    const m = analyzeStudy(s2, params).mediation;
    expect("excluded" in m && m.excluded).toEqual([{ participant_id: "TRD05", reason: expect.stringContaining("y_to") }]);
    expect("n" in m && m.n).toBe(25);
    expect(mediationRows(r.fit.fits, s2, params).rows).toHaveLength(26);
  });
});

describe("mediation needs an asymmetry", () => {
  test("the single model gives a clear message instead of a singular regression", () => {
    const study = bundled();
    const params = { ...defaultParams(designOf(study)), boot: 0, model: "single" as const };
    const m = analyzeStudy(study, params).mediation;
    expect(m.error).toBe("the single model has one learning rate for good and bad news, so no asymmetry to mediate: choose the valence, scaling-asymmetry or ee-weighted model");
  });
});
