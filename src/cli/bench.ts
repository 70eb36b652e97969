/**
 * npm run bench -- [--study data/ketamine-trd] [--large 10000|0] [--runs 15] [--json]
 *
 * Times each phase of the analysis separately and as one pipeline, after a warm-up, and prints
 * medians and spread (min, max). With --large N (default 10000; 0 skips) it also simulates a cohort
 * of N participants with the bundled design and times the same phases on it. When R with lme4 is
 * installed, the mixed model is also fitted by lme4::lmer on the same rows in the same run
 * (test/bench/lmer_time.R) and the ratio is printed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateStudy } from "../lib/validate.js";
import { readStudyFiles } from "../lib/study.js";
import { scoreTrials } from "../lib/scoring.js";
import { fitAll, MODELS } from "../lib/models/index.js";
import { defaultParams } from "../lib/params.js";
import { analyzeStudy, describePhase, lmmPhase, mediationPhase, scorePhase, fitPhase, sessionsByGroup } from "../lib/pipeline.js";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../lib/simulate.js";
import type { Study } from "../lib/types.js";
import { intFlag, parseArgs, runMain, stringFlag } from "./args.js";
import { toCsv } from "../lib/csv.js";

interface Timing {
  size: string;
  phase: string;
  runs: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
}

function time(size: string, phase: string, runs: number, fn: () => unknown, warmup = 2): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  const median = t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
  return { size, phase, runs, median_ms: median, min_ms: t[0], max_ms: t[t.length - 1] };
}

function benchStudy(size: string, files: Record<string, string>, runs: number, heavyRuns: number): { timings: Timing[]; study: Study } {
  const out: Timing[] = [];
  const v = validateStudy(files);
  if (!v.study) throw new Error(`${size}: study does not validate`);
  const study = v.study;
  const params = defaultParams(study.meta, sessionsByGroup(study));
  out.push(time(size, "load and validate (parse CSV, check)", heavyRuns, () => validateStudy(files), 1));
  out.push(time(size, "scoring", runs, () => scoreTrials(study.trials)));
  const scored = scorePhase(study, params);
  const groupOf = new Map(study.participants.map((p) => [p.participant_id, p.group]));
  for (const m of MODELS) out.push(time(size, `fit ${m} (flat ML)`, runs, () => fitAll(scored.trials, { model: m })));
  for (const m of MODELS) out.push(time(size, `fit ${m} (hierarchical EM)`, heavyRuns, () => fitAll(scored.trials, { model: m, hierarchical: true, groupOf }), 1));
  const fit = fitPhase(scored, study, params);
  const describe = describePhase(scored, study);
  out.push(time(size, "mixed model (REML + Satterthwaite df)", runs, () => lmmPhase(scored, describe.cells, study, params)));
  out.push(time(size, `mediation with ${params.boot} resamples`, runs, () => mediationPhase(fit.fits, study, params)));
  out.push(time(size, "full re-analysis (slider change, flat fits, 5,000 resamples)", runs, () => analyzeStudy(study, params)));
  out.push(time(size, "full re-analysis without bootstrap", runs, () => analyzeStudy(study, params, { bootstrap: false })));
  out.push(time(size, "full re-analysis, hierarchical", heavyRuns, () => analyzeStudy(study, { ...params, hier: true }), 1));
  return { timings: out, study };
}

/** lme4::lmer on the same cell rows, timed inside R; null when R or lme4 is missing. */
function lmerTime(study: Study, size: string): { seconds: number; n_obs: number } | null {
  const probe = spawnSync("Rscript", ["-e", "quit(status = !requireNamespace('lme4', quietly = TRUE))"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return null;
  const params = defaultParams(study.meta, sessionsByGroup(study));
  const scored = scorePhase(study, params);
  const d = describePhase(scored, study);
  const demo = new Map(study.participants.map((p) => [p.participant_id, p]));
  const rows = d.cells.filter((c) => params.lmm.includes(c.session)).map((c) => [c.participant_id, c.group, c.session, c.valence, c.update, demo.get(c.participant_id)!.age, demo.get(c.participant_id)!.education_years]);
  const dir = mkdtempSync(join(tmpdir(), "buk-bench-"));
  const csv = join(dir, `${size}.csv`);
  writeFileSync(csv, toCsv(["participant_id", "group", "session", "valence", "update", "age", "education"], rows));
  const script = new URL("../../test/bench/lmer_time.R", import.meta.url).pathname;
  const r = spawnSync("Rscript", [script, csv, study.meta.groups.reference, params.lmm.join(",")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`lmer benchmark failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { values: ["study", "large", "runs"], booleans: ["json"] });
  const runs = intFlag(args, "runs", 15, 3, 1000);
  const large = intFlag(args, "large", 10000, 0, 1_000_000);
  const dir = stringFlag(args, "study") ?? "data/ketamine-trd";
  const json = Boolean(args.flags.get("json"));
  const log = (s: string) => process.stderr.write(s + "\n");
  const timings: Timing[] = [];
  const lmer: { size: string; kit_ms: number; lmer_ms: number; ratio: number; n_obs: number }[] = [];
  const memory: { size: string; peak_rss_mb: number }[] = [];

  const sizes: [string, Record<string, string>][] = [["bundled", (await readStudyFiles(dir)) as Record<string, string>]];
  if (large > 0) {
    log(`simulating a cohort of ${large} participants…`);
    const nT = Math.round((large * 26) / 56);
    const sim = simulateStudy({ ...DEFAULT_CONFIG, nTreatment: nT, nReference: large - nT, meta: { ...DEFAULT_CONFIG.meta, id: `sim-${large}` } });
    sizes.push([`${large} participants`, studyToFiles(sim.study)]);
  }
  for (const [size, files] of sizes) {
    log(`benchmarking ${size}…`);
    const heavy = size === "bundled" ? runs : Math.max(3, Math.round(runs / 3));
    const { timings: t, study } = benchStudy(size, files, size === "bundled" ? runs : Math.max(5, Math.round(runs / 2)), heavy);
    timings.push(...t);
    memory.push({ size, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) });
    const kit = t.find((x) => x.phase.startsWith("mixed model"))!;
    const r = lmerTime(study, size.replace(/\W+/g, "-"));
    if (r) lmer.push({ size, kit_ms: kit.median_ms, lmer_ms: r.seconds * 1000, ratio: (r.seconds * 1000) / kit.median_ms, n_obs: r.n_obs });
    else log("R with lme4 not found: lmer comparison skipped (apt-get install r-cran-lme4)");
  }
  if (json) {
    process.stdout.write(JSON.stringify({ node: process.version, timings, lmer, memory }, null, 2) + "\n");
    return;
  }
  const rows = timings.map((t) => [t.size, t.phase, t.median_ms.toFixed(2), t.min_ms.toFixed(2), t.max_ms.toFixed(2), String(t.runs)]);
  const header = ["size", "phase", "median ms", "min", "max", "runs"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  for (const l of lmer) console.log(`\nmixed model, ${l.size} (${l.n_obs} rows): kit ${l.kit_ms.toFixed(1)} ms, lme4::lmer ${l.lmer_ms.toFixed(1)} ms, lmer/kit = ${l.ratio.toFixed(1)}×`);
  for (const m of memory) console.log(`peak memory after ${m.size}: ${m.peak_rss_mb} MB (resident set)`);
  if (!existsSync("/usr/bin/Rscript") && !lmer.length) console.log("(lme4 timing skipped: R not installed)");
});
