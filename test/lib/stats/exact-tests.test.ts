import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { binomialCdf, binomialUpper, clopperPearson, logChoose, logGamma } from "../../../src/lib/stats/binomial.js";
import { brentZero, R_UNIROOT_TOL } from "../../../src/lib/stats/roots.js";
import { fisherExact, type Table2x2 } from "../../../src/lib/stats/fisher.js";
import { mcnemarExact, pairedTable } from "../../../src/lib/stats/mcnemar.js";
import { responseMatrix, responseTable } from "../../../src/lib/designs/responses.js";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "trials");

/** R writes Inf / NA as strings (jsonlite na = "string"). */
type RNum = number | "Inf" | "-Inf" | "NA";
function num(x: RNum): number | null {
  if (x === "Inf") return Infinity;
  if (x === "-Inf") return -Infinity;
  if (x === "NA") return null;
  return x;
}

interface McNemarRef {
  name: string;
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  conf_level: number;
  b: number;
  c: number;
  n_discordant: number;
  p: number;
  p_formula: number;
  prop_ci: [RNum, RNum];
  odds_ratio: RNum;
  or_ci: [RNum, RNum];
  n_pairs?: number;
  n_incomplete?: number;
}
interface FisherRef {
  name: string;
  table: [[number, number], [number, number]];
  conf_level: number;
  p: number;
  estimate: RNum;
  ci: [RNum, RNum];
  estimate_precise: RNum;
  ci_precise: [RNum, RNum];
  sample_or: { estimate: number; ci: [number, number]; se_log: number; corrected: boolean };
  rates?: { arm: string; responders: number; n: number; rate: number; missing: number }[];
}
interface Reference {
  lgamma: { x: number; lgamma: number }[];
  mcnemar: McNemarRef[];
  crossover_csv: McNemarRef;
  fisher: FisherRef[];
  fisher_degenerate: FisherRef;
  parallel_csv: FisherRef;
}

const ref = JSON.parse(readFileSync(join(FIXTURES, "reference.json"), "utf8")) as Reference;

// Largest relative differences against R, per kind, printed after the suite.
const worst: Record<string, { rel: number; where: string }> = {};
function relDiff(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}
function close(actual: number | null, expected: RNum, tol: number, kind: string, where: string): void {
  const e = num(expected);
  if (e === null || !Number.isFinite(e)) {
    expect(actual, where).toBe(e);
    return;
  }
  expect(actual, where).not.toBeNull();
  const rel = relDiff(actual as number, e);
  // absolute floor for exact zeros
  const ok = e === 0 ? Math.abs(actual as number) < 1e-300 : rel <= tol;
  if (!worst[kind] || rel > worst[kind].rel) worst[kind] = { rel, where };
  expect(ok, `${where}: ${actual} vs R ${e} (rel ${rel})`).toBe(true);
}
afterAll(() => {
  const lines = Object.entries(worst).map(([k, v]) => `  ${k}: ${v.rel.toExponential(2)} (${v.where})`);
  console.log(`exact-tests vs R, largest relative differences:\n${lines.join("\n")}`);
});

describe("logGamma", () => {
  it("matches R's lgamma", () => {
    for (const { x, lgamma } of ref.lgamma) {
      const v = logGamma(x);
      if (lgamma === 0) expect(Math.abs(v)).toBeLessThan(1e-14);
      else close(v, lgamma, 1e-13, "lgamma", `lgamma(${x})`);
    }
  });
  it("gives exact small factorials and binomial coefficients", () => {
    expect(Math.exp(logGamma(6))).toBeCloseTo(120, 10);
    expect(Math.exp(logChoose(10, 3))).toBeCloseTo(120, 10);
    expect(logChoose(5, 0)).toBe(0);
    expect(logChoose(5, 6)).toBe(-Infinity);
    expect(() => logGamma(-1)).toThrow();
  });
});

describe("binomial helpers", () => {
  it("cdf and upper tail by hand", () => {
    expect(binomialCdf(0, 5, 0.5)).toBeCloseTo(1 / 32, 15);
    expect(binomialCdf(5, 5, 0.5)).toBe(1);
    expect(binomialUpper(5, 5, 0.5)).toBeCloseTo(1 / 32, 15);
    expect(binomialUpper(0, 5, 0.3)).toBe(1);
    expect(binomialCdf(2, 4, 0.25)).toBeCloseTo(0.75 ** 4 + 4 * 0.25 * 0.75 ** 3 + 6 * 0.25 ** 2 * 0.75 ** 2, 14);
  });
  it("Clopper-Pearson closed forms at the boundaries", () => {
    // x = n: lower = (alpha/2)^(1/n); x = 0: upper = 1 - (alpha/2)^(1/n)
    const [lo, hi] = clopperPearson(5, 5);
    expect(hi).toBe(1);
    expect(relDiff(lo, Math.pow(0.025, 1 / 5))).toBeLessThan(1e-13);
    const [lo0, hi0] = clopperPearson(0, 7);
    expect(lo0).toBe(0);
    expect(relDiff(hi0, 1 - Math.pow(0.025, 1 / 7))).toBeLessThan(1e-13);
  });
});

describe("brentZero / uniroot", () => {
  it("finds a root to machine precision with tol = 0", () => {
    const f = (x: number) => x * x - 2;
    const r = brentZero(f, 0, 2, -2, 2, 0);
    expect(Math.abs(r.root - Math.SQRT2)).toBeLessThan(4e-16);
  });
  it("stops within R's default tolerance", () => {
    const f = (x: number) => Math.exp(x) - 3;
    const r = brentZero(f, 0, 2, f(0), f(2), R_UNIROOT_TOL);
    expect(Math.abs(r.root - Math.log(3))).toBeLessThan(R_UNIROOT_TOL);
  });
});

describe("mcnemarExact", () => {
  it("by hand: b = 0, c = 5 gives p = 2 * 0.5^5 = 0.0625", () => {
    const r = mcnemarExact({ both: 3, onlyA: 0, onlyB: 5, neither: 4 });
    expect(r.p).toBe(0.0625);
    expect(r.odds_ratio).toBe(0);
    expect(r.ci?.[0]).toBe(0);
    expect(r.n_pairs).toBe(12);
    expect(r.rate_a).toBeCloseTo(3 / 12, 15);
    expect(r.rate_b).toBeCloseTo(8 / 12, 15);
  });
  it("by hand: b = 1, c = 3: p = 2 * (1 + 4) / 16 = 0.625; b = c: p = 1", () => {
    expect(relDiff(mcnemarExact({ both: 0, onlyA: 1, onlyB: 3, neither: 0 }).p, 0.625)).toBeLessThan(1e-14);
    expect(mcnemarExact({ both: 0, onlyA: 4, onlyB: 4, neither: 0 }).p).toBe(1);
  });
  it("no discordant pairs: p = 1, odds ratio and CI null", () => {
    const r = mcnemarExact({ both: 6, onlyA: 0, onlyB: 0, neither: 4 });
    expect(r.p).toBe(1);
    expect(r.odds_ratio).toBeNull();
    expect(r.ci).toBeNull();
    expect(r.n_discordant).toBe(0);
  });
  it("c = 0 < b: odds ratio Infinity", () => {
    const r = mcnemarExact({ both: 2, onlyA: 5, onlyB: 0, neither: 5 });
    expect(r.odds_ratio).toBe(Infinity);
    expect(r.ci?.[1]).toBe(Infinity);
  });

  for (const t of ref.mcnemar) {
    it(`matches binom.test: ${t.name}`, () => {
      const r = mcnemarExact(t, { confLevel: t.conf_level });
      expect(r.b).toBe(t.b);
      expect(r.c).toBe(t.c);
      expect(r.n_discordant).toBe(t.n_discordant);
      close(r.p, t.p, 1e-8, "mcnemar p", t.name);
      expect(relDiff(t.p, t.p_formula)).toBeLessThan(1e-12);
      close(r.odds_ratio, t.odds_ratio, 1e-12, "mcnemar OR", t.name);
      if (num(t.or_ci[0]) === null) expect(r.ci).toBeNull();
      else {
        close(r.ci![0], t.or_ci[0], 1e-8, "mcnemar OR CI", `${t.name} lower`);
        close(r.ci![1], t.or_ci[1], 1e-8, "mcnemar OR CI", `${t.name} upper`);
        const [pl, pu] = clopperPearson(t.b, t.n_discordant, t.conf_level);
        close(pl, t.prop_ci[0], 1e-8, "Clopper-Pearson", `${t.name} lower`);
        close(pu, t.prop_ci[1], 1e-8, "Clopper-Pearson", `${t.name} upper`);
      }
    });
  }

  it("two boolean arrays (crossover CSV with missing outcomes) match R", () => {
    const rows = csvParse(readFileSync(join(FIXTURES, "crossover_responders.csv"), "utf8"));
    const toBool = (s: string | undefined) => (s === "TRUE" ? true : s === "FALSE" ? false : null);
    const k = rows.map((r) => toBool(r.responder_ketamine));
    const p = rows.map((r) => toBool(r.responder_placebo));
    const r = mcnemarExact(k, p);
    const t = ref.crossover_csv;
    expect([r.both, r.onlyA, r.onlyB, r.neither]).toEqual([t.both, t.onlyA, t.onlyB, t.neither]);
    expect(r.n_pairs).toBe(t.n_pairs);
    expect(r.n_incomplete).toBe(t.n_incomplete);
    close(r.p, t.p, 1e-8, "mcnemar p", "crossover_csv");
    close(r.odds_ratio, t.odds_ratio, 1e-12, "mcnemar OR", "crossover_csv");
    close(r.ci![0], t.or_ci[0], 1e-8, "mcnemar OR CI", "crossover_csv lower");
    close(r.ci![1], t.or_ci[1], 1e-8, "mcnemar OR CI", "crossover_csv upper");
    expect(pairedTable([true, true, false, null], [true, false, true, true])).toEqual({
      both: 1,
      onlyA: 1,
      onlyB: 1,
      neither: 0,
    });
  });

  it("handles thousands of discordant pairs", () => {
    const r = mcnemarExact({ both: 0, onlyA: 2600, onlyB: 2400, neither: 0 });
    expect(r.p).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(0.01);
  });

  it("rejects bad input", () => {
    expect(() => mcnemarExact({ both: 1, onlyA: -1, onlyB: 0, neither: 0 })).toThrow();
    expect(() => mcnemarExact({ both: 1, onlyA: 1.5, onlyB: 0, neither: 0 })).toThrow();
    expect(() => mcnemarExact([true], [true, false])).toThrow();
    expect(() => mcnemarExact({ both: 1, onlyA: 1, onlyB: 0, neither: 0 }, { confLevel: 1 })).toThrow();
  });
});

describe("fisherExact", () => {
  function checkFisher(r: ReturnType<typeof fisherExact>, t: FisherRef, rPrecise: ReturnType<typeof fisherExact>) {
    close(r.p, t.p, 1e-8, "fisher p", t.name);
    close(r.conditional_or.estimate, t.estimate, 1e-8, "fisher cond. OR (R uniroot)", t.name);
    close(r.conditional_or.ci[0], t.ci[0], 1e-6, "fisher CI (R uniroot)", `${t.name} lower`);
    close(r.conditional_or.ci[1], t.ci[1], 1e-6, "fisher CI (R uniroot)", `${t.name} upper`);
    close(rPrecise.conditional_or.estimate, t.estimate_precise, 1e-8, "fisher cond. OR (precise)", t.name);
    close(rPrecise.conditional_or.ci[0], t.ci_precise[0], 1e-6, "fisher CI (precise)", `${t.name} lower`);
    close(rPrecise.conditional_or.ci[1], t.ci_precise[1], 1e-6, "fisher CI (precise)", `${t.name} upper`);
    close(r.sample_or.estimate, t.sample_or.estimate, 1e-12, "sample OR", t.name);
    close(r.sample_or.ci[0], t.sample_or.ci[0], 1e-10, "Woolf CI", `${t.name} lower`);
    close(r.sample_or.ci[1], t.sample_or.ci[1], 1e-10, "Woolf CI", `${t.name} upper`);
    close(r.sample_or.se_log, t.sample_or.se_log, 1e-12, "sample OR", `${t.name} se`);
    expect(r.sample_or.corrected).toBe(t.sample_or.corrected);
  }

  for (const t of ref.fisher) {
    it(`matches fisher.test: ${t.name}`, () => {
      const table = t.table as Table2x2;
      const r = fisherExact(table, { confLevel: t.conf_level });
      const rp = fisherExact(table, { confLevel: t.conf_level, rootTolerance: 0 });
      checkFisher(r, t, rp);
      expect(r.p).toBeLessThanOrEqual(1);
      expect(rp.p).toBe(r.p);
    });
  }

  it("hand check: tea tasting [[3,1],[1,3]] p = 34/70", () => {
    const r = fisherExact([
      [3, 1],
      [1, 3],
    ]);
    expect(relDiff(r.p, 34 / 70)).toBeLessThan(1e-13);
  });

  it("degenerate margins: p = 1, CI [0, Inf], estimate null (R reports 0)", () => {
    const t = ref.fisher_degenerate;
    const r = fisherExact(t.table as Table2x2);
    expect(r.p).toBe(1);
    expect(num(t.estimate)).toBe(0);
    expect(r.conditional_or.estimate).toBeNull();
    expect(r.conditional_or.ci).toEqual([0, Infinity]);
    close(r.sample_or.estimate, t.sample_or.estimate, 1e-12, "sample OR", t.name);
  });

  it("response table -> 2x2 -> Fisher (parallel-group CSV) matches R", () => {
    const rows = csvParse(readFileSync(join(FIXTURES, "parallel_responders.csv"), "utf8")).map((r) => ({
      arm: r.arm as string,
      responder: r.responder === "TRUE" ? true : r.responder === "FALSE" ? false : null,
    }));
    const rates = responseTable(rows, ["ketamine", "placebo"]);
    const t = ref.parallel_csv;
    expect(rates.map((r) => [r.arm, r.responders, r.n, r.missing])).toEqual(
      t.rates!.map((r) => [r.arm, r.responders, r.n, r.missing]),
    );
    rates.forEach((r, i) => close(r.rate, t.rates![i].rate, 1e-14, "rates", r.arm));
    const m = responseMatrix(rates);
    expect(m).toEqual(t.table);
    checkFisher(fisherExact(m), t, fisherExact(m, { rootTolerance: 0 }));
  });

  it("responseTable: empty arm has rate null; other arms ignored", () => {
    const rates = responseTable(
      [
        { arm: "A", responder: true },
        { arm: "C", responder: true },
        { arm: "A", responder: false },
      ],
      ["A", "B"],
    );
    expect(rates).toEqual([
      { arm: "A", responders: 1, n: 2, rate: 0.5, missing: 0 },
      { arm: "B", responders: 0, n: 0, rate: null, missing: 0 },
    ]);
    expect(() => responseTable([], ["A", "A"])).toThrow();
  });

  it("is fast and finite for n of several thousand", () => {
    const r = fisherExact(
      [
        [1500, 1000],
        [1200, 1300],
      ],
      { rootTolerance: 0 },
    );
    expect(r.p).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(1e-15);
    expect(r.conditional_or.estimate!).toBeGreaterThan(1.4);
    expect(r.conditional_or.ci[0]).toBeLessThan(r.conditional_or.estimate!);
    expect(r.conditional_or.ci[1]).toBeGreaterThan(r.conditional_or.estimate!);
  });

  it("rejects bad input", () => {
    expect(() =>
      fisherExact([
        [1, -2],
        [3, 4],
      ]),
    ).toThrow();
    expect(() =>
      fisherExact(
        [
          [1, 2],
          [3, 4],
        ],
        { confLevel: 0 },
      ),
    ).toThrow();
  });
});

describe("properties", () => {
  it("McNemar: swapping A and B keeps p and inverts the odds ratio and its CI", () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), fc.nat(20), fc.nat(20), (b, c, both, neither) => {
        const r1 = mcnemarExact({ both, onlyA: b, onlyB: c, neither });
        const r2 = mcnemarExact({ both, onlyA: c, onlyB: b, neither });
        expect(Math.abs(r1.p - r2.p)).toBeLessThan(1e-14);
        expect(r1.p).toBeGreaterThan(0);
        expect(r1.p).toBeLessThanOrEqual(1);
        if (b + c === 0) return;
        const [lo, hi] = r1.ci!;
        const [lo2, hi2] = r2.ci!;
        expect(lo).toBeLessThanOrEqual(r1.odds_ratio!);
        expect(hi).toBeGreaterThanOrEqual(r1.odds_ratio!);
        // CI of c/b is the reciprocal of the CI of b/c
        if (hi2 === Infinity) expect(lo).toBe(0);
        else expect(Math.abs(lo * hi2 - 1)).toBeLessThan(1e-9);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it("Fisher: swapping rows keeps p and inverts the conditional OR (precise roots)", () => {
    fc.assert(
      fc.property(fc.nat(15), fc.nat(15), fc.nat(15), fc.nat(15), (a, b, c, d) => {
        const r1 = fisherExact([[a, b], [c, d]], { rootTolerance: 0 });
        const r2 = fisherExact([[c, d], [a, b]], { rootTolerance: 0 });
        expect(Math.abs(r1.p - r2.p)).toBeLessThan(1e-12);
        expect(r1.p).toBeGreaterThan(0);
        expect(r1.p).toBeLessThanOrEqual(1);
        const e1 = r1.conditional_or.estimate;
        const e2 = r2.conditional_or.estimate;
        if (e1 === null) {
          expect(e2).toBeNull();
          return;
        }
        if (e1 === 0) expect(e2).toBe(Infinity);
        else if (e1 === Infinity) expect(e2).toBe(0);
        else expect(Math.abs(e1 * e2! - 1)).toBeLessThan(1e-9);
        const [lo, hi] = r1.conditional_or.ci;
        expect(lo).toBeLessThanOrEqual(e1);
        expect(hi).toBeGreaterThanOrEqual(e1);
        expect(Number.isNaN(lo) || Number.isNaN(hi)).toBe(false);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
