/**
 * The R reproduction bundle, run: for the bundled studies, the simulated designs of the format's tests,
 * a design freshly drawn from the simulator, and other options (random slopes and event intercepts at
 * trial level, the EE-weighted model), reproduce.R is written with its CSV files into a temporary folder
 * and run with Rscript; every number it prints beside the kit's must agree to the tolerances of the
 * kit's reference tests. Skipped, with a message, where Rscript (with lme4 and lmerTest) is missing, and
 * under CI=true (CI runs none of R). BUK_TEST_LOGS=1 prints the largest relative difference per quantity.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { describe, expect, test } from "vitest";
import type { AnalysisDocument, DesignDocument } from "../../../src/lib/analysis/report.js";
import { analysisRBundle } from "../../../src/lib/report/r-script.js";
import { designRBundle } from "../../../src/lib/report/r-design.js";
import { simulateDesign } from "../../../src/lib/task/simulate-design.js";
import { BUNDLED, SIMULATED, analyse } from "./helpers.js";

function rAvailable(): string | null {
  if (process.env.CI) return "CI runs none of R (CI is set)";
  const r = spawnSync("Rscript", ["-e", "suppressPackageStartupMessages({library(lme4); library(lmerTest)}); cat('ok')"], { encoding: "utf8" });
  if (r.error) return "Rscript not found";
  if (r.status !== 0 || !r.stdout.includes("ok")) return `R lacks lme4/lmerTest: ${r.stderr.trim().split("\n").pop()}`;
  return null;
}
const missing = rAvailable();
if (missing) process.stderr.write(`test/lib/report/reproduce-r.test.ts: skipped (${missing}); install R with lme4 and lmerTest to run it\n`);

interface Row {
  quantity: string;
  item: string;
  kit: number | null;
  R: number | null;
  abs_diff: number | null;
  rel_diff: number | null;
}

/**
 * Tolerances (as the reference tests): learning rates, cells, mediation and its bootstrap to rounding
 * (test/lib/analysis/designs-v2.test.ts, test/lib/mediation); the random-intercept model as
 * designs-v2.test.ts / lmm.test.ts (estimates 1e-6, SE and t 1e-5, df 1e-3, p 1e-4 relative, REML
 * criterion 1e-6 absolute); models with more variance parameters as test/lib/lmm/mixed.test.ts
 * (estimates and SEs 1e-6 of the SE, t 1e-5, df and F 1e-3, variance components 1e-4).
 */
function tolerance(q: string, general: boolean): { abs?: number; rel?: number } {
  if (q === "scoring" || q === "cells" || q.startsWith("fits ") || q.startsWith("learning-rate") || q === "response CI") return { abs: 1e-10 };
  if (q === "summed BIC") return { rel: 1e-12 };
  if (q.startsWith("mediation")) return { rel: 1e-9, abs: 1e-12 };
  if (q === "lmm estimate" || q === "model estimate" || q === "lmm ci_low" || q === "lmm ci_high" || q === "model ci") return general ? { abs: 1e-5 } : { rel: 1e-6, abs: 1e-9 };
  if (q === "lmm se" || q === "lmm t" || q === "model se" || q === "model t") return { rel: 1e-5 };
  if (q === "lmm df" || q === "model df" || q.startsWith("anova")) return { rel: 1e-3 };
  if (q === "lmm p" || q === "model p") return { rel: general ? 1e-3 : 1e-4, abs: 1e-12 };
  if (q === "lmm fit") return { rel: general ? 1e-9 : 1e-12, abs: 1e-6 };
  if (q === "lmm varcorr") return { rel: general ? 1e-4 : 1e-6 };
  return { rel: 1e-9, abs: 1e-12 };
}

const largest = new Map<string, number>();

function runBundle(files: Record<string, string>, general: boolean, label: string): Row[] {
  const dir = mkdtempSync(join(tmpdir(), "buk-reproduce-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const out = execFileSync("Rscript", [join(dir, "reproduce.R")], { encoding: "utf8", maxBuffer: 32 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toContain("Largest differences between the kit and R");
    const rows = csvParse(readFileSync(join(dir, "reproduce_check.csv"), "utf8")).map((r) => ({
      quantity: r.quantity!,
      item: r.item!,
      kit: r.kit === "" ? null : Number(r.kit),
      R: r.R === "" ? null : Number(r.R),
      abs_diff: r.abs_diff === "" ? null : Number(r.abs_diff),
      rel_diff: r.rel_diff === "" ? null : Number(r.rel_diff),
    }));
    for (const r of rows) {
      const what = `${label}: ${r.quantity} ${r.item}: kit ${r.kit}, R ${r.R}`;
      expect(r.kit === null, `${what} (one is missing)`).toBe(r.R === null);
      if (r.abs_diff === null) continue;
      const tol = tolerance(r.quantity, general);
      const okAbs = tol.abs !== undefined && r.abs_diff <= tol.abs;
      const okRel = tol.rel !== undefined && r.rel_diff! <= tol.rel;
      expect(okAbs || okRel, `${what}, difference ${r.abs_diff} (relative ${r.rel_diff})`).toBe(true);
      const key = r.quantity.replace(/, type \d/, "");
      largest.set(key, Math.max(largest.get(key) ?? 0, r.rel_diff ?? 0));
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases: [string, string, boolean][] = [
  ...BUNDLED.map((d): [string, string, boolean] => [d, "", false]),
  ...SIMULATED.map((d): [string, string, boolean] => [d, "boot=500", false]),
  ["data/ketamine-trd", "model=ee-weighted&level=trials&re=slope-event&boot=300&seed=9", true],
];

describe.skipIf(missing !== null)("reproduce.R reruns the kit's numbers in R", () => {
  test.each(cases)("%s %s", async (dir, query, general) => {
    const { study, result, doc } = await analyse(dir, query);
    const files = result ? analysisRBundle(study, result, doc as AnalysisDocument).files : designRBundle(doc as DesignDocument).files;
    const rows = runBundle(files, general, `${dir} ${query}`);
    const quantities = new Set(rows.map((r) => r.quantity));
    if (result) {
      expect(quantities).toContain("lmm estimate");
      expect(quantities).toContain("fits alpha_good");
      if ((doc as AnalysisDocument).mediation.paths) expect(quantities).toContain("mediation bootstrap");
    } else expect(quantities).toContain("model estimate");
  }, 120000);

  test("a design drawn from the simulator now (two groups, three sessions, positive events, clinical scores)", async () => {
    const sim = simulateDesign({
      id: "sim-report",
      seed: 2024,
      groups: [{ label: "HC", n: 20 }, { label: "MDD", n: 18 }],
      sessions: ["t0", "t1", "t2"],
      positiveEvents: 12,
      clinical: { name: "BDI", min: 0, max: 63, baseline: { mean: 20, sd: 6 }, link: -8 },
    }).study;
    const { study, result, doc } = await analyse(sim, "boot=400&seed=5");
    const rows = runBundle(analysisRBundle(study, result!, doc as AnalysisDocument).files, false, "simulated");
    expect(rows.some((r) => r.quantity === "mediation bootstrap")).toBe(true);
    if (process.env.BUK_TEST_LOGS) process.stdout.write(`largest relative differences kit vs R: ${JSON.stringify(Object.fromEntries(largest))}\n`);
  }, 120000);
});
