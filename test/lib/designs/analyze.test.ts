/**
 * Crossover and parallel analyses (src/lib/designs/analyze.ts) against R (test/r/designs_reference.R:
 * lme4 + lmerTest, lm, binom.test, fisher.test, t.test) and against hand calculations.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStudyFromDir } from "../../../src/lib/study/load.js";
import {
  RESPONSE_TOLERANCE,
  analyzeDesign,
  outcomeOf,
  participantOutcomes,
  type DesignAnalysis,
  type ParticipantOutcome,
} from "../../../src/lib/designs/analyze.js";
import type { Study } from "../../../src/lib/study/types.js";

const FIX = join(__dirname, "..", "..", "fixtures", "designs");
const DIRS: Record<string, string> = {
  "crossover-incomplete": join(FIX, "crossover-incomplete"),
  "williams2018-naltrexone": "data/williams2018-naltrexone",
  "parallel-missing": join(FIX, "parallel-missing"),
  "murrough2013-midazolam": "data/murrough2013-midazolam",
};

type RNum = number | "NA" | "Inf" | "-Inf";
const num = (x: RNum | boolean | null | undefined): number | boolean | null =>
  x === "NA" || x === null || x === undefined ? null : x === "Inf" ? Infinity : x === "-Inf" ? -Infinity : x;

interface RFixed { term: string; estimate: number; se: number; df: number; t: number; p: number; ci: [number, number] }
interface RCase {
  id: string;
  design: "crossover" | "parallel";
  per_participant: Record<string, string | RNum | boolean>[];
  summary: Record<string, string | RNum>[];
  response: { condition: string; responders: number; n: number; rate: RNum; missing: number; ci: [RNum, RNum] }[];
  models?: { scale: string; session: string; n_obs: number; n_groups: number; theta: number; sigma: number; participant_sd: number; reml_criterion: number; singular: boolean; fixed: RFixed[] }[];
  carryover?: { scale: string; session: string; sequences: { sequence: string; n: number; mean_total: RNum; sd_total: RNum }[]; estimate: number; se: number; df: number; t: number; p: number; ci: [number, number]; t_test_p: number; t_test_t: number }[];
  mcnemar?: { both: number; onlyA: number; onlyB: number; neither: number; n_pairs: number; n_incomplete: number; p: number; odds_ratio: RNum; ci: [RNum, RNum] };
  ancova?: {
    scale: string; session: string; n: number; n_excluded: number; baseline_mean: number;
    coefficients: { term: string; estimate: number; se: number; t: number; p: number; df: number; ci: [number, number] }[];
    sigma: number; r2: number; adj_r2: number; adjusted_means: { arm: string; mean: number; se: number; ci: [number, number] }[];
  }[];
  fisher?: { table: [[number, number], [number, number]]; p: number; estimate: number; ci: [number, number]; sample_or: { estimate: number; ci: [number, number]; se_log: number; corrected: boolean } };
}
const reference: { cases: RCase[] } = JSON.parse(readFileSync(join(FIX, "reference.json"), "utf8"));

function rel(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}
function close(actual: number | null | undefined, expected: RNum | null, tol: number, what: string): void {
  const e = num(expected);
  if (e === null) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  if (typeof actual !== "number") throw new Error(`${what}: got ${actual}, expected ${e}`);
  const r = rel(actual, e as number);
  if (!(r <= tol)) throw new Error(`${what}: got ${actual}, expected ${e} (relative difference ${r} > ${tol})`);
}

const studies = new Map<string, Study>();
const analyses = new Map<string, DesignAnalysis>();
async function load(id: string): Promise<{ study: Study; a: DesignAnalysis }> {
  if (!studies.has(id)) {
    const study = await loadStudyFromDir(DIRS[id]);
    studies.set(id, study);
    analyses.set(id, analyzeDesign(study));
  }
  return { study: studies.get(id)!, a: analyses.get(id)! };
}

describe.each(reference.cases.map((c) => [c.id, c] as const))("agreement with R: %s", (id, c) => {
  it("per participant: baseline, score, change, percent reduction, responder", async () => {
    const { a } = await load(id);
    expect(a.per_participant).toHaveLength(c.per_participant.length);
    a.per_participant.forEach((row, i) => {
      const r = c.per_participant[i];
      const where = `${row.participant_id} ${row.condition} ${row.scale} ${row.session}`;
      expect([row.participant_id, row.group, row.condition, row.scale, row.session], where).toEqual([r.participant_id, r.group, r.condition, r.scale, r.session]);
      expect(row.period, where).toBe(num(r.period as RNum));
      expect(row.baseline, where).toBe(num(r.baseline as RNum));
      expect(row.score, where).toBe(num(r.score as RNum));
      expect(row.change, where).toBe(num(r.change as RNum));
      close(row.percent_reduction, r.percent_reduction as RNum, 1e-13, `${where} percent`);
      expect(row.responder, where).toBe(num(r.responder as RNum | boolean));
    });
  });

  it("summary per scale, condition and time point", async () => {
    const { a } = await load(id);
    expect(a.summary).toHaveLength(c.summary.length);
    a.summary.forEach((s, i) => {
      const r = c.summary[i];
      const where = `${s.scale} ${s.condition} ${s.session}`;
      expect([s.scale, s.condition, s.session, s.n, s.n_change]).toEqual([r.scale, r.condition, r.session, r.n, r.n_change]);
      for (const k of ["mean_score", "sd_score", "mean_change", "sd_change", "sem_change", "mean_percent_reduction"] as const)
        close(s[k], r[k] as RNum, 1e-12, `${where} ${k}`);
    });
  });

  it("response rates with Clopper-Pearson intervals (binom.test)", async () => {
    const { a } = await load(id);
    expect(a.response.map((r) => [r.condition, r.responders, r.n, r.missing])).toEqual(c.response.map((r) => [r.condition, r.responders, r.n, r.missing]));
    a.response.forEach((r, i) => {
      close(r.rate, c.response[i].rate, 1e-15, "rate");
      close(r.ci?.[0], c.response[i].ci[0], 1e-9, "ci lower");
      close(r.ci?.[1], c.response[i].ci[1], 1e-9, "ci upper");
    });
  });

  if (c.design === "crossover") {
    it("mixed models change ~ condition + period + (1 | participant_id): lme4 / lmerTest", async () => {
      const { a } = await load(id);
      expect(a.models.map((m) => [m.scale, m.session])).toEqual(c.models!.map((m) => [m.scale, m.session]));
      a.models.forEach((m, i) => {
        const r = c.models![i];
        const where = `${m.scale} ${m.session}`;
        expect(m.error).toBeNull();
        expect([m.n_obs, m.n_groups, m.singular]).toEqual([r.n_obs, r.n_groups, r.singular]);
        expect(m.fixed.map((f) => f.term)).toEqual(["(Intercept)", m.key_term, "period2"]);
        expect(m.fixed.map((f) => f.term)).toEqual(r.fixed.map((f) => f.term));
        close(m.random!.residual_sd, r.sigma, 1e-6, `${where} sigma`);
        close(m.random!.participant_sd, r.participant_sd, 1e-6, `${where} participant sd`);
        close(m.reml_criterion, r.reml_criterion, 1e-8, `${where} REML criterion`);
        m.fixed.forEach((f, j) => {
          const rf = r.fixed[j];
          close(f.estimate, rf.estimate, 1e-7, `${where} ${f.term} estimate`);
          close(f.se, rf.se, 1e-7, `${where} ${f.term} se`);
          close(f.t, rf.t, 1e-7, `${where} ${f.term} t`);
          close(f.df, rf.df, 1e-7, `${where} ${f.term} df`);
          close(f.p, rf.p, 1e-7, `${where} ${f.term} p`);
          close(f.ci![0], rf.ci[0], 1e-7, `${where} ${f.term} ci`);
          close(f.ci![1], rf.ci[1], 1e-7, `${where} ${f.term} ci`);
        });
      });
    });

    it("Grizzle carry-over test: lm(total ~ sequence) and t.test(var.equal = TRUE)", async () => {
      const { a } = await load(id);
      a.carryover!.forEach((t, i) => {
        const r = c.carryover![i];
        const where = `${t.scale} ${t.session}`;
        expect(t.error).toBeNull();
        expect(t.sequences.map((q) => [q.sequence, q.n])).toEqual(r.sequences.map((q) => [q.sequence, q.n]));
        t.sequences.forEach((q, k) => {
          close(q.mean_total, r.sequences[k].mean_total, 1e-12, `${where} mean total`);
          close(q.sd_total, r.sequences[k].sd_total, 1e-12, `${where} sd total`);
        });
        close(t.estimate, r.estimate, 1e-10, `${where} estimate`);
        close(t.se, r.se, 1e-10, `${where} se`);
        close(t.t, r.t, 1e-10, `${where} t`);
        close(t.t, r.t_test_t, 1e-10, `${where} t (t.test)`);
        expect(t.df).toBe(r.df);
        close(t.p, r.p, 1e-8, `${where} p`);
        close(t.p, r.t_test_p, 1e-8, `${where} p (t.test)`);
        close(t.ci![0], r.ci[0], 1e-10, `${where} ci`);
        close(t.ci![1], r.ci[1], 1e-10, `${where} ci`);
      });
    });

    it("exact McNemar test of paired response (binom.test)", async () => {
      const { a } = await load(id);
      const m = a.mcnemar!;
      const r = c.mcnemar!;
      expect([m.both, m.onlyA, m.onlyB, m.neither, m.n_pairs, m.n_incomplete]).toEqual([r.both, r.onlyA, r.onlyB, r.neither, r.n_pairs, r.n_incomplete]);
      close(m.p, r.p, 1e-12, "p");
      close(m.odds_ratio, r.odds_ratio, 1e-12, "odds ratio");
      close(m.ci?.[0], r.ci[0], 1e-8, "ci lower");
      close(m.ci?.[1], r.ci[1], 1e-8, "ci upper");
    });
  } else {
    it("ANCOVA lm(score ~ arm + baseline) with adjusted means (predict)", async () => {
      const { a } = await load(id);
      a.ancova!.forEach((f, i) => {
        const r = c.ancova![i];
        const where = `${f.scale} ${f.session}`;
        expect(f.error).toBeNull();
        expect([f.n, f.n_excluded]).toEqual([r.n, r.n_excluded]);
        close(f.baseline_mean, r.baseline_mean, 1e-14, `${where} baseline mean`);
        expect(f.coefficients.map((x) => x.term)).toEqual(r.coefficients.map((x) => x.term));
        f.coefficients.forEach((x, j) => {
          const rc = r.coefficients[j];
          close(x.estimate, rc.estimate, 1e-10, `${where} ${x.term} estimate`);
          close(x.se, rc.se, 1e-10, `${where} ${x.term} se`);
          close(x.t, rc.t, 1e-10, `${where} ${x.term} t`);
          expect(x.df).toBe(rc.df);
          close(x.p, rc.p, 1e-8, `${where} ${x.term} p`);
          close(x.ci![0], rc.ci[0], 1e-10, `${where} ${x.term} ci`);
          close(x.ci![1], rc.ci[1], 1e-10, `${where} ${x.term} ci`);
        });
        close(f.sigma, r.sigma, 1e-12, `${where} sigma`);
        close(f.r2, r.r2, 1e-12, `${where} r2`);
        close(f.adj_r2, r.adj_r2, 1e-12, `${where} adj r2`);
        f.adjusted_means.forEach((m, k) => {
          const rm = r.adjusted_means[k];
          expect(m.arm).toBe(rm.arm);
          close(m.mean, rm.mean, 1e-12, `${where} adjusted mean`);
          close(m.se, rm.se, 1e-10, `${where} adjusted mean se`);
          close(m.ci![0], rm.ci[0], 1e-10, `${where} adjusted mean ci`);
          close(m.ci![1], rm.ci[1], 1e-10, `${where} adjusted mean ci`);
        });
        // The model table shows the same coefficients.
        expect(a.models[i].fixed.map((x) => x.estimate)).toEqual(f.coefficients.map((x) => x.estimate));
      });
    });

    it("Fisher's exact test and odds ratios (fisher.test, Woolf)", async () => {
      const { a } = await load(id);
      const f = a.fisher!;
      const r = c.fisher!;
      expect(f.table).toEqual(r.table);
      close(f.p, r.p, 1e-10, "p");
      close(f.conditional_or.estimate, r.estimate, 1e-8, "conditional OR");
      close(f.conditional_or.ci[0], r.ci[0], 1e-6, "conditional OR ci");
      close(f.conditional_or.ci[1], r.ci[1], 1e-6, "conditional OR ci");
      close(f.sample_or.estimate, r.sample_or.estimate, 1e-12, "sample OR");
      close(f.sample_or.ci[0], r.sample_or.ci[0], 1e-10, "Woolf ci");
      close(f.sample_or.ci[1], r.sample_or.ci[1], 1e-10, "Woolf ci");
      expect(f.sample_or.corrected).toBe(r.sample_or.corrected);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Hand calculations

/** Minimal CSV reading of the committed files, independent of the kit's reader. */
function csvRows(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const cols = header.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
}

describe("hand calculations", () => {
  it("outcomeOf: change, percent reduction and the responder rule", () => {
    expect(outcomeOf(24, 12, 0.5)).toEqual({ change: -12, percent_reduction: 50, responder: true });
    expect(outcomeOf(24, 13, 0.5)).toEqual({ change: -11, percent_reduction: (100 * 11) / 24, responder: false });
    // 0.28 * 25 is 7.000000000000001 in floating point: the tolerance counts 7 off 25 as a 28 % reduction.
    expect(0.28 * 25).toBeGreaterThan(7);
    expect(outcomeOf(25, 18, 0.28).responder).toBe(true);
    expect(outcomeOf(25, 18 + 1e-6, 0.28).responder).toBe(false);
    expect(outcomeOf(10, 7, 0.3).responder).toBe(true);
    expect(RESPONSE_TOLERANCE).toBe(1e-9);
    expect(outcomeOf(0, 2, 0.5)).toEqual({ change: 2, percent_reduction: null, responder: null });
    expect(outcomeOf(null, 2, 0.5)).toEqual({ change: null, percent_reduction: null, responder: null });
    expect(outcomeOf(20, null, 0.5)).toEqual({ change: null, percent_reduction: null, responder: null });
    expect(outcomeOf(20, 20, 0.5, true)).toEqual({ change: 0, percent_reduction: 0, responder: null });
    expect(outcomeOf(20, 26, 0.5)).toEqual({ change: 6, percent_reduction: -30, responder: false });
  });

  it("the bundled Williams cohort: 7 of 12 respond under ketamine + placebo on day 1 (from the CSV by hand)", async () => {
    const rows = csvRows("data/williams2018-naltrexone/clinical.csv");
    const score = (p: string, c: string, s: string) => Number(rows.find((r) => r.participant_id === p && r.condition === c && r.session === s)!.score);
    const ids = [...new Set(rows.map((r) => r.participant_id))];
    expect(ids).toHaveLength(12);
    const responders = (c: string) => ids.filter((p) => score(p, c, "baseline") - score(p, c, "day1") >= 0.5 * score(p, c, "baseline")).length;
    expect(responders("placebo")).toBe(7);
    const { a } = await load("williams2018-naltrexone");
    expect(a.response.map((r) => [r.condition, r.responders, r.n, r.rate])).toEqual([
      ["placebo", 7, 12, 7 / 12],
      ["naltrexone", responders("naltrexone"), 12, responders("naltrexone") / 12],
    ]);
    // Every participant has both conditions, each in its own period, as the sequence says.
    const seq = Object.fromEntries(csvRows("data/williams2018-naltrexone/participants.csv").map((p) => [p.participant_id, p.group]));
    for (const p of ids) {
      const per = (c: string) => rows.find((r) => r.participant_id === p && r.condition === c)!.period;
      expect([per("placebo"), per("naltrexone")]).toEqual(seq[p] === "PN" ? ["1", "2"] : ["2", "1"]);
    }
  });

  it("complete 2x2 crossover: the mixed model equals the analysis of period differences (Jones & Kenward)", async () => {
    // With every participant in both periods, tau = (mean d_BA - mean d_AB) / 2 and
    // pi = -(mean d_AB + mean d_BA) / 2, d = change(period 1) - change(period 2), SE from the pooled
    // variance of d with n1 + n2 - 2 df (when the REML participant variance is positive).
    const { study, a } = await load("williams2018-naltrexone");
    const [seqA, seqB] = Object.keys(study.meta.sequences!); // PN: placebo first, NP: naltrexone first
    for (const m of a.models) {
      const d = new Map<string, number[]>();
      for (const p of study.participants) {
        const ch = (k: number) => a.per_participant.find((r) => r.participant_id === p.participant_id && r.scale === m.scale && r.session === m.session && r.period === k)!.change!;
        const list = d.get(p.group) ?? [];
        list.push(ch(1) - ch(2));
        d.set(p.group, list);
      }
      const dA = d.get(seqA)!; // d = placebo - naltrexone = -tau - pi
      const dB = d.get(seqB)!; // d = naltrexone - placebo = tau - pi
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const ss = (xs: number[]) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0);
      const df = dA.length + dB.length - 2;
      const s2 = (ss(dA) + ss(dB)) / df;
      const se = 0.5 * Math.sqrt(s2 * (1 / dA.length + 1 / dB.length));
      const tau = (mean(dB) - mean(dA)) / 2;
      const pi = -(mean(dA) + mean(dB)) / 2;
      const cond = m.fixed.find((f) => f.term === "conditionnaltrexone")!;
      const per = m.fixed.find((f) => f.term === "period2")!;
      expect(m.singular).toBe(false);
      expect(cond.estimate).toBeCloseTo(tau, 10);
      expect(per.estimate).toBeCloseTo(pi, 10);
      expect(cond.se).toBeCloseTo(se, 8);
      expect(per.se).toBeCloseTo(se, 8);
      expect(cond.df).toBeCloseTo(df, 4);
      // Naltrexone attenuates the reduction: the change is less negative.
      expect(cond.estimate).toBeGreaterThan(0);
      expect(cond.p).toBeLessThan(0.05);
    }
  });

  it("McNemar and Grizzle by hand on the bundled Williams cohort", async () => {
    const { a } = await load("williams2018-naltrexone");
    const m = a.mcnemar!;
    // b = placebo-only responders, c = naltrexone-only responders; p = 2 P(X <= min(b, c)), X ~ Bin(b + c, 1/2).
    const choose = (n: number, k: number): number => (k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
    let cdf = 0;
    for (let k = 0; k <= Math.min(m.b, m.c); k++) cdf += choose(m.b + m.c, k) / 2 ** (m.b + m.c);
    expect(m.p).toBeCloseTo(Math.min(1, 2 * cdf), 14);
    expect(m.both + m.onlyA).toBe(7);
    expect(m.condition_a).toBe("placebo");
    for (const t of a.carryover!) {
      expect(t.estimate).toBeCloseTo(t.sequences[1].mean_total! - t.sequences[0].mean_total!, 12);
      expect(t.df).toBe(10);
    }
  });

  it("parallel fixture: the edge cases", async () => {
    const { a } = await load("parallel-missing");
    const row = (p: string, s: string) => a.per_participant.find((r) => r.participant_id === p && r.session === s)!;
    // P04: baseline 10, 7 at day 7: exactly 30 % reduction, threshold 0.3 -> responder.
    expect(row("P04", "day7")).toMatchObject({ baseline: 10, score: 7, change: -3, responder: true });
    expect(row("P04", "day7").percent_reduction).toBeCloseTo(30, 12);
    // P11: baseline 0 -> no percent reduction, no response; the change is still defined.
    expect(row("P11", "day1")).toMatchObject({ baseline: 0, score: 2, change: 2, percent_reduction: null, responder: null });
    // P17: no baseline; P23: no day-1 score.
    expect(row("P17", "day7")).toMatchObject({ baseline: null, change: null, responder: null });
    expect(row("P23", "day1")).toMatchObject({ score: null, change: null, responder: null });
    // Response at day 7 (study.json), treated vs control; Fisher's table is (treated, control) x (responder, non-responder).
    const rr = (arm: string) => a.per_participant.filter((r) => r.condition === arm && r.session === "day7" && r.responder !== null);
    const resp = (arm: string) => rr(arm).filter((r) => r.responder).length;
    expect(a.fisher!.rows).toEqual(["treated", "control"]);
    expect(a.fisher!.table).toEqual([
      [resp("treated"), rr("treated").length - resp("treated")],
      [resp("control"), rr("control").length - resp("control")],
    ]);
    expect(a.response.map((r) => r.session)).toEqual(["day7", "day7"]);
    // ANCOVA leaves out P17 (no baseline) at both time points and P23 at day 1.
    expect(a.ancova!.map((x) => [x.session, x.n, x.n_excluded])).toEqual([["day1", 28, 2], ["day7", 29, 1]]);
  });

  it("crossover fixture: incomplete participants stay in the mixed model, not in the paired tests", async () => {
    const { a } = await load("crossover-incomplete");
    // C09 has period 1 only (placebo).
    expect(new Set(a.per_participant.filter((r) => r.participant_id === "C09").map((r) => r.condition))).toEqual(new Set(["placebo"]));
    const week1 = a.models.find((m) => m.scale === "MADRS" && m.session === "week1")!;
    expect([week1.n_obs, week1.n_groups]).toEqual([17, 9]);
    // C03 has no MADRS score at week 2 under the drug: 16 observations, and out of McNemar (week 2) and carry-over.
    const week2 = a.models.find((m) => m.scale === "MADRS" && m.session === "week2")!;
    expect(week2.n_obs).toBe(16);
    expect(a.mcnemar).toMatchObject({ session: "week2", n_pairs: 7, n_incomplete: 2 });
    const co = a.carryover!.find((t) => t.scale === "MADRS" && t.session === "week2")!;
    expect(co.sequences.reduce((s, q) => s + q.n, 0)).toBe(7);
  });

  it("rows for pages: one per participant x condition x scale x time point, JSON without NaN", async () => {
    const { study, a } = await load("williams2018-naltrexone");
    expect(a.per_participant).toHaveLength(12 * 2 * 2 * 3);
    const keys: (keyof ParticipantOutcome)[] = ["participant_id", "group", "condition", "period", "scale", "session", "baseline", "score", "change", "percent_reduction", "responder"];
    expect(Object.keys(a.per_participant[0])).toEqual(keys);
    const json = JSON.stringify(a);
    expect(json).not.toMatch(/NaN/);
    expect(participantOutcomes(study)).toEqual(a.per_participant);
  });

  it("refuses a belief-updating study", async () => {
    const study = await loadStudyFromDir("data/ketamine-trd");
    expect(() => analyzeDesign(study)).toThrow(/expected "crossover" or "parallel"/);
  });
});
