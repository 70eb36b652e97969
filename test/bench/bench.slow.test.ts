/**
 * `belief-kit bench` as a user runs it (the compiled bin): its JSON document, every phase at every
 * size, memory per size, and the whole `belief-kit analyze` process per size. In `npm run test:slow`.
 */
import { describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";

describe("belief-kit bench", () => {
  test("--json: medians and spread of every phase, per size, with memory figures of each size", () => {
    const r = spawnSync(process.execPath, ["dist-cli/belief-kit.js", "bench", "--large", "100", "--runs", "3", "--process-runs", "3", "--json"], { encoding: "utf8", timeout: 170000 });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.node).toBe(process.version);
    const sizes = ["bundled", "100 participants"];
    for (const size of sizes) {
      const phases = doc.timings.filter((t: { size: string }) => t.size === size).map((t: { phase: string }) => t.phase);
      const vb = ["vb-exp-asymmetry", "vb-signed-asymmetry", "vb-single", "vb-ee-scaled"];
      expect(phases.slice(17, 21)).toEqual(vb.map((m) => expect.stringMatching(new RegExp(`^fit ${m} \\(variational Laplace, \\d+ sessions\\)$`))));
      expect(phases.slice(0, 17).concat(phases.slice(21))).toEqual([
        "load and validate (parse CSV, check)",
        "scoring (one pass: counts, sufficient statistics, cells)",
        "fit single (flat ML)",
        "fit valence (flat ML)",
        "fit scaling-asymmetry (flat ML)",
        "fit ee-weighted (flat ML)",
        "fit all models + comparison (flat ML)",
        "describe (update cells, group means)",
        "mixed model (REML + Satterthwaite df)",
        "mediation with 5000 resamples",
        "full re-analysis (slider change, flat fits, 5,000 resamples)",
        "full re-analysis without bootstrap",
        "fit single (hierarchical EM)",
        "fit valence (hierarchical EM)",
        "fit scaling-asymmetry (hierarchical EM)",
        "fit ee-weighted (hierarchical EM)",
        "full re-analysis, hierarchical",
        "Bayesian model selection (overall, group x session, families)",
      ]);
    }
    for (const t of doc.timings) {
      expect(t.runs).toBeGreaterThanOrEqual(3);
      expect(t.min_ms).toBeLessThanOrEqual(t.median_ms);
      expect(t.median_ms).toBeLessThanOrEqual(t.max_ms);
    }
    expect(doc.memory.map((m: { size: string }) => m.size)).toEqual(sizes);
    for (const m of doc.memory) {
      expect(m.baseline_rss_mb).toBeGreaterThan(0);
      expect(m.loaded_rss_mb).toBeGreaterThanOrEqual(m.baseline_rss_mb * 0.5);
      expect(m.peak_rss_mb).toBeGreaterThanOrEqual(m.loaded_rss_mb);
      expect(m.timing_peak_rss_mb).toBeGreaterThan(0);
    }
    // The whole process a user waits for, per size, with its own breakdown.
    expect(doc.whole_process.map((w: { size: string }) => w.size)).toEqual(sizes);
    for (const w of doc.whole_process) {
      expect(w.command).toMatch(/^belief-kit analyze \S+ --json > analysis\.json$/);
      expect(w.runs).toBe(3);
      expect(w.min_ms).toBeLessThanOrEqual(w.median_ms);
      expect(w.median_ms).toBeLessThanOrEqual(w.max_ms);
      expect(w.phases.map((p: { phase: string }) => p.phase)).toEqual(["node start and loading the modules", "read the study folder", "parse and validate", "analysis", "analysis document", "JSON", "write stdout"]);
      const sum = w.phases.reduce((s: number, p: { ms: number }) => s + p.ms, 0);
      expect(sum).toBeLessThanOrEqual(w.max_ms + 10);
    }
    // lme4 is optional: when present, one comparison per size on the same rows.
    for (const l of doc.lmer) {
      expect(sizes).toContain(l.size);
      expect(l.ratio).toBeCloseTo(l.lmer_ms / l.kit_ms, 6);
    }
    // The mixed models timed beside lmer (lmer columns null without R), per size.
    expect(new Set(doc.mixed.map((m: { size: string }) => m.size))).toEqual(new Set(sizes));
    for (const m of doc.mixed) {
      expect(m.n_obs).toBeGreaterThan(0);
      expect(m.ours_ms).toBeGreaterThan(0);
      if (m.lmer_ms !== null) expect(m.ratio).toBeCloseTo(m.lmer_ms / m.ours_ms, 6);
    }
    // The bundled study's power engine and report build.
    expect(doc.power.studies).toBe(1000);
    expect(doc.power.ms_per_study).toBeCloseTo(doc.power.ms / 1000, 9);
    expect(doc.report.total_ms).toBeGreaterThanOrEqual(doc.report.analysis_ms);
  }, 180000);
});
