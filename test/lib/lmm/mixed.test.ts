/**
 * Agreement of the general mixed-model engine (lmmTable -> fitMixed, anova, simple effects) with
 * lme4 + lmerTest + emmeans. Reference values: test/fixtures/lmm/general/reference.json, made by
 * `Rscript test/r/lmm_general_reference.R` (see its header) from the CSVs next to it.
 *
 * Tolerances (relative): estimates 1e-6, SEs and t 1e-5, df / F / denominator df 1e-3, REML
 * criterion and deviance 1e-9, variance components 1e-4. Boundary (singular) fits, where the
 * criterion is flat in some directions and R's optimum differs from ours by ~1e-5 in theta at the
 * same criterion, are compared at 1e-4 (estimates, SEs) and 1e-3 (df, F). Two over-parameterised
 * models (`(1 + f || g)` with a factor f) have a ridge of optima: their variance components are not
 * compared, only what is identified (criterion, fixed effects, tests).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lmmTable, type TableDocument } from "../../../src/lib/lmm/table.js";

interface RefCase {
  name: string;
  csv: string;
  formula: string;
  factors: Record<string, string[] | null>;
  factor_columns: string[];
  reml: boolean;
  n_obs: number;
  groups: Record<string, number>;
  theta: number[];
  sigma: number;
  reml_criterion: number | null;
  deviance: number | null;
  loglik: number;
  singular: boolean;
  rank_deficient: string[];
  fixed: { term: string; estimate: number; se: number; df: number; t: number; p: number; ci: [number, number] }[];
  anova: { term: string; type: 2 | 3; num_df: number | null; den_df: number | null; F: number | null; p: number | null }[];
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number | null }[];
  emmeans?: {
    factor: string;
    by: string[];
    emmeans: { at: Record<string, string>; estimate: number | null; se: number | null; df: number | null; ci: [number, number] | null }[];
    contrasts: { by: Record<string, string>; contrast: string; estimate: number | null; se: number | null; df: number | null; t: number | null; p: number | null }[];
  };
  contrasts?: ({ name: string; L: Record<string, number>[]; kind: "t"; estimate: number; se: number; df: number; t: number; p: number } | { name: string; L: Record<string, number>[]; kind: "F"; num_df: number; den_df: number; F: number; p: number })[];
}

const dir = new URL("../../fixtures/lmm/general/", import.meta.url);
const reference = JSON.parse(readFileSync(new URL("reference.json", dir), "utf8")) as { cases: RefCase[] };
const RIDGE = new Set(["ketamine_cells_diag", "sleep_factor_doublebar"]);

function check(actual: number | null | undefined, expected: number | null, tol: number, what: string, floor = 0): void {
  if (expected === null) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  const d = Math.abs((actual as number) - expected);
  const scale = Math.max(Math.abs(expected), floor);
  if (!(d <= tol * scale)) throw new Error(`${what}: got ${actual}, expected ${expected} (difference ${d} > ${tol} x ${scale})`);
}

const docs = new Map<string, TableDocument>();
function fit(c: RefCase): TableDocument {
  let d = docs.get(c.name);
  if (!d) {
    const factor: Record<string, string[] | null> = {};
    for (const v of c.factor_columns) factor[v] = c.factors[v] ?? null;
    d = lmmTable(readFileSync(new URL(c.csv, dir), "utf8"), {
      formula: c.formula,
      factor,
      ml: !c.reml,
      simple: c.emmeans ? { factor: c.emmeans.factor, by: c.emmeans.by } : undefined,
      contrasts: c.contrasts?.map((k) => ({ name: k.name, L: k.L.length === 1 ? k.L[0] : k.L })),
    });
    docs.set(c.name, d);
  }
  return d;
}

describe.each(reference.cases.map((c) => [c.name, c] as const))("lme4/lmerTest/emmeans: %s", (_n, c) => {
  const loose = c.singular;
  const tEst = loose ? 1e-4 : 1e-6;
  const tSe = loose ? 1e-4 : 1e-5;

  it("model frame, terms, groups and flags", () => {
    const d = fit(c);
    expect(d.n_obs).toBe(c.n_obs);
    expect(d.groups).toEqual(c.groups);
    expect(d.singular).toBe(c.singular);
    expect(d.rank_deficient).toEqual(c.rank_deficient);
    expect(d.fixed.map((f) => f.term)).toEqual(c.fixed.map((f) => f.term));
    expect(d.varcorr.map((v) => [v.grp, v.var1, v.var2])).toEqual(c.varcorr.map((v) => [v.grp, v.var1, v.var2]));
    expect(d.anova.map((a) => [a.term, a.type, a.num_df])).toEqual(c.anova.map((a) => [a.term, a.type, a.num_df]));
  });

  it("criterion, fixed effects (estimate 1e-6, se and t 1e-5, df 1e-3) and CIs", () => {
    const d = fit(c);
    if (c.reml) check(d.reml_criterion, c.reml_criterion, 1e-9, "REML criterion");
    else check(d.deviance, c.deviance, 1e-9, "deviance");
    check(d.loglik, c.loglik, 1e-9, "logLik");
    const seMax = Math.max(...c.fixed.map((f) => f.se));
    c.fixed.forEach((r, i) => {
      const f = d.fixed[i];
      check(f.estimate, r.estimate, tEst, `${r.term} estimate`, 1e-3 * seMax);
      check(f.se, r.se, tSe, `${r.term} se`);
      check(f.t, r.t, tSe, `${r.term} t`, 1e-3);
      check(f.df, r.df, 1e-3, `${r.term} df`);
      check(f.p, r.p, 1e-3, `${r.term} p`, 1e-12);
      check(f.ci![0], r.ci[0], tSe, `${r.term} ci lower`, r.se);
      check(f.ci![1], r.ci[1], tSe, `${r.term} ci upper`, r.se);
    });
  });

  it("type III and type II F tests (F and denominator df 1e-3)", () => {
    const d = fit(c);
    c.anova.forEach((r) => {
      const a = d.anova.find((x) => x.term === r.term && x.type === r.type)!;
      check(a.F, r.F, 1e-3, `type ${r.type} ${r.term} F`);
      check(a.den_df, r.den_df, 1e-3, `type ${r.type} ${r.term} den_df`);
      check(a.p, r.p, 1e-3, `type ${r.type} ${r.term} p`, 1e-12);
    });
  });

  it.skipIf(RIDGE.has(c.name))("variance components (1e-4) and residual SD", () => {
    const d = fit(c);
    check(d.sigma, c.sigma, loose ? 1e-4 : 1e-6, "sigma");
    c.varcorr.forEach((r, i) => {
      const v = d.varcorr[i];
      check(v.vcov, r.vcov, 1e-4, `${r.grp} ${r.var1} ${r.var2} vcov`, 1e-4 * c.sigma ** 2);
      if (r.sdcor !== null && r.var2 === null) check(v.sdcor, r.sdcor, 1e-4, `${r.grp} ${r.var1} sd`, 1e-2 * c.sigma);
    });
  });

  it.skipIf(!c.emmeans && !c.contrasts)("simple effects as emmeans, user contrasts as contest", () => {
    const d = fit(c);
    if (c.emmeans) {
      const s = d.simple_effects!;
      expect(s.emmeans.map((e) => e.at)).toEqual(c.emmeans.emmeans.map((e) => e.at));
      expect(s.contrasts.map((e) => [e.by, e.contrast])).toEqual(c.emmeans.contrasts.map((e) => [e.by, e.contrast]));
      c.emmeans.emmeans.forEach((r, i) => {
        const e = s.emmeans[i];
        check(e.estimate, r.estimate, tEst, `emmean ${JSON.stringify(r.at)}`);
        check(e.se, r.se, tSe, `emmean se ${JSON.stringify(r.at)}`);
        check(e.df, r.df, 1e-3, `emmean df ${JSON.stringify(r.at)}`);
      });
      c.emmeans.contrasts.forEach((r, i) => {
        const e = s.contrasts[i];
        check(e.estimate, r.estimate, tEst, `${r.contrast} ${JSON.stringify(r.by)}`, r.se ?? 0);
        check(e.se, r.se, tSe, `${r.contrast} se`);
        check(e.df, r.df, 1e-3, `${r.contrast} df`);
        check(e.p, r.p, 1e-3, `${r.contrast} p`, 1e-12);
      });
    }
    c.contrasts?.forEach((r, i) => {
      const k = d.contrasts![i];
      expect(k.kind).toBe(r.kind);
      if (r.kind === "t" && k.kind === "t") {
        check(k.estimate, r.estimate, tEst, `${r.name} estimate`);
        check(k.se, r.se, tSe, `${r.name} se`);
        check(k.df, r.df, 1e-3, `${r.name} df`);
      } else if (r.kind === "F" && k.kind === "F") {
        expect(k.num_df).toBe(r.num_df);
        check(k.F, r.F, 1e-3, `${r.name} F`);
        check(k.den_df, r.den_df, 1e-3, `${r.name} den_df`);
      }
    });
  });
});

describe("SAS PROC MIXED values of lmerTest's tests (tests/test_compare_sas.R)", () => {
  const byName = (n: string): RefCase & { sas?: Record<string, number[]> } => reference.cases.find((c) => c.name === n)!;
  const F = (d: TableDocument, type: 2 | 3): number[] => d.anova.filter((a) => a.type === type).map((a) => a.F!);
  it("carrots, sens2 * Frequency * Income + (1 + sens2 | Consumer): type III p-values (1e-4) and den df 83", () => {
    const c = byName("carrots_sas");
    const d = fit(c);
    const a = d.anova.filter((x) => x.type === 3);
    a.forEach((x, i) => expect(Math.abs(x.p! - c.sas!.anova_p[i])).toBeLessThan(Math.max(1e-4 * c.sas!.anova_p[i], 1e-5)));
    expect(a.map((x) => Math.round(x.den_df!))).toEqual(c.sas!.anova_den_df_round);
  });
  it.each([
    ["carrots_noint", 3, "anova3_F", 1e-5],
    ["carrots_type2", 2, "anova2_F", 1e-4],
    ["ham_age", 2, "anova2_F", 1e-4],
    ["carrots_3way", 2, "anova2_F", 1e-4],
    ["carrots_3way", 3, "anova3_F", 1e-4],
    ["sas_glm", 2, "anova2_F", 1e-5],
  ] as const)("%s: type %s F values", (name, type, key, tol) => {
    const c = byName(name);
    // SAS prints 6 significant digits (0.005387 for 0.0053868): relative to the largest F, as all.equal.
    const sas = c.sas![key];
    F(fit(c), type).forEach((f, i) => check(f, sas[i], tol, `${name} F[${i}]`, Math.max(...sas) * 1e-2));
  });
  it("ham: least-squares means of Product (4 decimals)", () => {
    const c = byName("ham_sas");
    fit(c).simple_effects!.emmeans.forEach((e, i) => expect(Math.abs(e.estimate! - c.sas!.lsmeans_product[i])).toBeLessThan(5e-5));
  });
});
