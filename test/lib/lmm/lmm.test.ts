/**
 * Agreement of src/lib/lmm/index.ts with lme4::lmer (REML) and lmerTest
 * (Satterthwaite df). Reference values: test/fixtures/lmm/reference.json,
 * produced by `Rscript test/r/lmm_reference.R` from the CSVs next to it.
 */
import { readFileSync } from "node:fs";
import { csvParse } from "d3-dsv";
import { CholeskyDecomposition, Matrix, inverse } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { RemlProfile, fitLmm, lmmContrast, lmmDesign, type LmmResult, type LmmRow } from "../../../src/lib/lmm/index.js";

interface RefFixed {
  term: string;
  estimate: number;
  se: number;
  df: number;
  t: number;
  p: number;
  ci: [number, number];
}
interface RefCase {
  name: string;
  csv: string;
  formula: string;
  factors: Record<string, string[]>;
  n_rows: number;
  n_obs: number;
  n_groups: number;
  dropped_rows: number;
  theta: number;
  sigma: number;
  participant_sd: number;
  reml_criterion: number;
  singular: boolean;
  rank_deficient: string[];
  messages: string[];
  fixed: RefFixed[];
  contrast?: { L: Record<string, number>; estimate: number; se: number; df: number; t: number; p: number; ci: [number, number] };
}

const fixtureDir = new URL("../../fixtures/lmm/", import.meta.url);
const reference = JSON.parse(readFileSync(new URL("reference.json", fixtureDir), "utf8")) as { cases: RefCase[] };
const caseByName = (name: string): RefCase => reference.cases.find((c) => c.name === name)!;

/** CSV -> rows: "" is missing (null); a column whose non-empty values all parse as numbers is numeric. */
function loadCsv(file: string): LmmRow[] {
  const raw = csvParse(readFileSync(new URL(file, fixtureDir), "utf8"));
  const numeric = new Map(
    raw.columns.map((c) => [c, raw.every((r) => r[c] === "" || Number.isFinite(Number(r[c])))] as const),
  );
  return raw.map((r) => {
    const row: LmmRow = {};
    for (const c of raw.columns) {
      const v = r[c] ?? "";
      row[c] = v === "" ? null : numeric.get(c) ? Number(v) : v;
    }
    return row;
  });
}

const rel = (actual: number, expected: number): number =>
  expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);

function expectRel(actual: number | null, expected: number, tol: number, what: string): void {
  expect(actual, what).not.toBeNull();
  const r = rel(actual as number, expected);
  if (!(r <= tol)) throw new Error(`${what}: got ${actual}, expected ${expected} (relative difference ${r} > ${tol})`);
}

const fits = new Map<string, LmmResult>();
function fitCase(c: RefCase): LmmResult {
  let f = fits.get(c.name);
  if (!f) {
    f = fitLmm(loadCsv(c.csv), c.formula, { factors: c.factors });
    fits.set(c.name, f);
  }
  return f;
}

describe.each(reference.cases.map((c) => [c.name, c] as const))("agreement with lme4/lmerTest: %s", (_name, c) => {
  it("has the same model frame, terms and flags", () => {
    const f = fitCase(c);
    expect(f.n_obs).toBe(c.n_obs);
    expect(f.n_groups).toBe(c.n_groups);
    expect(f.dropped_rows).toBe(c.dropped_rows);
    expect(f.singular).toBe(c.singular);
    expect(f.rank_deficient).toEqual(c.rank_deficient);
    expect(f.fixed.map((x) => x.term)).toEqual(c.fixed.map((x) => x.term));
  });

  it("matches estimates, SEs and t to 1e-6 relative", () => {
    const f = fitCase(c);
    c.fixed.forEach((r, i) => {
      expectRel(f.fixed[i].estimate, r.estimate, 1e-6, `${r.term} estimate`);
      expectRel(f.fixed[i].se, r.se, 1e-6, `${r.term} se`);
      expectRel(f.fixed[i].t, r.t, 1e-6, `${r.term} t`);
    });
  });

  it("matches variance components, theta and the REML criterion to 1e-6 relative", () => {
    const f = fitCase(c);
    expectRel(f.random.residual_sd, c.sigma, 1e-6, "residual sd");
    expectRel(f.reml_criterion, c.reml_criterion, 1e-6, "REML criterion");
    if (c.theta === 0) {
      expect(f.theta).toBe(0);
      expect(f.random.participant_sd).toBe(0);
    } else {
      expectRel(f.theta, c.theta, 1e-6, "theta");
      expectRel(f.random.participant_sd, c.participant_sd, 1e-6, "participant sd");
    }
  });

  it("matches lmerTest's Satterthwaite df to 1e-3 relative (and p-values, CIs)", () => {
    const f = fitCase(c);
    c.fixed.forEach((r, i) => {
      expectRel(f.fixed[i].df, r.df, 1e-3, `${r.term} df`);
      expectRel(f.fixed[i].p, r.p, 1e-4, `${r.term} p`);
      const ci = f.fixed[i].ci!;
      expectRel(ci[0], r.ci[0], 1e-6, `${r.term} ci lower`);
      expectRel(ci[1], r.ci[1], 1e-6, `${r.term} ci upper`);
    });
  });

  it("returns a JSON-serialisable result without NaN", () => {
    const f = fitCase(c);
    const json = JSON.stringify(f);
    expect(json).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(json)).toEqual(f);
  });
});

describe("reported quantities, independently of R", () => {
  it("cell design: REML criterion, GLS estimates and vcov agree with a dense computation (ml-matrix)", () => {
    const c = caseByName("cell_design");
    const rows = loadCsv(c.csv);
    const fit = fitLmm(rows, c.formula, { factors: c.factors });
    const d = lmmDesign(rows, c.formula, { factors: c.factors });
    const n = d.y.length;
    const p = d.columns.length;
    const X = new Matrix(n, p);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X.set(i, j, d.X[j * n + i]);
    const y = Matrix.columnVector(Array.from(d.y));
    // V0 = I + theta^2 Z Z'
    const u = fit.theta ** 2;
    const V0 = Matrix.eye(n, n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) if (d.group[i] === d.group[k]) V0.set(i, k, V0.get(i, k) + u);
    const V0inv = inverse(V0);
    const Mraw = X.transpose().mmul(V0inv).mmul(X);
    const M = Mraw.add(Mraw.transpose()).mul(0.5); // symmetrise rounding
    const Minv = inverse(M);
    const beta = Minv.mmul(X.transpose().mmul(V0inv).mmul(y));
    const res = y.clone().sub(X.mmul(beta));
    const r2 = res.transpose().mmul(V0inv).mmul(res).get(0, 0);
    const logdet = (A: Matrix): number => {
      const L = new CholeskyDecomposition(A).lowerTriangularMatrix;
      let s = 0;
      for (let i = 0; i < A.rows; i++) s += 2 * Math.log(L.get(i, i));
      return s;
    };
    const crit = logdet(V0) + logdet(M) + (n - p) * (1 + Math.log((2 * Math.PI * r2) / (n - p)));
    expectRel(fit.reml_criterion, crit, 1e-10, "dense REML criterion");
    const sigma2 = r2 / (n - p);
    expectRel(fit.random.residual_sd, Math.sqrt(sigma2), 1e-10, "dense sigma");
    for (let j = 0; j < p; j++) {
      expectRel(fit.fixed[j].estimate, beta.get(j, 0), 1e-9, `dense beta ${j}`);
      for (let k = 0; k < p; k++) {
        expect(Math.abs(fit.vcov[j][k] - sigma2 * Minv.get(j, k))).toBeLessThan(1e-10 * sigma2 * Minv.get(j, j));
      }
    }
  });

  it.each(["cell_design", "unbalanced_3session", "trial_level", "rank_deficient", "singular"])(
    "%s: analytic Hessian and Jacobian agree with finite differences",
    (name) => {
      const c = caseByName(name);
      const rows = loadCsv(c.csv);
      const fit = fitLmm(rows, c.formula, { factors: c.factors });
      const d = lmmDesign(rows, c.formula, { factors: c.factors });
      const prof = new RemlProfile(d.X, d.y, d.group, d.nGroups);
      const [th, sg] = fit.varpar.values;
      const f = (a: number, b: number): number => prof.devianceVarpar(a, b);
      // Central differences (steps as numDeriv's first Richardson stage).
      const ht = 1e-3 * Math.max(th, 0.1);
      const hs = 1e-3 * sg;
      const H = [
        [(f(th + ht, sg) - 2 * f(th, sg) + f(th - ht, sg)) / ht ** 2, 0],
        [0, (f(th, sg + hs) - 2 * f(th, sg) + f(th, sg - hs)) / hs ** 2],
      ];
      H[0][1] = H[1][0] =
        (f(th + ht, sg + hs) - f(th + ht, sg - hs) - f(th - ht, sg + hs) + f(th - ht, sg - hs)) / (4 * ht * hs);
      // A = 2 H^-1  <=>  H = 2 A^-1 (both eigenvalues positive in these cases)
      const A = fit.varpar.vcov;
      const det = A[0][0] * A[1][1] - A[0][1] * A[0][1];
      const Hfit = [
        [(2 * A[1][1]) / det, (-2 * A[0][1]) / det],
        [(-2 * A[0][1]) / det, (2 * A[0][0]) / det],
      ];
      const scale = Math.max(Math.abs(H[0][0]), Math.abs(H[1][1]));
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(Hfit[i][j] - H[i][j])).toBeLessThan(1e-5 * scale);

      const p = fit.fixed.length;
      const C0 = prof.covBeta(th, sg);
      const maxJ = (J: number[][]): number => Math.max(...J.flat().map(Math.abs));
      const [maxJt, maxJs] = fit.varpar.jacobian.map(maxJ);
      const cPlusT = prof.covBeta(th + ht, sg);
      const cMinusT = prof.covBeta(Math.abs(th - ht), sg); // C is even in theta
      const cPlusS = prof.covBeta(th, sg + hs);
      const cMinusS = prof.covBeta(th, sg - hs);
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          const jt = (cPlusT[i * p + j] - cMinusT[i * p + j]) / (2 * ht);
          const js = (cPlusS[i * p + j] - cMinusS[i * p + j]) / (2 * hs);
          // truncation error ~ h^2, rounding error ~ eps |C| / h
          const noise = (1e-13 * Math.sqrt(C0[i * p + i] * C0[j * p + j])) / Math.min(ht, hs);
          const tolT = 1e-6 * maxJt + noise;
          const tolS = 1e-6 * maxJs + noise;
          expect(Math.abs(fit.varpar.jacobian[0][i][j] - jt)).toBeLessThan(tolT);
          expect(Math.abs(fit.varpar.jacobian[1][i][j] - js)).toBeLessThan(tolS);
        }
      }
    },
  );

  it("the optimum is a stationary point (interior) or a boundary minimum (singular)", () => {
    for (const name of ["cell_design", "singular"]) {
      const c = caseByName(name);
      const d = lmmDesign(loadCsv(c.csv), c.formula, { factors: c.factors });
      const prof = new RemlProfile(d.X, d.y, d.group, d.nGroups);
      const best = prof.optimizeTheta();
      if (name === "singular") {
        expect(best.theta).toBe(0);
        expect(best.dDevdU).toBeGreaterThan(0);
      } else {
        expect(Math.abs(best.dDevdU)).toBeLessThan(1e-8);
        expect(prof.criterion(best.theta * 1.001).deviance).toBeGreaterThan(best.deviance);
        expect(prof.criterion(best.theta * 0.999).deviance).toBeGreaterThan(best.deviance);
      }
    }
  });

  it("singular fit: zero random-intercept SD, flagged, residual df n - p", () => {
    const c = caseByName("singular");
    const f = fitCase(c);
    expect(f.singular).toBe(true);
    expect(f.random.participant_sd).toBe(0);
    expect(f.messages.some((m) => m.startsWith("boundary (singular) fit"))).toBe(true);
    for (const x of f.fixed) expectRel(x.df, f.n_obs - f.fixed.length, 1e-9, `${x.term} df`);
  });

  it("results do not depend on the row order", () => {
    const c = caseByName("unbalanced_3session");
    const rows = loadCsv(c.csv);
    const shuffled = rows.map((r, i) => ({ r, k: (i * 7919) % rows.length })).sort((a, b) => a.k - b.k).map((x) => x.r);
    const a = fitCase(c);
    const b = fitLmm(shuffled, c.formula, { factors: c.factors });
    expectRel(b.reml_criterion, a.reml_criterion, 1e-12, "REML criterion");
    a.fixed.forEach((x, i) => {
      expectRel(b.fixed[i].estimate, x.estimate, 1e-9, `${x.term} estimate`);
      expectRel(b.fixed[i].df, x.df!, 1e-9, `${x.term} df`);
    });
  });
});

describe("lmmContrast", () => {
  it("matches lmerTest::contest1D for a linear combination", () => {
    const c = caseByName("cell_design");
    const ref = c.contrast!;
    const f = fitCase(c);
    const byName = lmmContrast(f, { groupTRD: 1, "groupTRD:sessionpost1": 1 }, 0.95, "TRD - HC at post1 (bad news)");
    expect(byName.term).toBe("TRD - HC at post1 (bad news)");
    expectRel(byName.estimate, ref.estimate, 1e-6, "estimate");
    expectRel(byName.se, ref.se, 1e-6, "se");
    expectRel(byName.t, ref.t, 1e-6, "t");
    expectRel(byName.df, ref.df, 1e-3, "df");
    expectRel(byName.p, ref.p, 1e-4, "p");
    expectRel(byName.ci![0], ref.ci[0], 1e-6, "ci lower");
    expectRel(byName.ci![1], ref.ci[1], 1e-6, "ci upper");
    const byVector = lmmContrast(f, f.fixed.map((x) => ref.L[x.term] ?? 0));
    expect(byVector.estimate).toBeCloseTo(byName.estimate, 12);
    expect(byVector.df).toBeCloseTo(byName.df!, 8);
  });

  it("reproduces the per-coefficient tests for unit vectors", () => {
    const f = fitCase(caseByName("trial_level"));
    f.fixed.forEach((x, i) => {
      const L = f.fixed.map((_, j) => (j === i ? 1 : 0));
      expect(lmmContrast(f, L, 0.95, x.term)).toEqual(x);
    });
  });

  it("rejects bad contrasts with clear messages", () => {
    const f = fitCase(caseByName("rank_deficient"));
    expect(() => lmmContrast(f, [1, 2])).toThrow(/Contrast has 2 weights but the model has 7 fixed effects/);
    expect(() => lmmContrast(f, { "groupTRD:sessionpost2": 1 })).toThrow(
      /'groupTRD:sessionpost2' is not a fixed effect of the model \(it was dropped: rank-deficient design\)/,
    );
    expect(() => lmmContrast(f, { nope: 1 })).toThrow(/'nope' is not a fixed effect/);
    expect(() => lmmContrast(f, { groupTRD: 0 })).toThrow(/all zero/);
    expect(() => lmmContrast(f, { groupTRD: 1 }, 1.5)).toThrow(/Confidence level/);
  });
});

describe("rank-deficient designs", () => {
  it("drops collinear and all-zero columns as lme4 does, with valid remaining estimates", () => {
    const c = caseByName("rank_deficient");
    const f = fitCase(c);
    expect(f.rank_deficient).toEqual(["age_months", "groupTRD:sessionpost2"]);
    expect(f.messages[0]).toBe(
      "fixed-effect model matrix is rank deficient so dropping 2 columns / coefficients: age_months, groupTRD:sessionpost2",
    );
    expect(f.fixed).toHaveLength(7);
    for (const x of f.fixed) {
      for (const v of [x.estimate, x.se, x.df, x.t, x.p, ...(x.ci ?? [])]) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it("drops a column that is all zero because of an empty cell (single column)", () => {
    const rows = loadCsv(caseByName("cell_design").csv).filter((r) => !(r.group === "TRD" && r.session === "post1" && r.valence === "good"));
    const f = fitLmm(rows, "update ~ group * session * valence + (1 | participant_id)", {
      factors: { group: ["HC", "TRD"], session: ["pre", "post1"], valence: ["bad", "good"] },
    });
    expect(f.rank_deficient).toEqual(["groupTRD:sessionpost1:valencegood"]);
    expect(f.messages[0]).toMatch(/^fixed-effect model matrix is rank deficient so dropping 1 column \/ coefficient:/);
    expect(JSON.stringify(f)).not.toMatch(/NaN|null/);
  });
});

describe("data handling", () => {
  const base = (): LmmRow[] => loadCsv(caseByName("singular").csv);
  const formula = "update ~ group * valence + (1 | participant_id)";

  it("drops rows with null, undefined, NaN or empty-string values in used variables only", () => {
    const rows: LmmRow[] = base().map((r) => ({ ...r, unused: null }));
    rows[0].update = null;
    rows[1].update = Number.NaN;
    delete rows[2].update;
    rows[3].group = "";
    rows[4].participant_id = null;
    const f = fitLmm(rows, formula);
    expect(f.dropped_rows).toBe(5);
    expect(f.n_obs).toBe(rows.length - 5);
  });

  it("auto-detects factors (sorted levels) and numeric columns; drops unused levels", () => {
    const f = fitLmm(base(), formula, { factors: { group: ["XX", "HC", "TRD"] } });
    expect(f.levels).toEqual({ group: ["HC", "TRD"], valence: ["bad", "good"] });
    expect(f.fixed.map((x) => x.term)).toEqual(["(Intercept)", "groupTRD", "valencegood", "groupTRD:valencegood"]);
    const rev = fitLmm(base(), formula, { factors: { group: ["TRD", "HC"], valence: ["good", "bad"] } });
    expect(rev.fixed.map((x) => x.term)).toEqual(["(Intercept)", "groupHC", "valencebad", "groupHC:valencebad"]);
    expectRel(rev.reml_criterion, f.reml_criterion, 1e-10, "REML criterion invariant to the reference level");
  });

  it("matches factor levels as strings (numeric codes)", () => {
    const rows = base().map((r) => ({ ...r, valence: r.valence === "good" ? 1 : 0 }));
    const asFactor = fitLmm(rows, formula, { factors: { valence: ["0", "1"] } });
    expect(asFactor.fixed.map((x) => x.term)).toContain("valence1");
    const asNumeric = fitLmm(rows, formula);
    expect(asNumeric.fixed.map((x) => x.term)).toContain("valence");
    expectRel(asNumeric.fixed[2].estimate, asFactor.fixed[2].estimate, 1e-9, "0/1 numeric = factor");
  });
});

describe("errors", () => {
  const rows = loadCsv(caseByName("singular").csv);
  it.each([
    ["update ~ group * valence", {}, /no random-effect term/],
    ["update ~ group + foo + (1 | participant_id)", {}, /Unknown variable 'foo' in formula .*not a column of the data \(columns: participant_id, group, valence, update\)/],
    ["update ~ group + (1 | subject)", {}, /Unknown variable 'subject'/],
    ["group ~ valence + (1 | participant_id)", {}, /The response 'group' must be numeric; row 1 has the value "HC"/],
    ["update ~ group + (1 | participant_id)", { factors: { group: ["HC"] } }, /Value "TRD" of factor 'group' \(row 41\) is not one of its levels: HC/],
    ["update ~ group + (1 | participant_id)", { factors: { update: ["a"] } }, /The response 'update' must be numeric; it cannot be listed/],
    ["update ~ group + (1 | participant_id)", { factors: { group: [] } }, /options.factors.group must be a non-empty array/],
    ["update ~ group + (1 | participant_id)", { factors: { group: ["HC", "HC"] } }, /duplicated levels/],
    ["update ~ group + (1 | participant_id)", { level: 95 }, /Confidence level must be in \(0, 1\); got 95/],
  ])("%s %j", (f, opts, message) => {
    expect(() => fitLmm(rows, f, opts as object)).toThrow(message);
  });

  it("fewer than 2 groups", () => {
    const one = rows.filter((r) => r.participant_id === "Q01");
    expect(() => fitLmm(one, "update ~ valence + (1 | participant_id)")).toThrow(
      "The grouping factor 'participant_id' must have at least 2 levels in the complete rows; found 1",
    );
  });

  it("no more observations than groups", () => {
    const firstPerGroup = rows.filter((r, i) => rows.findIndex((s) => s.participant_id === r.participant_id) === i);
    expect(() => fitLmm(firstPerGroup, "update ~ group + (1 | participant_id)")).toThrow(
      /number of observations \(20\) must exceed the number of levels of 'participant_id' \(20\)/,
    );
  });

  it("a factor with a single level among the complete rows", () => {
    const hc = rows.filter((r) => r.group === "HC");
    expect(() => fitLmm(hc, "update ~ group + valence + (1 | participant_id)")).toThrow(
      "Factor 'group' has only one level ('HC') in the complete rows; a factor needs at least 2 levels",
    );
  });

  it("no data, or no complete rows", () => {
    expect(() => fitLmm([], "update ~ group + (1 | participant_id)")).toThrow(/no data rows/);
    const empty = rows.map((r) => ({ ...r, update: null }));
    expect(() => fitLmm(empty, "update ~ group + (1 | participant_id)")).toThrow(/No complete rows/);
  });

  it("non-finite numbers", () => {
    const bad = rows.map((r, i) => (i === 3 ? { ...r, update: Infinity } : r));
    expect(() => fitLmm(bad, "update ~ group + (1 | participant_id)")).toThrow(/non-finite value \(Infinity\) in row 4/);
  });

  it("a perfect fit (zero residual variance)", () => {
    const exact = rows.map((r) => ({ ...r, update: r.valence === "good" ? 2 : 1 }));
    expect(() => fitLmm(exact, "update ~ valence + (1 | participant_id)")).toThrow(/residual sum of squares is zero/);
  });
});
