/** Properties of groupBMC, dirichletExceedance and groupBMCByCell that hold whatever VBA says. */
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { dirichletExceedance, groupBMC, groupBMCByCell, type LabelledEvidence } from "../../../../src/lib/models/bayes/index.js";
import { betacdf, digamma, gammaln } from "../../../../src/vendor/stdlib-dists.js";
import betacdfPkg from "@stdlib/stats-base-dists-beta-cdf";
import digammaPkg from "@stdlib/math-base-special-digamma";
import gammalnPkg from "@stdlib/math-base-special-gammaln";

const arbL = (K: number) =>
  fc.integer({ min: 1, max: 25 }).chain((n) => fc.array(fc.array(fc.double({ min: -200, max: -10, noNaN: true }), { minLength: n, maxLength: n }), { minLength: K, maxLength: K }));
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

describe("groupBMC properties", () => {
  test("frequencies, attributions, exceedance and protected exceedance are distributions; bor in [0, 1]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }).chain(arbL), (L) => {
        const res = groupBMC(L, { samples: 2000 });
        expect(sum(res.frequency)).toBeCloseTo(1, 12);
        expect(sum(res.exceedance)).toBeCloseTo(1, 12);
        expect(sum(res.protected_exceedance!)).toBeCloseTo(1, 12);
        for (let i = 0; i < L[0].length; i++) expect(sum(res.assignments.map((r) => r[i]))).toBeCloseTo(1, 12);
        expect(res.bor).toBeGreaterThanOrEqual(0);
        expect(res.bor).toBeLessThanOrEqual(1);
        expect(sum(res.alpha)).toBeCloseTo(1 + L[0].length, 9);
      }),
      { numRuns: 60 },
    );
  });
  test("relabelling models permutes the result; reordering subjects changes nothing", () => {
    fc.assert(
      fc.property(arbL(2), (L) => {
        const a = groupBMC(L);
        const b = groupBMC([L[1], L[0]]);
        expect(b.alpha[0]).toBeCloseTo(a.alpha[1], 10);
        expect(b.exceedance[0]).toBeCloseTo(a.exceedance[1], 10);
        expect(b.bor).toBeCloseTo(a.bor, 10);
        const c = groupBMC(L.map((row) => [...row].reverse()));
        expect(c.alpha[0]).toBeCloseTo(a.alpha[0], 10);
        expect(c.F).toBeCloseTo(a.F, 8);
      }),
      { numRuns: 40 },
    );
  });
  test("a model better by 20 nats for everyone wins outright; identical evidences give 1/K and a high omnibus risk", () => {
    const L = [Array(20).fill(-80), Array(20).fill(-100), Array(20).fill(-100)];
    const win = groupBMC(L);
    expect(win.frequency[0]).toBeGreaterThan(0.95);
    expect(win.exceedance[0]).toBe(1);
    expect(win.bor).toBeLessThan(1e-6);
    const tie = groupBMC([Array(20).fill(-50), Array(20).fill(-50)]);
    expect(tie.frequency).toEqual([0.5, 0.5]);
    expect(tie.exceedance[0]).toBeCloseTo(0.5, 14);
    expect(tie.bor).toBeGreaterThan(0.8);
    expect(tie.assignments.flat().every((r) => r === 0.5)).toBe(true);
  });
  test("families of one model each reproduce the model-level analysis", () => {
    const L = [
      [-10, -12, -9, -11, -15],
      [-11, -10, -12, -10, -9],
      [-13, -11, -11, -12, -14],
    ];
    const plain = groupBMC(L, { modelNames: ["x", "y", "z"] });
    const fam = groupBMC(L, { modelNames: ["x", "y", "z"], families: { X: ["x"], Y: ["y"], Z: [2] } });
    plain.alpha.forEach((a, k) => expect(fam.families!.alpha[k]).toBeCloseTo(a, 12));
    expect(fam.bor).toBeCloseTo(plain.bor, 12);
    expect(fam.families!.F0).toBeCloseTo(plain.F0, 12);
    expect(fam.families!.names).toEqual(["X", "Y", "Z"]);
  });
  test("input and family errors name the problem", () => {
    expect(() => groupBMC([])).toThrow("groupBMC: the log-evidence matrix has no model (rows)");
    expect(() => groupBMC([[1, 2], [1]])).toThrow("groupBMC: row 1 has 1 subjects, row 0 has 2 (L must be models x subjects)");
    expect(() => groupBMC([[1, NaN], [1, 2]])).toThrow("groupBMC: log evidence of model 0, subject 1 is not finite (NaN)");
    const L = [[1], [2], [3]];
    const names = ["a", "b", "c"];
    expect(() => groupBMC(L, { modelNames: names, families: { f: ["a", "b"], g: ["b", "c"] } })).toThrow('families are not mutually exclusive (model "b" is in "f" and "g")');
    expect(() => groupBMC(L, { modelNames: names, families: { f: ["a", "b"] } })).toThrow("families do not cover every model (missing: c)");
    expect(() => groupBMC(L, { modelNames: names, families: { f: ["a", "b"], g: ["d"] } })).toThrow('family "g" names model "d", which does not exist (models: a, b, c)');
    expect(() => groupBMC(L, { modelNames: names, families: { f: ["a", "b", "c"], g: [] } })).toThrow('family "g" is empty');
  });
});

describe("dirichletExceedance", () => {
  test("two models: exact beta; the seeded Monte Carlo agrees within 4 standard errors", () => {
    for (const alpha of [[3.2, 1.8], [0.5, 0.7], [20.3, 18.9], [1, 1]]) {
      const exact = dirichletExceedance(alpha);
      expect(exact.method).toBe("exact-beta");
      expect(exact.ep[0] + exact.ep[1]).toBeCloseTo(1, 14);
      const mc = dirichletExceedance(alpha, { monteCarlo: true, samples: 50000, seed: 11 });
      expect(mc.method).toBe("monte-carlo");
      expect(Math.abs(mc.ep[0] - exact.ep[0])).toBeLessThan(4 * mc.mc_standard_error! + 1e-4);
    }
  });
  test("Monte Carlo is reproducible for a seed and reports its size", () => {
    const a = dirichletExceedance([2, 3, 4], { seed: 5, samples: 1000 });
    expect(a).toEqual(dirichletExceedance([2, 3, 4], { seed: 5, samples: 1000 }));
    expect([a.samples, a.seed]).toEqual([1000, 5]);
    expect(() => dirichletExceedance([1, 0])).toThrow("alpha[1] must be a finite number > 0, got 0");
  });
  test("the vendored special functions are the packages'", () => {
    for (const x of [0.05, 0.5, 1, 3.7, 120]) {
      expect(digamma(x)).toBe(digammaPkg(x));
      expect(gammaln(x)).toBe(gammalnPkg(x));
    }
    expect(betacdf(0.5, 3.2, 1.8)).toBe(betacdfPkg(0.5, 3.2, 1.8));
  });
});

describe("groupBMCByCell", () => {
  const rows: LabelledEvidence[] = [];
  for (const session of ["pre", "post"])
    for (const group of ["A", "B"])
      for (let i = 0; i < 6; i++) {
        const subject = `${group}${i}`;
        rows.push({ subject, model: "m1", log_evidence: -50 - i, group, session });
        if (!(group === "B" && session === "post" && i === 0)) rows.push({ subject, model: "m2", log_evidence: -52 + i, group, session });
      }
  test("one comparison per group x session, subjects lacking a model excluded and listed", () => {
    const cells = groupBMCByCell(rows);
    expect(cells.map((c) => `${c.group}/${c.session}`)).toEqual(["A/pre", "B/pre", "A/post", "B/post"]);
    const bpost = cells[3];
    expect(bpost.excluded).toEqual([{ subject: "B0", reason: "no log evidence for m2" }]);
    expect(bpost.subjects).toHaveLength(5);
    expect(cells[0].result.models).toEqual(["m1", "m2"]);
  });
  test("by session only pools the groups; by nothing pools everything", () => {
    expect(groupBMCByCell(rows, { by: ["session"] }).map((c) => [c.group, c.session, c.subjects.length])).toEqual([
      [null, "pre", 12],
      [null, "post", 11],
    ]);
    expect(groupBMCByCell(rows.filter((r) => r.session === "pre"), { by: [] }).map((c) => c.subjects.length)).toEqual([12]);
    // pooling both sessions would count each subject twice: refused
    expect(() => groupBMCByCell(rows, { by: [] })).toThrow('two log evidences for subject "A0", model "m1"');
    expect(() => groupBMCByCell([...rows, rows[0]])).toThrow('two log evidences for subject "A0", model "m1", group "A", session "pre"');
  });
});
