/**
 * Random-effects BMS against VBA_groupBMC itself (fixture written by test/octave/make_bmc_fixtures.m).
 * Exceedance probabilities: two models exact (beta CDF) against Octave's betainc to 1e-6; more models are Monte
 * Carlo on both sides, so ours is compared with the quadrature reference within 4 Monte Carlo standard errors
 * (4 sqrt(ep (1 - ep) / 1e5) + 3e-5 <= 0.0064), and VBA's own Monte Carlo estimate is checked the same way.
 */
import { describe, expect, test } from "vitest";
import { groupBMC, groupBMCByCell, invertSession, type LabelledEvidence } from "../../../../src/lib/models/bayes/index.js";
import { flat, readFixture, sessionInput, type VlFixture } from "./fixtures.js";

interface FamilyRef {
  a: number | number[];
  r: number[] | number[][];
  Ef: number | number[];
  Vf: number | number[];
  ep_vba_mc: number | number[];
  ep_exact: number | number[];
  F0: number;
  Fffx: number;
}
interface BmcCase {
  name: string;
  L: number[] | number[][];
  families: (number | number[])[];
  a: number[];
  r: number[] | number[][];
  Ef: number[];
  Vf: number[];
  ep_vba_mc: number[];
  ep_exact: number[];
  F: number | number[];
  F0: number;
  bor: number;
  Fffx: number;
  pxp: number[];
  prior_a: number[];
  fam: FamilyRef | [];
  group?: string;
  session?: string;
  subjects?: string[];
  models?: string[];
}
const fx = readFixture<{ meta: Record<string, string>; cases: BmcCase[]; study: BmcCase[] }>("bmc.json");

/** L as models x subjects (Octave writes a K x 1 matrix as a flat vector). */
const matrix = (x: number[] | number[][], K: number): number[][] =>
  Array.isArray(x[0]) ? (x as number[][]) : (x as number[]).length === K ? (x as number[]).map((v) => [v]) : [x as number[]];

const SAMPLES = 1e5;
/** 4 binomial standard errors, plus 3 counts in 1e5 for probabilities too small for the normal approximation. */
const mcTol = (p: number) => 4 * Math.sqrt((p * (1 - p)) / SAMPLES) + 3 / SAMPLES;

function families(c: BmcCase): Record<string, number[]> | undefined {
  if (!c.families.length) return undefined;
  const out: Record<string, number[]> = {};
  c.families.forEach((f, i) => (out[`f${i + 1}`] = flat(f).map((k) => k - 1)));
  return out;
}

function check(c: BmcCase, res: ReturnType<typeof groupBMC>): void {
  const K = c.a.length ?? 1;
  const close = (x: number[], ref: number[], tol: number) => x.forEach((v, i) => expect(Math.abs(v - ref[i]), `${c.name}[${i}]`).toBeLessThan(tol));
  close(res.prior_counts, flat(c.prior_a), 1e-15);
  close(res.alpha, flat(c.a), 1e-6);
  close(res.frequency, flat(c.Ef), 1e-6);
  close(res.frequency_variance, flat(c.Vf), 1e-6);
  close(res.assignments.flat(), matrix(c.r, K).flat(), 1e-6);
  close(res.F_trace, flat(c.F), 1e-6);
  expect(Math.abs(res.F0 - c.F0)).toBeLessThan(1e-6);
  expect(Math.abs(res.F_ffx - c.Fffx)).toBeLessThan(1e-6);
  expect(Math.abs(res.bor - c.bor)).toBeLessThan(1e-6);
  const exact = flat(c.ep_exact);
  const vba = flat(c.ep_vba_mc);
  if (K === 2) {
    expect(res.exceedance_method).toBe("exact-beta");
    close(res.exceedance, exact, 1e-6);
  } else {
    expect(res.exceedance_method).toBe("monte-carlo");
    expect(res.exceedance_samples).toBe(SAMPLES);
    res.exceedance.forEach((e, k) => expect(Math.abs(e - exact[k]), `${c.name} ep[${k}]`).toBeLessThan(mcTol(exact[k])));
  }
  vba.forEach((e, k) => expect(Math.abs(e - exact[k]), `VBA's own ep[${k}] (${c.name})`).toBeLessThan(mcTol(exact[k])));
  if (!c.families.length) {
    const pxp = res.protected_exceedance!;
    // VBA's pxp is its Monte Carlo ep protected by bor: equal to ours with the exact ep to 1e-6, within MC error else.
    const pxpExact = exact.map((e) => e * (1 - c.bor) + c.bor / K);
    if (K === 2) close(pxp, pxpExact, 1e-6);
    pxp.forEach((v, k) => expect(Math.abs(v - flat(c.pxp)[k])).toBeLessThan(mcTol(exact[k]) + mcTol(vba[k])));
  } else {
    expect(res.protected_exceedance).toBeNull();
    const f = c.fam as FamilyRef;
    const fam = res.families!;
    const nf = flat(f.a).length;
    close(fam.alpha, flat(f.a), 1e-6);
    close(fam.frequency, flat(f.Ef), 1e-6);
    close(fam.frequency_variance, flat(f.Vf), 1e-6);
    close(fam.assignments.flat(), matrix(f.r, nf).flat(), 1e-6);
    expect(Math.abs(fam.F0 - f.F0)).toBeLessThan(1e-6);
    expect(Math.abs(fam.F_ffx - f.Fffx)).toBeLessThan(1e-6);
    const fexact = flat(f.ep_exact);
    if (nf === 2) close(fam.exceedance, fexact, 1e-6);
    else fam.exceedance.forEach((e, k) => expect(Math.abs(e - fexact[k])).toBeLessThan(mcTol(fexact[k])));
    close(fam.protected_exceedance, fam.exceedance.map((e) => e * (1 - res.bor) + res.bor / nf), 1e-15);
  }
}

describe("groupBMC vs VBA_groupBMC", () => {
  test.each(fx.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const K = c.a.length;
    check(c, groupBMC(matrix(c.L, K), { families: families(c) }));
  });
});

describe("groupBMCByCell on the bundled study's free energies (kit priors), per group x session", () => {
  const study = readFixture<VlFixture>("vl-study.json");
  test("cells, subjects and results match VBA_groupBMC run per cell", () => {
    const rows: LabelledEvidence[] = [];
    for (const c of fx.study) {
      const L = matrix(c.L, c.models!.length);
      c.models!.forEach((m, k) => c.subjects!.forEach((s, i) => rows.push({ subject: s, model: m, log_evidence: L[k][i], group: c.group, session: c.session })));
    }
    const cells = groupBMCByCell(rows);
    expect(cells.map((c) => `${c.group}/${c.session}`)).toEqual(fx.study.map((c) => `${c.group}/${c.session}`));
    cells.forEach((cell, j) => {
      expect(cell.subjects).toEqual(fx.study[j].subjects);
      expect(cell.excluded).toEqual([]);
      check(fx.study[j], cell.result);
    });
  });

  test("the kit's own free energies reproduce VBA's log-evidence matrices (to 1e-9)", () => {
    const byKey = new Map(study.sessions.map((s, i) => [`${s.participant_id}|${s.session}`, i]));
    for (const c of fx.study) {
      const L = matrix(c.L, c.models!.length);
      c.models!.forEach((m, k) =>
        c.subjects!.forEach((s, i) => {
          const idx = byKey.get(`${s}|${c.session}`)!;
          expect(Math.abs(invertSession(sessionInput(study.sessions[idx]), m, "kit").F - L[k][i])).toBeLessThan(1e-9);
        }),
      );
    }
  });
});
