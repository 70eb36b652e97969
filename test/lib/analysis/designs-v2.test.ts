/**
 * Studies of every design (one group or three, one session or three, positive and negative events,
 * with and without demographics and a clinical scale) against R: scoring, the least-squares learning
 * rates (lm) and the design's default mixed model (lme4 + lmerTest). Fixtures: test/r/designs_v2_reference.R.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { loadStudyFromDir } from "../../../src/lib/study/load.js";
import { analyzeStudy, designOf } from "../../../src/lib/analysis/pipeline.js";
import { defaultParams } from "../../../src/lib/analysis/params.js";

const ROOT = "test/fixtures/designs-v2";

interface Reference {
  design: string;
  formula: string;
  n_scored: number;
  fits: { participant_id: string; session: string; alpha_good: number; alpha_bad: number }[];
  lmm: { fixed: { term: string; estimate: number; se: number; df: number; t: number; p: number }[]; participant_sd: number; residual_sd: number; reml_criterion: number; n_obs: number };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe.each(readdirSync(ROOT).filter((d) => !d.endsWith(".ts")))("design %s", (name) => {
  test("scores, fits and the default mixed model equal R's", async () => {
    const ref: Reference = JSON.parse(readFileSync(`${ROOT}/${name}/reference.json`, "utf8"));
    const study = await loadStudyFromDir(`${ROOT}/${name}`);
    const result = analyzeStudy(study, { ...defaultParams(designOf(study)), boot: 0 });
    expect(result.scored.counts.scored).toBe(ref.n_scored);
    // Least squares per participant-session, to rounding.
    const fits = new Map(result.fit.fits.map((f) => [`${f.participant_id}|${f.session}`, f]));
    expect(fits.size).toBe(ref.fits.length);
    for (const r of ref.fits) {
      const f = fits.get(`${r.participant_id}|${r.session}`)!;
      expect(Math.abs(f.alpha_good! - r.alpha_good)).toBeLessThan(1e-10);
      expect(Math.abs(f.alpha_bad! - r.alpha_bad)).toBeLessThan(1e-10);
    }
    // The design's own formula, fitted as lme4 + lmerTest fit it.
    const lmm = result.lmm;
    expect(lmm.error).toBeNull();
    expect(lmm.formula).toBe(ref.formula);
    expect(lmm.n_obs).toBe(ref.lmm.n_obs);
    expect(lmm.fixed!.map((f) => f.term)).toEqual(ref.lmm.fixed.map((f) => f.term));
    const singular = lmm.singular!;
    lmm.fixed!.forEach((f, i) => {
      const r = ref.lmm.fixed[i];
      expect(rel(f.estimate, r.estimate), f.term).toBeLessThan(1e-6);
      expect(rel(f.se, r.se), f.term).toBeLessThan(1e-5);
      // A singular fit's df are lmerTest's numerical derivatives at the boundary: looser.
      expect(rel(f.df!, r.df), f.term).toBeLessThan(singular ? 1e-2 : 1e-3);
    });
    expect(rel(lmm.random!.residual_sd, ref.lmm.residual_sd)).toBeLessThan(1e-6);
    expect(Math.abs(lmm.reml_criterion! - ref.lmm.reml_criterion)).toBeLessThan(1e-6);
  });
});
