import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { describe, expect, it } from "vitest";
import { bcaInterval, bcaParameters, percentileInterval } from "../../../src/lib/stats/bootstrap.js";
import { bootstrap } from "../../oracles/bootstrap.js";
import { mediationLine, mediationPointEstimate, mediationResultForJson, mediationSensitivity, prepareMediationData, sensitivityIndirectAt, withinSubjectMediation, type MediationRow, mediationPoints } from "../../../src/lib/mediation/index.js";
import { mediationIndirectStatistic, mediationJackknife } from "../../oracles/mediation.js";
import { createRng } from "../../../src/lib/stats/random.js";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "mediation");

interface PathRef {
  estimate: number;
  se: number;
  t: number;
  df: number;
  p: number;
}
interface BcaRef {
  z0: number;
  acceleration: number;
  probabilities: number[];
  interval: number[];
}
interface Reference {
  n: number;
  excluded_ids: string[];
  a: number;
  b: number;
  c: number;
  c_prime: number;
  indirect: number;
  sobel_se: number;
  sobel_z: number;
  sobel_p: number;
  paths: Record<"a" | "b" | "c" | "c_prime" | "m_mean", PathRef>;
  residual_sd: number;
  r_squared: number;
  line: { x: number[]; fit: number[]; lo: number[]; hi: number[] };
  boot: {
    B: number;
    t0: number;
    replicates: number[];
    jackknife: number[];
    se: number;
    percentile95: number[];
    percentile90: number[];
    bca95: BcaRef;
    bca90: BcaRef;
    boot_ci_perc95: number[];
    boot_ci_bca95: number[];
    empinf_acceleration: number;
  };
  sensitivity: {
    rho: number[];
    indirect: number[];
    rho_tilde: number;
    sigma_ratio: number;
    ml_rho: number[];
    ml_indirect: number[];
  };
}

const reference = JSON.parse(readFileSync(join(FIXTURES, "reference.json"), "utf8")) as Record<string, Reference>;
const NAMES = ["typical", "small", "skewed"] as const;

function num(s: string | undefined): number | null {
  return s === undefined || s.trim() === "" ? null : Number(s);
}

function loadRows(name: string): MediationRow[] {
  return csvParse(readFileSync(join(FIXTURES, `${name}.csv`), "utf8")).map((r) => ({
    participant_id: r.participant_id!,
    m_from: num(r.m_from),
    m_to: num(r.m_to),
    y_from: num(r.y_from),
    y_to: num(r.y_to),
  }));
}

function loadIndices(name: string): number[][] {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}_indices.json`), "utf8")) as number[][];
}

/** |x − y| ≤ tol · max(|y|, floor) */
function expectRel(x: number | null | undefined, y: number, tol = 1e-9, floor = 1e-12): void {
  expect(x).not.toBeNull();
  expect(x).not.toBeUndefined();
  const err = Math.abs((x as number) - y) / Math.max(Math.abs(y), floor);
  if (!(err <= tol)) throw new Error(`expected ${x} ≈ ${y} (relative error ${err} > ${tol})`);
}

describe.each(NAMES)("agreement with R (lm, boot) — %s", (name) => {
  const ref = reference[name];
  const rows = loadRows(name);

  it("point estimates, path SEs/t/p, Sobel, residual SD and R² match lm()", () => {
    const r = mediationPointEstimate(rows);
    expect(r.n).toBe(ref.n);
    expect(r.excluded.map((e) => e.participant_id)).toEqual(ref.excluded_ids);
    for (const k of ["a", "b", "c", "c_prime", "indirect", "sobel_se", "sobel_z", "sobel_p", "residual_sd", "r_squared"] as const) {
      expectRel(r[k], ref[k]);
    }
    for (const k of ["a", "b", "c", "c_prime", "m_mean"] as const) {
      const p = r.paths[k];
      const q = ref.paths[k];
      expectRel(p.estimate, q.estimate);
      expectRel(p.se, q.se);
      expectRel(p.t, q.t);
      expect(p.df).toBe(q.df);
      expectRel(p.p, q.p, 1e-8);
    }
    // c = c′ + a·b holds exactly in the sample
    expect(r.c).toBeCloseTo(r.c_prime + r.indirect, 12);
  });

  it("fitted line and confidence band match predict(interval = 'confidence') at z = 0", () => {
    const r = mediationPointEstimate(rows);
    const xs = ref.line.x;
    const pts = mediationLine(r.line_model, { from: xs[0], to: xs[xs.length - 1], points: xs.length });
    pts.forEach((p, i) => {
      expectRel(p.x, xs[i], 1e-12);
      expectRel(p.fit, ref.line.fit[i]);
      expectRel(p.lo, ref.line.lo[i]);
      expectRel(p.hi, ref.line.hi[i]);
    });
    // default grid spans the observed ΔM
    const def = mediationLine(r.line_model);
    expect(def).toHaveLength(50);
    expectRel(def[0].x, Math.min(...xs), 1e-12);
  });

  it("replicates on boot()'s resamples, jackknife, percentile and BCa intervals match R", () => {
    const data = prepareMediationData(rows);
    const stat = mediationIndirectStatistic(data);
    const idx = loadIndices(name);
    expect(idx).toHaveLength(ref.boot.B);
    const buf = new Int32Array(data.dm.length);
    const reps = new Float64Array(idx.length);
    idx.forEach((row, b) => {
      buf.set(row);
      reps[b] = stat(buf);
    });
    reps.forEach((v, b) => expectRel(v, ref.boot.replicates[b], 1e-9, 1e-9));
    // statistic on the identity resample is the point estimate
    expectRel(stat(Int32Array.from(data.dm, (_, i) => i)), ref.indirect, 1e-12);
    const jack = mediationJackknife(data);
    jack.forEach((v, i) => expectRel(v, ref.boot.jackknife[i], 1e-9, 1e-9));

    const perc95 = percentileInterval(reps, 0.95)!;
    const perc90 = percentileInterval(reps, 0.9)!;
    perc95.forEach((v, i) => expectRel(v, ref.boot.percentile95[i]));
    perc90.forEach((v, i) => expectRel(v, ref.boot.percentile90[i]));

    const point = mediationPointEstimate(rows).indirect;
    for (const [level, bref] of [[0.95, ref.boot.bca95], [0.9, ref.boot.bca90]] as const) {
      const p = bcaParameters(reps, point, jack, level);
      expectRel(p.z0, bref.z0, 1e-9);
      expectRel(p.acceleration, bref.acceleration, 1e-9);
      expectRel(p.probabilities![0], bref.probabilities[0], 1e-9);
      expectRel(p.probabilities![1], bref.probabilities[1], 1e-9);
      expectRel(p.interval![0], bref.interval[0], 1e-9);
      expectRel(p.interval![1], bref.interval[1], 1e-9);
    }
    // boot's empinf(type = "jack") centres the jackknife values at θ̂ instead of their mean:
    // reproduce its acceleration that way to document the (small) difference.
    const L = Array.from(jack, (v) => point - v);
    const accBoot = L.reduce((s, v) => s + v ** 3, 0) / (6 * L.reduce((s, v) => s + v * v, 0) ** 1.5);
    expectRel(accBoot, ref.boot.empinf_acceleration, 1e-9);
    // boot.ci interpolates differently (norm.inter at (B + 1)p): only close, within 5% of the width.
    const width = ref.boot.boot_ci_perc95[1] - ref.boot.boot_ci_perc95[0];
    expect(Math.abs(perc95[0] - ref.boot.boot_ci_perc95[0])).toBeLessThan(0.05 * width);
    expect(Math.abs(perc95[1] - ref.boot.boot_ci_perc95[1])).toBeLessThan(0.05 * width);
    if (ref.n >= 20) {
      // With n = 8 ("small") boot's θ̂-centred acceleration (0.037 vs Efron's 0.008) moves the
      // upper BCa limit far into the tail, so the loose comparison is only made for larger n.
      const bca95 = bcaParameters(reps, point, jack, 0.95).interval!;
      expect(Math.abs(bca95[0] - ref.boot.boot_ci_bca95[0])).toBeLessThan(0.05 * width);
      expect(Math.abs(bca95[1] - ref.boot.boot_ci_bca95[1])).toBeLessThan(0.05 * width);
    }
  });

  it("sensitivity curve matches the closed form in R and the ML fit at fixed ρ", () => {
    const data = prepareMediationData(rows);
    const s = mediationSensitivity(data, { step: 0.05 });
    expectRel(s.rho_tilde, ref.sensitivity.rho_tilde);
    expectRel(s.sigma_ratio, ref.sensitivity.sigma_ratio);
    ref.sensitivity.rho.forEach((rho, i) => {
      expectRel(sensitivityIndirectAt(s, rho), ref.sensitivity.indirect[i]);
      const onCurve = s.curve.find((p) => Math.abs(p.rho - rho) < 1e-9);
      expect(onCurve).toBeDefined();
      expectRel(onCurve!.indirect, ref.sensitivity.indirect[i]);
    });
    // Independent check of the closed form: ML of the bivariate-normal system at fixed ρ (optim; ~1e-6).
    ref.sensitivity.ml_rho.forEach((rho, i) => {
      expectRel(sensitivityIndirectAt(s, rho), ref.sensitivity.ml_indirect[i], 1e-5);
    });
    // ρ = 0 gives the product-of-coefficients estimate; zero at ρ = ρ̃
    expectRel(sensitivityIndirectAt(s, 0), ref.indirect, 1e-12);
    expect(s.rho_zero).toBe(s.rho_tilde);
    expect(Math.abs(sensitivityIndirectAt(s, s.rho_zero!))).toBeLessThan(1e-12 * Math.abs(ref.indirect));
  });
});

/**
 * Data from the sensitivity model itself: z = M̄ exogenous, ΔM = a + g z + e2,
 * ΔY = c′ + b ΔM + d z + e3, corr(e2, e3 | z) = ρ; then m_from/m_to = M̄ ∓ ΔM/2.
 */
function simulateRows(n: number, seed: number, t: { a: number; b: number; cp: number; rho: number }): MediationRow[] {
  const rng = createRng(seed);
  const rows: MediationRow[] = [];
  for (let i = 0; i < n; i++) {
    const mbar = rng.normal(0.1, 0.15);
    const u = rng.normal();
    const e2 = 0.1 * u;
    const e3 = 3 * (t.rho * u + Math.sqrt(1 - t.rho ** 2) * rng.normal());
    const dm = t.a + 0.3 * (mbar - 0.1) + e2;
    const dy = t.cp + t.b * dm + 2 * (mbar - 0.1) + e3;
    const y0 = rng.normal(20, 5);
    rows.push({ participant_id: `S${i}`, m_from: mbar - dm / 2, m_to: mbar + dm / 2, y_from: y0, y_to: y0 + dy });
  }
  return rows;
}

describe("withinSubjectMediation", () => {
  const rows = loadRows("typical");

  it("returns the point estimates plus bootstrap and sensitivity", () => {
    const r = withinSubjectMediation(rows, { resamples: 2000, seed: 7 });
    const p = mediationPointEstimate(rows);
    expect(r.indirect).toBe(p.indirect);
    expect(r.paths).toEqual(p.paths);
    expect(r.boot.resamples).toBe(2000);
    expect(r.boot.seed).toBe(7);
    expect(r.boot.level).toBe(0.95);
    expect(r.boot.valid).toBe(2000);
    expect(r.boot.bca_label).toBe("BCa (Efron, jackknife acceleration)");
    expect(r.boot.replicates).toBeInstanceOf(Float64Array);
    expect(r.boot.replicates).toHaveLength(2000);
    const [lo, hi] = r.boot.percentile!;
    expect(lo).toBeLessThan(r.indirect);
    expect(hi).toBeGreaterThan(r.indirect);
    expect(r.boot.bca![0]).toBeLessThan(r.boot.bca![1]);
    // SE is the SD of the replicates
    const reps = Array.from(r.boot.replicates);
    const m = reps.reduce((s, v) => s + v, 0) / reps.length;
    const sd = Math.sqrt(reps.reduce((s, v) => s + (v - m) ** 2, 0) / (reps.length - 1));
    expectRel(r.boot.se, sd, 1e-10);
    // same intervals as the generic functions on the returned replicates
    expect(r.boot.percentile).toEqual(percentileInterval(r.boot.replicates, 0.95));
    // default sensitivity grid: −0.9 … 0.9 by 0.01
    expect(r.sensitivity.curve).toHaveLength(181);
    expect(r.sensitivity.curve[0].rho).toBe(-0.9);
    expect(r.sensitivity.curve[180].rho).toBe(0.9);
    expect(r.sensitivity.curve[90].rho).toBe(0);
    expectRel(r.sensitivity.curve[90].indirect, r.indirect, 1e-12);
  });

  it("fused bootstrap loop is bit-identical to the generic bootstrap() with the a·b statistic", () => {
    const data = prepareMediationData(rows);
    const generic = bootstrap(data.dm.length, mediationIndirectStatistic(data), { resamples: 1000, seed: 5 });
    const r = withinSubjectMediation(rows, { resamples: 1000, seed: 5, level: 0.9 });
    expect(Array.from(r.boot.replicates)).toEqual(Array.from(generic.replicates));
    expect(r.boot.se).toBe(generic.se);
    expect(r.boot.percentile).toEqual(percentileInterval(generic.replicates, 0.9));
    expect(r.boot.bca).toEqual(bcaInterval(generic.replicates, r.indirect, mediationJackknife(data), 0.9));
  });

  it("defaults to 5000 resamples, seed 1", () => {
    const r = withinSubjectMediation(rows);
    expect(r.boot.resamples).toBe(5000);
    expect(r.boot.seed).toBe(1);
    expect(r.boot.replicates).toHaveLength(5000);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const r1 = withinSubjectMediation(rows, { resamples: 500, seed: 3 });
    const r2 = withinSubjectMediation(rows, { resamples: 500, seed: 3 });
    const r3 = withinSubjectMediation(rows, { resamples: 500, seed: 4 });
    expect(Array.from(r1.boot.replicates)).toEqual(Array.from(r2.boot.replicates));
    expect(r1.boot.percentile).toEqual(r2.boot.percentile);
    expect(r1.boot.bca).toEqual(r2.boot.bca);
    expect(Array.from(r1.boot.replicates)).not.toEqual(Array.from(r3.boot.replicates));
  });

  it("calls onProgress every 500 resamples", () => {
    const calls: [number, number][] = [];
    withinSubjectMediation(rows, { resamples: 1500, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([
      [500, 1500],
      [1000, 1500],
      [1500, 1500],
    ]);
  });

  it("is JSON-serialisable without NaN and structured-cloneable", () => {
    const r = withinSubjectMediation(rows, { resamples: 200 });
    const json = JSON.stringify(mediationResultForJson(r));
    expect(json).not.toMatch(/NaN|Infinity/);
    const back = JSON.parse(json);
    expect(back.boot.replicates).toBeUndefined();
    expect(back.indirect).toBe(r.indirect);
    expect(back.excluded).toEqual(r.excluded);
    const clone = structuredClone(r);
    expect(Array.from(clone.boot.replicates)).toEqual(Array.from(r.boot.replicates));
  });

  it("recovers the true indirect effect at the true error correlation (sensitivity, simulation)", () => {
    const truth = { a: 0.1, b: -10, cp: -1, rho: 0.5 };
    const sim = simulateRows(100000, 21, truth);
    const s = mediationSensitivity(prepareMediationData(sim));
    const naive = mediationPointEstimate(sim).indirect;
    const atTrue = sensitivityIndirectAt(s, truth.rho);
    // With ρ = 0.5 the naive b is biased upwards by ρ σ3/σ2 = 15; the sensitivity value is not.
    expect(Math.abs(naive - truth.a * truth.b)).toBeGreaterThan(1);
    expect(atTrue).toBeCloseTo(truth.a * truth.b, 1);
  });
});

describe("missing data and errors", () => {
  const base = loadRows("typical").slice(0, 10);

  it("lists every excluded participant with the missing session/measure", () => {
    const rows: MediationRow[] = [
      ...base,
      { participant_id: "X1", m_from: null, m_to: 0.2, y_from: 10, y_to: 9 },
      { participant_id: "X2", m_from: 0.1, m_to: 0.2, y_from: 10, y_to: null },
      { participant_id: "X3", m_from: 0.1, m_to: Number.NaN, y_from: null, y_to: 9 },
    ];
    const r = mediationPointEstimate(rows);
    expect(r.n).toBe(base.filter((b) => b.m_from !== null && b.m_to !== null && b.y_from !== null && b.y_to !== null).length);
    const x = r.excluded.filter((e) => e.participant_id.startsWith("X"));
    expect(x).toEqual([
      { participant_id: "X1", reason: "missing m_from (mediator, earlier session)" },
      { participant_id: "X2", reason: "missing y_to (outcome, later session)" },
      {
        participant_id: "X3",
        reason: "missing m_to (mediator, later session), y_from (outcome, earlier session)",
      },
    ]);
    // fixture: P004 lacks m_to, P011 lacks y_from
    expect(r.excluded.find((e) => e.participant_id === "P004")?.reason).toMatch(/m_to/);
  });

  it("throws a clear error with fewer than 3 complete participants", () => {
    const rows: MediationRow[] = [
      { participant_id: "A", m_from: 0.1, m_to: 0.2, y_from: 10, y_to: 9 },
      { participant_id: "B", m_from: 0.2, m_to: 0.25, y_from: 12, y_to: 9 },
      { participant_id: "C", m_from: 0.3, m_to: null, y_from: 11, y_to: 10 },
    ];
    expect(() => mediationPointEstimate(rows)).toThrow(
      /at least 3 participants with all four values.*got 2 complete of 3.*C \(missing m_to/,
    );
    expect(() => withinSubjectMediation([])).toThrow(/at least 3 participants/);
  });

  it("throws on a singular regression (ΔM constant)", () => {
    const rows: MediationRow[] = [0, 1, 2, 3, 4].map((i) => ({
      participant_id: `P${i}`,
      m_from: i / 10,
      m_to: i / 10 + 0.05,
      y_from: 10 + i,
      y_to: 9 + i * i,
    }));
    expect(() => mediationPointEstimate(rows)).toThrow(/singular/);
  });

  it("with exactly 3 participants returns estimates and null SEs (0 residual df)", () => {
    const rows = base.filter((b) => b.m_to !== null && b.y_from !== null).slice(0, 3);
    const r = withinSubjectMediation(rows, { resamples: 300 });
    expect(r.n).toBe(3);
    expect(r.paths.b.se).toBeNull();
    expect(r.paths.b.p).toBeNull();
    expect(r.sobel_se).toBeNull();
    expect(r.residual_sd).toBeNull();
    expect(r.paths.a.se).not.toBeNull();
    // most resamples repeat a participant and are singular (NaN): only permutations are valid
    expect(r.boot.valid).toBeLessThan(300);
    expect(r.boot.valid).toBeGreaterThan(0);
    const line = mediationLine(r.line_model, { points: 3 });
    expect(line[0].lo).toBeNull();
    expect(JSON.stringify(mediationResultForJson(r))).not.toMatch(/NaN/);
  });

  it("validates the sensitivity grid", () => {
    const data = prepareMediationData(base.filter((b) => b.m_to !== null && b.y_from !== null));
    expect(() => mediationSensitivity(data, { from: -1 })).toThrow(/−1 < from/);
    expect(() => mediationSensitivity(data, { step: 0 })).toThrow(/step/);
    expect(mediationSensitivity(data, { step: 0.3 }).curve.map((p) => p.rho)).toEqual([
      -0.9, -0.6, -0.3, 0, 0.3, 0.6, 0.9,
    ]);
  });
});

describe("mediationPoints", () => {
  it("gives each complete patient's changes (later − earlier) and leaves out any row missing a value", () => {
    const rows = [
      { participant_id: "A", m_from: 0.1, m_to: 0.35, y_from: 30, y_to: 18 },
      { participant_id: "B", m_from: 0.2, m_to: null, y_from: 28, y_to: 20 },
      { participant_id: "C", m_from: -0.1, m_to: -0.3, y_from: 25, y_to: 27 },
      { participant_id: "D", m_from: 0, m_to: 0.1, y_from: null, y_to: 12 },
    ];
    const points = mediationPoints(rows);
    expect(points.map((p) => p.participant_id)).toEqual(["A", "C"]);
    expect(points[0].dM).toBeCloseTo(0.25, 12);
    expect(points[0].dY).toBe(-12);
    expect(points[1].dM).toBeCloseTo(-0.2, 12);
    expect(points[1].dY).toBe(2);
  });
});
