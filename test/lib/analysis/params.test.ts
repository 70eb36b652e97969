import { describe, expect, test } from "vitest";
import { defaultParams, parseParams, serializeParams } from "../../../src/lib/analysis/params.js";
import { simulateStudy } from "../../../src/lib/task/simulate.js";
import { describeDesign } from "../../../src/lib/analysis/design.js";

// The bundled design: HC in pre and post1, TRD in pre, post1 and post3; age and education known.
const D = describeDesign(simulateStudy().study);

describe("analysis parameters", () => {
  test("defaults follow study.json: mediator first two sessions, outcome first to last of the treatment group, LMM shared sessions", () => {
    const d = defaultParams(D);
    expect(d).toMatchObject({ model: "valence", hier: false, med: ["pre", "post1"], out: ["pre", "post3"], lmm: ["pre", "post1"], boot: 5000, seed: 1, level: "cells", cov: ["age", "education"] });
  });
  test("a URL query round-trips, and defaults are left out", () => {
    const { params, errors } = parseParams("?model=single&hier=1&med=pre,post3&boot=200&seed=7&sel=TRD01,TRD02&cov=age", D);
    expect(errors).toEqual([]);
    expect(params).toMatchObject({ model: "single", hier: true, med: ["pre", "post3"], boot: 200, seed: 7, sel: ["TRD01", "TRD02"], cov: ["age"] });
    const q = serializeParams(params, D);
    expect(q).toBe("model=single&hier=1&med=pre,post3&cov=age&boot=200&seed=7&sel=TRD01,TRD02");
    expect(parseParams(q, D).params).toEqual(params);
    expect(serializeParams(defaultParams(D), D)).toBe("");
  });
  test("the JSON form gives the same parameters", () => {
    const a = parseParams({ model: "single", med: ["pre", "post3"], boot: 200 }, D).params;
    const b = parseParams("model=single&med=pre,post3&boot=200", D).params;
    expect(a).toEqual(b);
  });
  test("invalid values fall back to defaults with a message naming the key", () => {
    const { params, errors } = parseParams("model=bayes&med=pre,pre&boot=-1&range=50,10&colour=red", D);
    expect(params.model).toBe("valence");
    expect(params.med).toEqual(["pre", "post1"]);
    expect(errors).toEqual([
      'model: expected one of single, valence, scaling-asymmetry, ee-weighted, vb-exp-asymmetry, vb-signed-asymmetry, vb-single, vb-ee-scaled, got "bayes"',
      'med: expected two different sessions of pre, post1, post3 separated by a comma, got "pre,pre"',
      'boot: expected a whole number from 0 to 100000, got "-1"',
      'range: expected two numbers from 0 to 100 (low,high), got "50,10"',
      "colour: unknown parameter (known: model, hier, bmc, prior, medgroup, med, out, range, mintrials, ref, recall, cov, level, re, lmm, boot, seed, group, sel)",
    ]);
  });
});
