/**
 * Speed of the general mixed-model engine beside lme4::lmer on the same rows, in the same run.
 *
 *     npx tsx test/bench/lmm-bench.ts [--participants 10000] [--seed 2024] [--dir /tmp/lmm-bench-10000]
 *                                     [--runs 3] [--no-r] [--lmerTest] [--json]
 *
 * Simulates the study (src/cli/simulate.ts) into --dir unless it is there, builds the model rows as
 * the pipeline does (lmm-rows.ts), and times, as medians of --runs fits:
 *   intercept  update ~ group * session * valence + age + education + (1 | participant_id)   (cells)
 *   slope      update ~ group * session * valence + age + education + (1 + valence | participant_id)   (cells)
 *   crossed    update ~ group * session * valence + (1 | participant_id) + (1 | event_id)   (trials)
 * Ours is fitMixed from columns (lmer gets a data.frame) to the full result (Satterthwaite df of every coefficient, type
 * III and II F tests); lmer is lme4's fit alone (test/bench/lmer_general.R), so the ratios are
 * conservative. Also the pipeline's random-intercept path (fitLmmColumns on typed columns) and the
 * refit of the slope model on the bundled study (data/ketamine-trd cells), the dashboard's case. Exported: benchMixed() returns the same numbers.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MixedColumns } from "../../src/lib/lmm/mframe.js";
import { fitLmmColumns, type LmmColumns } from "../../src/lib/lmm/index.js";
import { fitMixed } from "../../src/lib/lmm/mixed.js";
import { loadStudyFromDir } from "../../src/lib/study/load.js";
import { studyRows, toCsvText } from "./lmm-rows.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const FIXED = "update ~ group * session * valence";
export const BENCH_MODELS = {
  intercept: { formula: `${FIXED} + age + education + (1 | participant_id)`, level: "cells" },
  slope: { formula: `${FIXED} + age + education + (1 + valence | participant_id)`, level: "cells" },
  crossed: { formula: `${FIXED} + (1 | participant_id) + (1 | event_id)`, level: "trials" },
} as const;
type ModelName = keyof typeof BENCH_MODELS | "intercept_fitLmmColumns";

export interface BenchRow {
  model: ModelName;
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

function toColumns(rows: readonly Record<string, string | number>[]): MixedColumns {
  const columns: Record<string, Float64Array | string[]> = {};
  for (const c of Object.keys(rows[0])) {
    columns[c] = typeof rows[0][c] === "number" ? Float64Array.from(rows, (r) => r[c] as number) : rows.map((r) => String(r[c]));
  }
  return { n: rows.length, columns };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median elapsed and CPU milliseconds of `runs` calls (CPU time is steadier on a busy machine). */
function timeMs(f: () => unknown, runs: number): { wall: number; cpu: number } {
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

export async function benchMixed(options: { participants?: number; seed?: number; dir?: string; runs?: number; r?: boolean; lmerTest?: boolean } = {}): Promise<{
  participants: number;
  rows: BenchRow[];
  bundled_refit_ms: number;
}> {
  const participants = options.participants ?? 10000;
  const seed = options.seed ?? 2024;
  const runs = options.runs ?? 3;
  const dir = options.dir ?? `/tmp/lmm-bench-${participants}-${seed}`;
  if (!existsSync(join(dir, "study.json"))) {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/simulate.ts"), "--out", dir, "--participants", String(participants), "--seed", String(seed)], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("simulate failed");
  }
  const rows = studyRows(await loadStudyFromDir(dir));
  const factors = { group: rows.groups, session: rows.sessions, valence: ["bad", "good"] };
  const cellsCsv = join(dir, "bench", "cells.csv");
  const trialsCsv = join(dir, "bench", "trials.csv");
  if (options.r !== false) {
    mkdirSync(join(dir, "bench"), { recursive: true });
    writeFileSync(cellsCsv, toCsvText(rows.cells));
    writeFileSync(trialsCsv, toCsvText(rows.trials));
  }
  // Columns, as lmer gets a data.frame (and as the pipeline holds its data): numbers as
  // Float64Array, factors and ids as string arrays. The row objects are dropped before timing (a
  // million live objects would make every garbage collection of the timed fits slow).
  // The trial rows are made columns (and kept alive) only after the cell models are timed.
  const trialRows = rows.trials;
  const data: { cells: MixedColumns; trials: MixedColumns | null } = { cells: toColumns(rows.cells), trials: null };
  rows.cells = [];
  rows.trials = [];
  const out: BenchRow[] = [];
  // warm-up (JIT) on the cells
  for (let i = 0; i < 3; i++) {
    fitMixed(data.cells, BENCH_MODELS.slope.formula, { factors });
    fitMixed(data.cells, BENCH_MODELS.intercept.formula, { factors });
  }
  // The random-intercept path the pipeline uses (fitLmmColumns: typed level codes, closed form).
  {
    const c = data.cells.columns;
    const codes = (v: string, lv: readonly string[]): Int32Array => Int32Array.from(c[v] as string[], (x) => lv.indexOf(x));
    const ids = new Map<string, number>();
    const pid = Int32Array.from(c.participant_id as string[], (x) => {
      let k = ids.get(x);
      if (k === undefined) ids.set(x, (k = ids.size));
      return k;
    });
    const cols: LmmColumns = {
      n: data.cells.n,
      numeric: { update: c.update as Float64Array, age: c.age as Float64Array, education: c.education as Float64Array },
      factors: Object.fromEntries(Object.entries(factors).map(([v, lv]) => [v, { codes: codes(v, lv), levels: lv }])),
      group: { name: "participant_id", codes: pid, count: ids.size },
    };
    for (let i = 0; i < 3; i++) fitLmmColumns(cols, BENCH_MODELS.intercept.formula, { factors });
    const t = timeMs(() => fitLmmColumns(cols, BENCH_MODELS.intercept.formula, { factors }), runs);
    out.push({ model: "intercept_fitLmmColumns", n_obs: cols.n, ours_ms: t.wall, ours_cpu_ms: t.cpu, lmer_ms: null, lmer_cpu_ms: null, ratio: null, ratio_cpu: null });
  }
  const bundled = studyRows(await loadStudyFromDir(join(root, "data/ketamine-trd")));
  const bf = { group: bundled.groups, session: bundled.sessions, valence: ["bad", "good"] };
  const bc = toColumns(bundled.cells);
  for (let i = 0; i < 10; i++) fitMixed(bc, BENCH_MODELS.slope.formula, { factors: bf });
  const refit = timeMs(() => fitMixed(bc, BENCH_MODELS.slope.formula, { factors: bf }), 31).wall;
  for (const model of Object.keys(BENCH_MODELS) as (keyof typeof BENCH_MODELS)[]) {
    const m = BENCH_MODELS[model];
    if (m.level === "trials" && !data.trials) data.trials = toColumns(trialRows.splice(0));
    const d = data[m.level]!;
    const ours = timeMs(() => fitMixed(d, m.formula, { factors }), runs);
    out.push({ model, n_obs: d.n, ours_ms: ours.wall, ours_cpu_ms: ours.cpu, lmer_ms: null, lmer_cpu_ms: null, ratio: null, ratio_cpu: null });
  }
  if (options.r !== false) {
    const args = [join(root, "test/bench/lmer_general.R"), cellsCsv, trialsCsv, rows.groups[0], rows.sessions.join(","), String(runs)];
    if (options.lmerTest) args.push("lmerTest");
    const r = spawnSync("Rscript", args, { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status === 0) {
      const doc = JSON.parse(r.stdout.trim().split("\n").pop()!);
      for (const row of out) {
        const key = row.model === "intercept_fitLmmColumns" ? "intercept" : row.model;
        row.lmer_ms = doc[key] * 1000;
        row.lmer_cpu_ms = doc[`${key}_cpu`] * 1000;
        row.ratio = row.lmer_ms! / row.ours_ms;
        row.ratio_cpu = row.lmer_cpu_ms! / row.ours_cpu_ms;
        if (options.lmerTest) row.lmerTest_ms = doc[`${key}_lmerTest`] * 1000;
      }
    } else process.stderr.write(`Rscript failed (lme4 timings skipped): ${r.stderr}\n`);
  }
  return { participants, rows: out, bundled_refit_ms: refit };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const val = (k: string): string | undefined => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const res = await benchMixed({
    participants: val("participants") ? Number(val("participants")) : undefined,
    seed: val("seed") ? Number(val("seed")) : undefined,
    dir: val("dir"),
    runs: val("runs") ? Number(val("runs")) : undefined,
    r: !argv.includes("--no-r"),
    lmerTest: argv.includes("--lmerTest"),
  });
  if (argv.includes("--json")) {
    process.stdout.write(JSON.stringify(res, null, 2) + "\n");
    return;
  }
  process.stdout.write(`participants: ${res.participants}\n`);
  const f = (x: number | null | undefined, d = 0): string => (x === null || x === undefined ? "-" : x.toFixed(d));
  process.stdout.write("model                       rows   ours ms (cpu)   lmer ms (cpu)   lmer/ours (cpu)" + (argv.includes("--lmerTest") ? "   lmerTest+anova ms" : "") + "\n");
  for (const r of res.rows) {
    process.stdout.write(
      `${r.model.padEnd(24)} ${String(r.n_obs).padStart(7)} ${`${f(r.ours_ms)} (${f(r.ours_cpu_ms)})`.padStart(15)} ${`${f(r.lmer_ms)} (${f(r.lmer_cpu_ms)})`.padStart(15)} ${`${f(r.ratio, 1)} (${f(r.ratio_cpu, 1)})`.padStart(17)}` +
        (argv.includes("--lmerTest") ? ` ${f(r.lmerTest_ms).padStart(20)}` : "") +
        "\n",
    );
  }
  process.stdout.write(`bundled study (data/ketamine-trd cells), slope model refit: ${res.bundled_refit_ms.toFixed(2)} ms\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
