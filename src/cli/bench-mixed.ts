/**
 * Speed of the mixed models beside lme4::lmer on the same rows, in the same run (belief-kit bench):
 *   intercept  update ~ group * session * valence + age + education + (1 | participant_id)          (cells)
 *   slope      update ~ group * session * valence + age + education + (1 + valence | participant_id)  (cells)
 *   crossed    update ~ group * session * valence + (1 | participant_id) + (1 | event_id)           (trials)
 * The rows are the pipeline's (lmmRows, default parameters). Ours is the whole result: fitMixed to
 * Satterthwaite df of every coefficient and type III and II F tests (the random intercept also by
 * the pipeline's closed-form path, fitLmmColumns); lmer is lme4's fit alone (test/bench/lmer_general.R),
 * so the ratios are conservative. Medians of elapsed and CPU time (CPU is steadier on a busy machine).
 * Node only.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Study } from "../lib/study/types.js";
import { defaultParams } from "../lib/analysis/params.js";
import { describePhase, designOf, scorePhase } from "../lib/analysis/pipeline.js";
import { lmmColumns, lmmFactors, lmmRows } from "../lib/analysis/lmm-data.js";
import type { LmmRow } from "../lib/lmm/types.js";
import type { MixedColumns } from "../lib/lmm/mframe.js";
import { fitMixed } from "../lib/lmm/mixed.js";
import { fitLmmColumns } from "../lib/lmm/index.js";
import { toCsv } from "../lib/study/csv.js";
import { packageRoot } from "./common.js";

const FIXED = "update ~ group * session * valence";
export const BENCH_MODELS = {
  intercept: { formula: `${FIXED} + age + education + (1 | participant_id)`, level: "cells" },
  slope: { formula: `${FIXED} + age + education + (1 + valence | participant_id)`, level: "cells" },
  crossed: { formula: `${FIXED} + (1 | participant_id) + (1 | event_id)`, level: "trials" },
} as const;
export type BenchModel = keyof typeof BENCH_MODELS | "intercept (closed form)";

export interface MixedTiming {
  model: BenchModel;
  formula: string;
  n_obs: number;
  /** Median elapsed and CPU (user + system) milliseconds. */
  ours_ms: number;
  ours_cpu_ms: number;
  lmer_ms: number | null;
  lmer_cpu_ms: number | null;
  /** lmer / ours, elapsed and CPU. */
  ratio: number | null;
  ratio_cpu: number | null;
  lmerTest_ms?: number | null;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function timeMs(f: () => unknown, runs: number, warmup: number): { wall: number; cpu: number } {
  for (let i = 0; i < warmup; i++) f();
  const ts: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1000);
  }
  return { wall: median(ts), cpu: median(cs) };
}

/** Rows as columns, as lmer gets a data.frame: numbers as Float64Array, factors and ids as strings. */
function toColumns(rows: readonly LmmRow[]): MixedColumns {
  const columns: Record<string, Float64Array | string[]> = {};
  for (const c of Object.keys(rows[0])) {
    columns[c] = typeof rows[0][c] === "number" ? Float64Array.from(rows, (r) => (r[c] as number | null) ?? NaN) : rows.map((r) => String(r[c]));
  }
  return { n: rows.length, columns };
}

export interface MixedBenchOptions {
  runs?: number;
  /** Time lme4::lmer too (Rscript with lme4); the CSVs it reads are written to tmpDir. */
  r?: boolean;
  lmerTest?: boolean;
  tmpDir: string;
}

/** The rows of the three models as columns, and the CSVs lmer reads (written when options.r). */
interface Prepared {
  cells: MixedColumns;
  trials: MixedColumns;
  closed: ReturnType<typeof lmmColumns>;
  factors: Record<string, string[]>;
  groups: string[];
  sessions: string[];
  cellsCsv: string;
  trialsCsv: string;
}

/**
 * Time the models. The study is read through `load` and released before the timing: a million
 * live trial objects would make every garbage collection of the timed fits slow (the child
 * process runs with --expose-gc, and collects once before timing).
 */
export function benchMixed(load: () => Study, options: MixedBenchOptions): MixedTiming[] {
  const runs = options.runs ?? 3;
  const prepared = prepare(load(), options);
  (globalThis as { gc?: () => void }).gc?.();
  return timeModels(prepared, runs, options);
}

function prepare(study: Study, options: MixedBenchOptions): Prepared {
  const d = designOf(study);
  const params = { ...defaultParams(d), cov: ["age", "education"] };
  const scored = scorePhase(study, params);
  const cells = describePhase(scored, study).cells;
  const f = lmmFactors(d, params);
  if (f.groups.length < 2 || f.sessions.length < 2) throw new Error("the mixed-model benchmark needs two groups and two sessions (the bundled design)");
  const factors = { group: f.groups, session: f.sessions, valence: ["bad", "good"] };
  const cellRows = lmmRows(() => scored.trials, cells, study, d, { level: "cells", lmm: params.lmm });
  const trialRows = lmmRows(() => scored.trials, cells, study, d, { level: "trials", lmm: params.lmm });
  const cellsCsv = join(options.tmpDir, "cells.csv");
  const trialsCsv = join(options.tmpDir, "trials.csv");
  if (options.r) {
    mkdirSync(options.tmpDir, { recursive: true });
    const write = (file: string, rows: readonly LmmRow[]) => {
      const cols = Object.keys(rows[0]);
      writeFileSync(file, toCsv(cols, rows.map((r) => cols.map((c) => r[c]))));
    };
    write(cellsCsv, cellRows);
    write(trialsCsv, trialRows);
  }
  const closed = lmmColumns(undefined, () => scored.trials, cells, study, d, { level: "cells", lmm: params.lmm });
  return { cells: toColumns(cellRows), trials: toColumns(trialRows), closed, factors, groups: f.groups, sessions: f.sessions, cellsCsv, trialsCsv };
}

function timeModels(p: Prepared, runs: number, options: MixedBenchOptions): MixedTiming[] {
  const { factors, cellsCsv, trialsCsv } = p;
  const data = { cells: p.cells, trials: p.trials };
  const out: MixedTiming[] = [];
  const lc = p.closed!;
  const closed = timeMs(() => fitLmmColumns(lc, BENCH_MODELS.intercept.formula, { factors }), runs, 3);
  out.push({ model: "intercept (closed form)", formula: BENCH_MODELS.intercept.formula, n_obs: lc.n, ours_ms: closed.wall, ours_cpu_ms: closed.cpu, lmer_ms: null, lmer_cpu_ms: null, ratio: null, ratio_cpu: null });
  for (const model of Object.keys(BENCH_MODELS) as (keyof typeof BENCH_MODELS)[]) {
    const m = BENCH_MODELS[model];
    const rows = data[m.level];
    const t = timeMs(() => fitMixed(rows, m.formula, { factors }), runs, m.level === "cells" ? 3 : 1);
    out.push({ model, formula: m.formula, n_obs: rows.n, ours_ms: t.wall, ours_cpu_ms: t.cpu, lmer_ms: null, lmer_cpu_ms: null, ratio: null, ratio_cpu: null });
  }
  if (options.r) {
    const args = [join(packageRoot(), "test/bench/lmer_general.R"), cellsCsv, trialsCsv, p.groups[0], p.sessions.join(","), String(runs)];
    if (options.lmerTest) args.push("lmerTest");
    const r = spawnSync("Rscript", args, { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status === 0) {
      const doc = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number>;
      for (const row of out) {
        const key = row.model === "intercept (closed form)" ? "intercept" : row.model;
        row.lmer_ms = doc[key] * 1000;
        row.lmer_cpu_ms = doc[`${key}_cpu`] * 1000;
        row.ratio = row.lmer_ms / row.ours_ms;
        row.ratio_cpu = row.lmer_cpu_ms / row.ours_cpu_ms;
        if (options.lmerTest) row.lmerTest_ms = doc[`${key}_lmerTest`] * 1000;
      }
    } else process.stderr.write(`Rscript failed (lme4 timings skipped): ${r.stderr}\n`);
  }
  return out;
}
