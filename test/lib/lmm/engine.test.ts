/**
 * The general engine independently of R: formula expansion as lme4 does it, the profiled deviance
 * against a dense computation and against the random-intercept closed form, the fast path against
 * fitLmm, numDeriv-style derivatives against closed forms, and error messages.
 */
import { readFileSync } from "node:fs";
import { CholeskyDecomposition, Matrix, inverse } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { FormulaError } from "../../../src/lib/stats/formula.js";
import { fitLmm, RemlProfile } from "../../../src/lib/lmm/index.js";
import { fitMixed, fitMixedFrame } from "../../../src/lib/lmm/mixed.js";
import { mixedFrame, MixedModelError } from "../../../src/lib/lmm/mframe.js";
import { hessianRichardson, jacobianRichardson } from "../../../src/lib/lmm/numderiv.js";
import { MixedPls, templateOf } from "../../../src/lib/lmm/pls.js";
import { lmmTable, tableColumns } from "../../../src/lib/lmm/table.js";
import { parseMixedFormula } from "../../../src/lib/lmm/terms.js";

const general = (f: string): string => new URL(`../../fixtures/lmm/general/${f}`, import.meta.url).pathname;
const sleepCsv = readFileSync(general("sleepstudy.csv"), "utf8");
const sleep = tableColumns(sleepCsv);
const crossedCsv = readFileSync(general("crossed.csv"), "utf8");

describe("parseMixedFormula: lme4's expansion of random terms", () => {
  const labels = (f: string): string[] => parseMixedFormula(f).random.map((r) => r.label);
  it.each([
    ["y ~ x + (x | g)", ["1 + x | g"]],
    ["y ~ x + (1 + x | g)", ["1 + x | g"]],
    ["y ~ x + (0 + x | g)", ["0 + x | g"]],
    ["y ~ x + (x - 1 | g)", ["0 + x | g"]],
    ["y ~ x + (x || g)", ["1 | g", "0 + x | g"]],
    ["y ~ x + (x * z || g)", ["1 | g", "0 + x | g", "0 + z | g", "0 + x:z | g"]],
    ["y ~ x + (1 | g) + (1 | h)", ["1 | g", "1 | h"]],
    ["y ~ x + (1 | a/b)", ["1 | b:a", "1 | a"]],
    ["y ~ x + (1 | a/b/c)", ["1 | c:(b:a)", "1 | b:a", "1 | a"]],
    ["y ~ x + (1 | a:b)", ["1 | a:b"]],
  ])("%s", (f, expected) => {
    expect(labels(f)).toEqual(expected);
  });

  it("fixed part: intercept removal, term removal, nesting, R term order", () => {
    const f = parseMixedFormula("y ~ 0 + b:a + a + (1 | g)");
    expect(f.intercept).toBe(false);
    expect(f.terms.map((t) => t.label)).toEqual(["a", "b:a"]);
    expect(parseMixedFormula("y ~ a * b - a:b + (1 | g)").terms.map((t) => t.label)).toEqual(["a", "b"]);
    expect(parseMixedFormula("y ~ a / b + (1 | g)").terms.map((t) => t.label)).toEqual(["a", "a:b"]);
    expect(parseMixedFormula("y ~ x - 1 + (1 | g)").intercept).toBe(false);
    expect(parseMixedFormula("Reaction ~ Days + (Days | Subject)").formula).toBe("Reaction ~ Days + (1 + Days | Subject)");
  });

  it.each([
    ["y ~ x + (1 | g", /expected '\)' to close '\(' at position 9 \(at position 15\)/],
    ["y ~ x + log(z) + (1 | g)", /function calls such as 'log\(\.\.\.\)' are not supported.*\(at position 9\)/],
    ["y ~ x", /no random-effect term/],
    ["y ~ x + (1 | g) * z", /must be added with '\+'/],
    ["y ~ x + (1 | f(g))", /function calls/],
    ["y ~ y + (1 | g)", /response 'y' also appears on the right-hand side/],
    ["y ~ x + (1 | y)", /response 'y' cannot be a grouping factor/],
    ["y ~ x + (0 | g)", /needs at least one column/],
  ])("%s -> error", (f, message) => {
    expect(() => parseMixedFormula(f)).toThrow(message);
  });

  it("syntax errors are FormulaErrors with a 1-based position", () => {
    try {
      parseMixedFormula("y ~ x + # + (1 | g)");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaError);
      expect((e as FormulaError).position).toBe(9);
    }
  });
});

describe("profiled deviance", () => {
  it("equals a dense computation (V = I + Z Lambda Lambda' Z') for crossed random slopes, REML and ML", () => {
    const sub = crossedCsv.trim().split("\n").filter((_, i) => i % 3 === 0).join("\n");
    const frame = mixedFrame(tableColumns(sub), "y ~ group * cond + (1 + cond | subj) + (1 | item)");
    const n = frame.n;
    const p = frame.columns.length;
    const theta = [0.8, -0.2, 0.4, 0.6];
    // Z Lambda, dense
    const blocks = frame.random;
    const qTot = blocks.reduce((s, b) => s + b.q * b.nLevels, 0);
    const ZL = new Matrix(n, qTot);
    let off = 0;
    let tOff = 0;
    for (const b of blocks) {
      const layout = { q: blocks.map((x) => x.q), offset: [] as number[], length: 0, lower: [], start: [] };
      let o = 0;
      for (const x of blocks) {
        layout.offset.push(o);
        o += (x.q * (x.q + 1)) / 2;
      }
      const T = templateOf(theta, layout, blocks.indexOf(b));
      for (let i = 0; i < n; i++)
        for (let j = 0; j < b.q; j++) {
          let s = 0;
          for (let a = 0; a < b.q; a++) s += b.Z[i * b.q + a] * T[a * b.q + j];
          ZL.set(i, off + b.levelOf[i] * b.q + j, s);
        }
      off += b.q * b.nLevels;
      tOff += (b.q * (b.q + 1)) / 2;
    }
    void tOff;
    const sym = (A: Matrix): Matrix => A.add(A.transpose()).mul(0.5);
    const V = sym(Matrix.eye(n, n).add(ZL.mmul(ZL.transpose())));
    const Vi = sym(inverse(V));
    const X = new Matrix(n, p);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) X.set(i, j, frame.X[j * n + i]);
    const y = Matrix.columnVector(Array.from(frame.y));
    const M = sym(X.transpose().mmul(Vi).mmul(X));
    const beta = inverse(M).mmul(X.transpose().mmul(Vi).mmul(y));
    const r = y.clone().sub(X.mmul(beta));
    const r2 = r.transpose().mmul(Vi).mmul(r).get(0, 0);
    const logdet = (A: Matrix): number => {
      const L = new CholeskyDecomposition(A).lowerTriangularMatrix;
      let s = 0;
      for (let i = 0; i < A.rows; i++) s += 2 * Math.log(L.get(i, i));
      return s;
    };
    const remlDense = logdet(V) + logdet(M) + (n - p) * (1 + Math.log((2 * Math.PI * r2) / (n - p)));
    const mlDense = logdet(V) + n * (1 + Math.log((2 * Math.PI * r2) / n));
    const reml = new MixedPls(frame, true).evaluate(theta);
    const ml = new MixedPls(frame, false).evaluate(theta);
    expect(Math.abs(reml.deviance - remlDense)).toBeLessThan(1e-9 * Math.abs(remlDense));
    expect(Math.abs(ml.deviance - mlDense)).toBeLessThan(1e-9 * Math.abs(mlDense));
    for (let j = 0; j < p; j++) expect(Math.abs(reml.beta[j] - beta.get(j, 0))).toBeLessThan(1e-9 * (1 + Math.abs(beta.get(j, 0))));
  });

  it("equals the closed-form random-intercept criterion (class and level updates alike)", () => {
    const frame = mixedFrame(sleep, "Reaction ~ Days + (1 | Subject)", { factors: { Subject: null } });
    const b = frame.random[0];
    const prof = new RemlProfile(frame.X, frame.y, b.levelOf, b.nLevels);
    const pls = new MixedPls(frame, true);
    for (const t of [0, 0.3, 1.2, 5]) {
      const a = prof.criterion(t).deviance;
      expect(Math.abs(pls.evaluate([t]).deviance - a)).toBeLessThan(1e-10 * Math.abs(a));
    }
  });
});

describe("the random-intercept fast path", () => {
  const cellsCsv = readFileSync(general("ketamine/cells.csv"), "utf8");
  const factors = { group: ["HC", "TRD"], session: ["pre", "post1"], valence: ["bad", "good"] };
  const formula = "update ~ group * session * valence + age + education + (1 | participant_id)";
  it("gives fitLmm's numbers exactly", () => {
    const rows = tableColumns(cellsCsv);
    const objs = Array.from({ length: rows.n }, (_, i) => Object.fromEntries(Object.entries(rows.columns).map(([k, v]) => [k, v[i]])));
    const a = fitLmm(objs, formula, { factors });
    const b = fitMixed(objs, formula, { factors });
    expect(b.fixed).toEqual(a.fixed);
    expect(b.reml_criterion).toBe(a.reml_criterion);
    expect(b.theta).toEqual([a.theta]);
    expect(b.vcov).toEqual(a.vcov);
  });

  it("numDeriv-style Hessian and Jacobian agree with the closed forms (1e-6)", () => {
    const frame = mixedFrame(tableColumns(cellsCsv), formula, { factors });
    const fast = fitMixedFrame(frame, { anova: false });
    const pls = new MixedPls(frame, true);
    const n = frame.n;
    const p = frame.columns.length;
    const devVp = (vp: number[]): number => {
      const e = pls.evaluate([vp[0]]);
      const s2 = vp[1] ** 2;
      return e.ldL2 + e.pwrss / s2 + n * Math.log(2 * Math.PI * s2) + e.ldRX2 - p * Math.log(2 * Math.PI * s2);
    };
    const H = hessianRichardson(devVp, fast.varpar.values);
    // A = 2 H^-1 (both eigenvalues positive here)
    const det = H[0][0] * H[1][1] - H[0][1] ** 2;
    const A = [
      [(2 * H[1][1]) / det, (-2 * H[0][1]) / det],
      [(-2 * H[0][1]) / det, (2 * H[0][0]) / det],
    ];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(A[i][j] - fast.varpar.vcov[i][j])).toBeLessThan(1e-6 * Math.abs(fast.varpar.vcov[i][i]));
    const J = jacobianRichardson((vp) => {
      const e = pls.evaluate([vp[0]], true);
      const C = new Float64Array(p * p);
      const RX = new Matrix(p, p);
      for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) RX.set(i, j, e.RX![i * p + j]);
      const Ci = inverse(RX.mmul(RX.transpose()));
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) C[i * p + j] = vp[1] ** 2 * Ci.get(i, j);
      return C;
    }, fast.varpar.values);
    for (let k = 0; k < 2; k++) {
      const Jk = fast.varpar.jacobian[k];
      const scale = Math.max(...Jk.flat().map(Math.abs));
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) expect(Math.abs(J[k][i * p + j] - Jk[i][j])).toBeLessThan(1e-6 * scale);
    }
  });
});

describe("errors name the problem", () => {
  const fitSleep = (formula: string, factor: string[] = ["Subject"]) => lmmTable(sleepCsv, { formula, factor });
  it.each([
    ["Reaction ~ Days + Age + (1 | Subject)", /Unknown column 'Age' in the formula: not a column of the data \(columns: Reaction, Days, Subject\)/],
    ["Reaction ~ Days + (1 | Subjects)", /Unknown column 'Subjects'/],
    ["Reaction ~ Days + (Days | Subject", /Formula .*expected '\)' to close '\(' .*\(at position/],
    ["Subject ~ Days + (1 | Days)", /The response 'Subject' must be numeric; it cannot be a factor/],
  ])("%s", (formula, message) => {
    expect(() => fitSleep(formula)).toThrow(message);
  });

  it("a grouping factor with one level", () => {
    const one = sleepCsv.split("\n").filter((l, i) => i === 0 || l.endsWith(',"308"')).join("\n");
    expect(() => lmmTable(one, { formula: "Reaction ~ Days + (1 | Subject)" })).toThrow(
      /The grouping factor 'Subject' must have at least 2 levels in the complete rows; found 1/,
    );
  });

  it("more random effects than observations (lme4's check)", () => {
    expect(() => fitSleep("Reaction ~ 1 + (1 + Days + I2 | Subject)")).toThrow(MixedModelError);
    const small = sleepCsv.split("\n").filter((l, i) => i === 0 || /^[^,]*,[0-2],/.test(l)).join("\n");
    expect(() => lmmTable(small, { formula: "Reaction ~ Days + (1 + Days | Subject)", factor: ["Subject", "Days"] })).toThrow(
      /number of observations \(=54\) <= number of random effects \(=54\) for term \(1 \+ Days \| Subject\)/,
    );
  });

  it("a contrast of a coefficient that is not estimable, or unknown, or of the wrong length", () => {
    const csv = readFileSync(general("rank_deficient_slope.csv"), "utf8");
    const formula = "update ~ group * session + valence + age + age_months + (1 + valence | pid)";
    expect(() => lmmTable(csv, { formula, contrasts: [{ name: "months", L: { age_months: 1 } }] })).toThrow(
      /Contrast 'months': 'age_months' is not estimable \(its column was dropped: rank-deficient design\)/,
    );
    expect(() => lmmTable(csv, { formula, contrasts: [{ L: { nope: 1 } }] })).toThrow(/'nope' is not a fixed effect/);
    expect(() => lmmTable(csv, { formula, contrasts: [{ L: [1, 2] }] })).toThrow(/has 2 weights but the model has 7 fixed effects/);
  });

  it("an unknown column in the factor list, a factor with one level, a bad simple-effects request", () => {
    expect(() => lmmTable(sleepCsv, { formula: "Reaction ~ Days + (1 | Subject)", factor: ["Sbj"] })).toThrow(/Unknown column 'Sbj' in the factor list/);
    const csv = readFileSync(general("crossed.csv"), "utf8");
    const onlyA = csv.split("\n").filter((l, i) => i === 0 || l.includes(',"A",')).join("\n");
    expect(() => lmmTable(onlyA, { formula: "y ~ group + cond + (1 | subj)" })).toThrow(/Factor 'group' has only one level \('A'\)/);
    expect(() => lmmTable(csv, { formula: "y ~ group * cond + (1 | subj)", simple: { factor: "cnd", by: ["group"] } })).toThrow(/'cnd' is not a variable of the fixed part/);
  });
});

describe("data handling of the table entry point", () => {
  it("semicolon and tab separated text, NA and empty cells as missing, numeric-looking factors", () => {
    const semi = sleepCsv.replace(/,/g, ";");
    const tab = sleepCsv.replace(/,/g, "\t");
    const f = { formula: "Reaction ~ Days + (Days | Subject)", factor: ["Subject"] };
    const a = lmmTable(sleepCsv, f);
    expect(lmmTable(semi, f).fixed).toEqual(a.fixed);
    expect(lmmTable(tab, f).fixed).toEqual(a.fixed);
    const withNa = sleepCsv.split("\n").map((l, i) => (i === 1 ? l.replace(/^[^,]*/, "NA") : i === 2 ? l.replace(/^[^,]*/, "") : l)).join("\n");
    const b = lmmTable(withNa, f);
    expect(b.n_obs).toBe(178);
    expect(b.dropped_rows).toBe(2);
    // Days as a factor: 10 levels sorted numerically (0, 1, ..., 9), reference 0
    const c = lmmTable(sleepCsv, { formula: "Reaction ~ Days + (1 | Subject)", factor: ["Subject", "Days"] });
    expect(c.fixed.map((x) => x.term)).toEqual(["(Intercept)", ...Array.from({ length: 9 }, (_, i) => `Days${i + 1}`)]);
    expect(c.levels.Days).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });

  it("the result does not depend on the row order", () => {
    const lines = crossedCsv.trim().split("\n");
    const shuffled = [lines[0], ...lines.slice(1).map((l, i) => ({ l, k: (i * 7919) % (lines.length - 1) })).sort((x, y) => x.k - y.k).map((x) => x.l)].join("\n");
    const f = { formula: "y ~ group * cond + (1 + cond | subj) + (1 | item)" };
    const a = lmmTable(crossedCsv, f);
    const b = lmmTable(shuffled, f);
    expect(Math.abs(a.reml_criterion! - b.reml_criterion!)).toBeLessThan(1e-9 * Math.abs(a.reml_criterion!));
    a.fixed.forEach((x, i) => expect(Math.abs(x.estimate - b.fixed[i].estimate)).toBeLessThan(1e-6 * x.se));
  });

  it("returns one JSON-serialisable document", () => {
    const d = lmmTable(sleepCsv, { formula: "Reaction ~ Days + (Days | Subject)", ml: true });
    const json = JSON.stringify(d);
    expect(json).not.toMatch(/NaN|Infinity/);
    expect(d.reml_criterion).toBeNull();
    expect(d.deviance).toBeCloseTo(-2 * d.loglik, 8);
  });
});
