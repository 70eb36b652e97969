/**
 * belief-kit bench [--study data/ketamine-trd] [--large 10000|0] [--runs 15] [--process-runs 5] [--json]
 *
 * Times each phase of the analysis separately and as one pipeline, after a warm-up, and prints
 * medians and spread (min, max). With --large N (default 10000; 0 skips) it also simulates a cohort
 * of N participants with the bundled design, writes it as a study folder and times the same phases
 * on it. When R with lme4 is installed, the mixed model is also fitted by lme4::lmer on the same rows
 * in the same run (test/bench/lmer_time.R) and the ratio is printed.
 *
 * Every size runs in its own child processes, so that memory figures belong to one size (and every
 * phase is timed from a collected heap: the children run with --expose-gc):
 *   - a timing process (load, then every phase many times) reports its peak resident set;
 *   - a memory process does what a user does once -- read the folder, validate, one full analysis
 *     (flat fits, 5,000 resamples) -- and reports its resident set before loading, after loading
 *     and at its peak.
 * "Full re-analysis" is exactly what a slider change triggers on a loaded, validated study:
 * analyzeStudy(study, params) = score, fit all models and compare, describe, mixed model, mediation
 * with 5,000 resamples. Nothing is cached between runs (every run scores from the trials again).
 *
 * "Whole process" is what a user waits for: `belief-kit analyze <dir> --json > file` with the
 * compiled bin (dist-cli/belief-kit.js), from the spawn of Node to its exit, output written to a
 * file; the breakdown is that command's own --timings of the median run.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateStudy } from "../../lib/study/validate/index.js";
import { loadStudyFromDir, readStudyFiles } from "../../lib/study/load.js";
import { BAYES_KIT_MODELS, type BayesKitModelName } from "../../lib/models/names.js";
import { bayesModelSelection, bayesSessions, fitBayesModel } from "../../lib/models/bayes-fits.js";
import type { ModelFit } from "../../lib/models/types.js";
import { benchPower } from "../../lib/power/index.js";
import { benchMixed, type MixedTiming } from "../bench-mixed.js";
import { buildStudyReport } from "../report-build.js";
import { LS_MODELS } from "../../lib/models/index.js";
import { defaultParams } from "../../lib/analysis/params.js";
import { analyzeStudy, describePhase, lmmPhase, mediationPhase, scorePhase, fitPhase, designOf } from "../../lib/analysis/pipeline.js";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../../lib/task/simulate.js";
import type { Study } from "../../lib/study/types.js";
import { intFlag, stringFlag, type ParsedArgs } from "../args.js";
import type { Command, RunContext } from "../command.js";
import { DEFAULT_STUDY, packageRoot } from "../common.js";
import { toCsv } from "../../lib/study/csv.js";

interface Timing {
  size: string;
  phase: string;
  runs: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
}

interface Lmer {
  size: string;
  kit_ms: number;
  lmer_ms: number;
  ratio: number;
  n_obs: number;
}

interface WholeProcess {
  size: string;
  /** What was run (the study folder abbreviated to its name). */
  command: string;
  runs: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  /** The command's own --timings in the median run: where the time went. */
  phases: { phase: string; ms: number }[];
}

interface Memory {
  size: string;
  /** Resident set of the memory process before reading the study (Node, the kit's modules). */
  baseline_rss_mb: number;
  /** ... after reading and validating the study folder. */
  loaded_rss_mb: number;
  /** Peak resident set of the memory process: read, validate, one full analysis. */
  peak_rss_mb: number;
  /** Peak resident set of the timing process (every phase, many runs). */
  timing_peak_rss_mb: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Collect garbage when the process was started with --expose-gc (the benchmark's children are). */
const collect = (): void => (globalThis as { gc?: () => void }).gc?.();

function time(size: string, phase: string, runs: number, fn: () => unknown, warmup = 2): Timing {
  // Each phase starts from a collected heap, so that it does not pay for the garbage of the one before.
  collect();
  // Warm-up: at least `warmup` runs, and more (up to 25) until 250 ms have passed, so that a phase of
  // a few milliseconds is timed once compiled, as it runs after a few slider moves.
  const start = performance.now();
  for (let i = 0; i < 25 && (i < warmup || performance.now() - start < 250); i++) fn();
  collect();
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
  const params = defaultParams(designOf(study));
  out.push(time(size, "load and validate (parse CSV, check)", heavyRuns, () => validateStudy(files), 1));
  out.push(time(size, "scoring (one pass: counts, sufficient statistics, cells)", runs, () => scorePhase(study, params)));
  const scored = scorePhase(study, params);
  for (const m of LS_MODELS) out.push(time(size, `fit ${m} (flat ML)`, runs, () => fitPhase(scored, study, { model: m, hier: false }, { compare: false })));
  out.push(time(size, "fit all models + comparison (flat ML)", runs, () => fitPhase(scored, study, { ...params, hier: false })));
  const fit = fitPhase(scored, study, params);
  out.push(time(size, "describe (update cells, group means)", runs, () => describePhase(scored, study)));
  const describe = describePhase(scored, study);
  out.push(time(size, "mixed model (REML + Satterthwaite df)", runs, () => lmmPhase(scored, describe.cells, study, params)));
  out.push(time(size, `mediation with ${params.boot} resamples`, runs, () => mediationPhase(fit.fits, study, params)));
  out.push(time(size, "full re-analysis (slider change, flat fits, 5,000 resamples)", runs, () => analyzeStudy(study, params)));
  out.push(time(size, "full re-analysis without bootstrap", runs, () => analyzeStudy(study, params, { bootstrap: false })));
  for (const m of LS_MODELS) out.push(time(size, `fit ${m} (hierarchical EM)`, heavyRuns, () => fitPhase(scored, study, { model: m, hier: true }, { compare: false }), 1));
  out.push(time(size, "full re-analysis, hierarchical", heavyRuns, () => analyzeStudy(study, { ...params, hier: true }), 1));
  // Bayesian models: every participant-session inverted by variational Laplace, then Bayesian model selection.
  const sessions = bayesSessions(scored.trials);
  const bayesFits: Partial<Record<BayesKitModelName, ModelFit[]>> = {};
  for (const m of BAYES_KIT_MODELS) {
    out.push(time(size, `fit ${m} (variational Laplace, ${sessions.length} sessions)`, heavyRuns, () => fitBayesModel(sessions, m, "kit"), 1));
    bayesFits[m] = fitBayesModel(sessions, m, "kit");
  }
  const groupOf = new Map(study.participants.map((p) => [p.participant_id, p.group]));
  out.push(time(size, "Bayesian model selection (overall, group x session, families)", runs, () => bayesModelSelection(bayesFits, (id) => groupOf.get(id) ?? "")));
  return { timings: out, study };
}

/** lme4::lmer on the same cell rows, timed inside R; null when R or lme4 is missing. */
function lmerTime(study: Study, size: string): { seconds: number; n_obs: number } | null {
  const probe = spawnSync("Rscript", ["-e", "quit(status = !requireNamespace('lme4', quietly = TRUE))"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return null;
  const params = defaultParams(designOf(study));
  const scored = scorePhase(study, params);
  const d = describePhase(scored, study);
  const demo = new Map(study.participants.map((p) => [p.participant_id, p]));
  const rows = d.cells.filter((c) => params.lmm.includes(c.session)).map((c) => [c.participant_id, c.group, c.session, c.valence, c.update, demo.get(c.participant_id)!.age, demo.get(c.participant_id)!.education_years]);
  const dir = mkdtempSync(join(tmpdir(), "buk-bench-"));
  const csv = join(dir, `${size}.csv`);
  writeFileSync(csv, toCsv(["participant_id", "group", "session", "valence", "update", "age", "education"], rows));
  const script = join(packageRoot(), "test/bench/lmer_time.R");
  const r = spawnSync("Rscript", [script, csv, study.meta.groups.reference, params.lmm.join(",")], { encoding: "utf8" });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`lmer benchmark failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

/** Child process, timing mode: every phase of one size; one JSON document on stdout. */
async function childTimings(size: string, dir: string, runs: number, heavy: number): Promise<void> {
  const files = (await readStudyFiles(dir)) as Record<string, string>;
  const { timings, study } = benchStudy(size, files, runs, heavy);
  const kit = timings.find((x) => x.phase.startsWith("mixed model"))!;
  const r = lmerTime(study, size.replace(/\W+/g, "-"));
  const lmer: Lmer | null = r ? { size, kit_ms: kit.median_ms, lmer_ms: r.seconds * 1000, ratio: (r.seconds * 1000) / kit.median_ms, n_obs: r.n_obs } : null;
  process.stdout.write(JSON.stringify({ timings, lmer, timing_peak_rss_mb: maxRssMb() }) + "\n");
}

/** Child process, mixed-model mode: the general engine beside lme4::lmer (bench-mixed.ts); one JSON document on stdout. */
async function childMixed(dir: string, runs: number): Promise<void> {
  const loaded = { study: await loadStudyFromDir(dir) as Study | null };
  const probe = spawnSync("Rscript", ["-e", "quit(status = !requireNamespace('lme4', quietly = TRUE))"], { encoding: "utf8" });
  const tmp = mkdtempSync(join(tmpdir(), "buk-bench-lmm-"));
  try {
    const rows = benchMixed(() => {
      const s = loaded.study!;
      loaded.study = null;
      return s;
    }, { runs, r: !probe.error && probe.status === 0, tmpDir: tmp });
    process.stdout.write(JSON.stringify({ rows }) + "\n");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Child process, the bundled study's extras: the power engine (1,000 simulated studies) and the report (HTML, figures, R script; no PDF). */
async function childExtras(dir: string, runs: number): Promise<void> {
  const power = benchPower();
  const study = await loadStudyFromDir(dir);
  const params = defaultParams(designOf(study));
  buildStudyReport(study, { params });
  const builds = Array.from({ length: runs }, () => {
    const ms = buildStudyReport(study, { params }).ms;
    return { ...ms, total: ms.analysis + ms.figures + ms.report };
  });
  const med = (k: "total" | "analysis" | "figures" | "report") => builds.map((b) => b[k]).sort((a, b) => a - b)[Math.floor(builds.length / 2)];
  const report = { runs, total_ms: med("total"), analysis_ms: med("analysis"), figures_ms: med("figures"), report_ms: med("report") };
  process.stdout.write(JSON.stringify({ power, report }) + "\n");
}

/** Child process, memory mode: read the folder, validate, one full analysis; one JSON document on stdout. */
async function childMemory(dir: string): Promise<void> {
  const baseline = mb(process.memoryUsage().rss);
  const files = (await readStudyFiles(dir)) as Record<string, string>;
  const v = validateStudy(files);
  if (!v.study) throw new Error(`${dir}: study does not validate`);
  const study = v.study;
  const loaded = mb(process.memoryUsage().rss);
  const params = defaultParams(designOf(study));
  const result = analyzeStudy(study, params);
  if (result.lmm.error || result.mediation.error) throw new Error(`${dir}: analysis failed: ${result.lmm.error ?? result.mediation.error}`);
  process.stdout.write(JSON.stringify({ baseline_rss_mb: baseline, loaded_rss_mb: loaded, peak_rss_mb: maxRssMb() }) + "\n");
}

/** Run this command again in a child process (same Node, same flags and loader) and parse its JSON output. */
function child<T>(self: string[], args: string[]): T {
  const r = spawnSync(process.execPath, ["--expose-gc", ...process.execArgv, ...self, ...args], { encoding: "utf8", maxBuffer: 64 * 2 ** 20, stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`benchmark child ${args.join(" ")} failed with status ${r.status}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}

/** The compiled bin, as a user runs it (npm ci builds it; npm run build:cli rebuilds it). */
export const binPath = () => join(packageRoot(), "dist-cli", "belief-kit.js");

/** Reads the lines of `--timings` ("  phase   123 ms"). */
export function parseTimings(stderr: string): { phase: string; ms: number }[] {
  const out: { phase: string; ms: number }[] = [];
  for (const m of stderr.matchAll(/^ {2}(\S.*?)\s+(\d+) ms$/gm)) out.push({ phase: m[1], ms: Number(m[2]) });
  return out;
}

/** `belief-kit analyze <folder> --json > file`, `runs` times in a row, each from spawn to exit. */
function wholeProcess(size: string, folder: string, name: string, runs: number, outDir: string): WholeProcess {
  const bin = binPath();
  const file = join(outDir, "analysis.json");
  const t: { ms: number; stderr: string }[] = [];
  for (let i = 0; i < runs; i++) {
    const fd = openSync(file, "w");
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, "analyze", folder, "--json", "--timings"], { encoding: "utf8", stdio: ["ignore", fd, "pipe"] });
    const ms = performance.now() - t0;
    closeSync(fd);
    if (r.status !== 0) throw new Error(`belief-kit analyze ${folder} --json failed with status ${r.status}: ${r.stderr}`);
    t.push({ ms, stderr: r.stderr });
  }
  const sorted = [...t].sort((a, b) => a.ms - b.ms);
  const median = sorted[(sorted.length - 1) >> 1];
  return {
    size,
    command: `belief-kit analyze ${name} --json > analysis.json`,
    runs,
    median_ms: sorted.length % 2 ? median.ms : (median.ms + sorted[sorted.length >> 1].ms) / 2,
    min_ms: sorted[0].ms,
    max_ms: sorted[sorted.length - 1].ms,
    phases: parseTimings(median.stderr),
  };
}

const RUNS = 15, LARGE = 10000, PROCESS_RUNS = 5, MIXED_RUNS = 3;

interface Extras {
  power: ReturnType<typeof benchPower>;
  report: { runs: number; total_ms: number; analysis_ms: number; figures_ms: number; report_ms: number };
}

export const command: Command = {
  name: "bench",
  summary: "time every phase of the analysis, and the whole analyze process, on the bundled study and a large simulated one",
  description:
    "Times each phase of the analysis separately and as one pipeline after a warm-up (medians, min, max), in child processes of their own per size, with the memory " +
    "each size takes; then the whole process a user waits for, belief-kit analyze <dir> --json > file, with the compiled bin. With R and lme4 installed the mixed model " +
    "is also fitted by lme4::lmer on the same rows. Progress goes to stderr, the table (or the JSON) to stdout. Check uptime first: a busy machine makes the figures meaningless.",
  positionals: [],
  options: [
    { name: "study", value: "DIR", default: DEFAULT_STUDY, description: "the study timed as \"bundled\"" },
    { name: "large", value: "N", default: String(LARGE), description: "also simulate a cohort of N participants with the bundled design and time it (0: skip)" },
    { name: "runs", value: "N", default: String(RUNS), description: "timed runs per phase (3 to 1000; the large size and the hierarchical fits take fewer)" },
    { name: "process-runs", value: "N", default: String(PROCESS_RUNS), description: "runs of the whole belief-kit analyze process per size (0: skip)" },
    { name: "mixed-runs", value: "N", default: String(MIXED_RUNS), description: "timed fits of each mixed model (random intercept, random slope, crossed with events) per size, beside lme4::lmer (0: skip)" },
    { name: "json", description: "print one JSON document on stdout instead of the tables" },
    { name: "child", value: "MODE", hidden: true, description: "internal: a child process (timings or memory)" },
    { name: "dir", value: "DIR", hidden: true, description: "internal" },
    { name: "size", value: "LABEL", hidden: true, description: "internal" },
    { name: "heavy", value: "N", hidden: true, description: "internal" },
  ],
  examples: [
    { command: "belief-kit bench", note: "the bundled study and 10,000 simulated participants (about 2 min)", skip: "about 2 minutes; test/bench/bench.slow.test.ts runs the same with --large 100" },
    { command: "belief-kit bench --large 0 --runs 5 --json > bench.json", note: "the bundled study only, 5 runs per phase, as JSON", slow: true },
  ],
  run,
};

async function run(args: ParsedArgs, ctx: RunContext): Promise<void> {
  const mode = stringFlag(args, "child");
  if (mode === "timings") return childTimings(stringFlag(args, "size")!, stringFlag(args, "dir")!, intFlag(args, "runs", RUNS), intFlag(args, "heavy", 5));
  if (mode === "memory") return childMemory(stringFlag(args, "dir")!);
  if (mode === "mixed") return childMixed(stringFlag(args, "dir")!, intFlag(args, "runs", 3));
  if (mode === "extras") return childExtras(stringFlag(args, "dir")!, intFlag(args, "runs", 5));

  const runs = intFlag(args, "runs", RUNS, 3, 1000);
  const large = intFlag(args, "large", LARGE, 0, 1_000_000);
  const processRuns = intFlag(args, "process-runs", PROCESS_RUNS, 0, 1000);
  const dir = stringFlag(args, "study") ?? DEFAULT_STUDY;
  const json = Boolean(args.flags.get("json"));
  const log = (s: string) => process.stderr.write(s + "\n");
  const timings: Timing[] = [];
  const lmer: Lmer[] = [];
  const memory: Memory[] = [];
  const whole: WholeProcess[] = [];
  const mixed: (MixedTiming & { size: string })[] = [];
  let extras: Extras | null = null;
  const mixedRuns = intFlag(args, "mixed-runs", MIXED_RUNS, 0, 100);

  const sizes: [string, string, string][] = [["bundled", dir, dir]];
  const tmp = mkdtempSync(join(tmpdir(), "buk-bench-study-"));
  if (large > 0) {
    log(`simulating a cohort of ${large} participants…`);
    const nT = Math.round((large * 26) / 56);
    const sim = simulateStudy({ ...DEFAULT_CONFIG, nTreatment: nT, nReference: large - nT, meta: { ...DEFAULT_CONFIG.meta, id: `sim-${large}` } });
    const folder = join(tmp, `sim-${large}`);
    mkdirSync(folder);
    for (const [name, text] of Object.entries(studyToFiles(sim.study))) writeFileSync(join(folder, name), text);
    sizes.push([`${large} participants`, folder, `sim-${large}`]);
  }
  let rAvailable = false;
  const haveBin = existsSync(binPath());
  if (processRuns > 0 && !haveBin) log(`${binPath()} missing: whole-process timings skipped (npm run build:cli builds it)`);
  try {
    for (const [size, folder, name] of sizes) {
      log(`benchmarking ${size}…`);
      const bundled = size === "bundled";
      const heavy = bundled ? runs : Math.max(3, Math.round(runs / 3));
      const t = child<{ timings: Timing[]; lmer: Lmer | null; timing_peak_rss_mb: number }>(ctx.self, ["--child", "timings", "--size", size, "--dir", folder, "--runs", String(bundled ? runs : Math.max(5, Math.round(runs / 2))), "--heavy", String(heavy)]);
      timings.push(...t.timings);
      if (t.lmer) {
        lmer.push(t.lmer);
        rAvailable = true;
      }
      if (mixedRuns > 0) {
        log(`mixed models (random intercept, random slope, crossed with events) on ${size}, beside lme4::lmer…`);
        for (const row of child<{ rows: MixedTiming[] }>(ctx.self, ["--child", "mixed", "--dir", folder, "--runs", String(mixedRuns)]).rows) mixed.push({ size, ...row });
      }
      const m = child<Omit<Memory, "size" | "timing_peak_rss_mb">>(ctx.self, ["--child", "memory", "--dir", folder]);
      memory.push({ size, ...m, timing_peak_rss_mb: t.timing_peak_rss_mb });
      if (processRuns > 0 && haveBin) {
        log(`timing the whole belief-kit analyze process on ${size}…`);
        whole.push(wholeProcess(size, folder, name, processRuns, tmp));
      }
    }
    log("power (1,000 simulated studies of the bundled design) and the report of the bundled study…");
    extras = child<Extras>(ctx.self, ["--child", "extras", "--dir", dir, "--runs", "5"]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!rAvailable) log("R with lme4 not found: lmer comparison skipped (apt-get install r-cran-lme4)");
  if (json) {
    process.stdout.write(JSON.stringify({ node: process.version, timings, lmer, mixed, memory, whole_process: whole, ...extras }, null, 2) + "\n");
    return;
  }
  const rows = timings.map((t) => [t.size, t.phase, t.median_ms.toFixed(2), t.min_ms.toFixed(2), t.max_ms.toFixed(2), String(t.runs)]);
  const header = ["size", "phase", "median ms", "min", "max", "runs"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const print = (s = "") => process.stdout.write(s + "\n");
  print(line(header));
  print(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) print(line(r));
  for (const l of lmer) print(`\nmixed model, ${l.size} (${l.n_obs} rows): kit ${l.kit_ms.toFixed(1)} ms, lme4::lmer ${l.lmer_ms.toFixed(1)} ms, lmer/kit = ${l.ratio.toFixed(1)}×`);
  if (mixed.length) {
    print("\nmixed models (ours: fit + Satterthwaite df + type III and II F tests; lmer: lme4's fit alone; medians, CPU in brackets)");
    const f = (x: number | null | undefined, d = 0) => (x === null || x === undefined ? "–" : x.toFixed(d));
    for (const r of mixed)
      print(`  ${r.size.padEnd(18)} ${r.model.padEnd(24)} ${String(r.n_obs).padStart(8)} rows  ours ${f(r.ours_ms, 1).padStart(8)} ms (${f(r.ours_cpu_ms)})  lmer ${f(r.lmer_ms).padStart(7)} ms (${f(r.lmer_cpu_ms)})  lmer/ours ${f(r.ratio, 1)}× (${f(r.ratio_cpu, 1)}×)`);
  }
  if (extras) {
    const p = extras.power;
    const r = extras.report;
    print(`\nreport of the bundled study (HTML with figures, tables, R script; no PDF): median ${r.total_ms.toFixed(0)} ms over ${r.runs} builds (analysis ${r.analysis_ms.toFixed(0)}, figures ${r.figures_ms.toFixed(0)}, report ${r.report_ms.toFixed(0)})`);
    print(`power: ${p.studies} simulated studies of the bundled design (all analyses but the bootstrap) in ${(p.ms / 1000).toFixed(2)} s (${p.ms_per_study.toFixed(2)} ms each); a first estimate of the default plan (50 studies) in ${p.first_estimate_ms.toFixed(0)} ms`);
  }
  print("");
  for (const m of memory)
    print(
      `memory, ${m.size}: read + validate + one full analysis peaks at ${m.peak_rss_mb} MB resident (${m.baseline_rss_mb} MB before loading, ${m.loaded_rss_mb} MB once loaded); the timing runs peaked at ${m.timing_peak_rss_mb} MB`,
    );
  for (const w of whole) {
    const inProcess = timings.find((t) => t.size === w.size && t.phase.startsWith("full re-analysis (slider"));
    print(
      `\nwhole process, ${w.size}: ${w.command}: median ${w.median_ms.toFixed(0)} ms (min ${w.min_ms.toFixed(0)}, max ${w.max_ms.toFixed(0)}, ${w.runs} runs)` +
        (inProcess ? `; in-process full re-analysis ${inProcess.median_ms.toFixed(0)} ms` : ""),
    );
    for (const p of w.phases) print(`  ${p.phase.padEnd(36)} ${String(p.ms).padStart(6)} ms`);
  }
  if (!existsSync("/usr/bin/Rscript") && !lmer.length) print("(lme4 timing skipped: R not installed)");
}
