/**
 * The mixed-model benchmark of `belief-kit bench` (src/cli/bench-mixed.ts) on its own, with more
 * control: a simulated study of --participants, and lmerTest's summary + anova with --lmerTest.
 *
 *     npx tsx test/bench/lmm-bench.ts [--participants 10000] [--seed 2024] [--dir /tmp/lmm-bench-10000]
 *                                     [--runs 3] [--no-r] [--lmerTest] [--json]
 *
 * Run it with node --expose-gc (npx tsx passes it on: `node --expose-gc --import tsx test/bench/lmm-bench.ts`)
 * so that the study's trials are collected before the timing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadStudyFromDir } from "../../src/lib/study/load.js";
import type { Study } from "../../src/lib/study/types.js";
import { benchMixed } from "../../src/cli/bench-mixed.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const val = (k: string): string | undefined => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const participants = Number(val("participants") ?? 10000);
  const seed = Number(val("seed") ?? 2024);
  const runs = Number(val("runs") ?? 3);
  const dir = val("dir") ?? `/tmp/lmm-bench-${participants}-${seed}`;
  if (!existsSync(join(dir, "study.json"))) {
    const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "simulate", "--out", dir, "--participants", String(participants), "--seed", String(seed)], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("simulate failed");
  }
  const tmp = mkdtempSync(join(tmpdir(), "lmm-bench-"));
  const holder: { study: Study | null } = { study: await loadStudyFromDir(dir) };
  try {
    const rows = benchMixed(() => {
      const s = holder.study!;
      holder.study = null;
      return s;
    }, { runs, r: !argv.includes("--no-r"), lmerTest: argv.includes("--lmerTest"), tmpDir: tmp });
    if (argv.includes("--json")) {
      process.stdout.write(JSON.stringify({ participants, rows }, null, 2) + "\n");
      return;
    }
    const f = (x: number | null | undefined, d = 0): string => (x === null || x === undefined ? "-" : x.toFixed(d));
    process.stdout.write(`participants: ${participants}\nmodel                       rows   ours ms (cpu)   lmer ms (cpu)   lmer/ours (cpu)${argv.includes("--lmerTest") ? "   lmerTest+anova ms" : ""}\n`);
    for (const r of rows)
      process.stdout.write(
        `${r.model.padEnd(24)} ${String(r.n_obs).padStart(7)} ${`${f(r.ours_ms)} (${f(r.ours_cpu_ms)})`.padStart(15)} ${`${f(r.lmer_ms)} (${f(r.lmer_cpu_ms)})`.padStart(15)} ${`${f(r.ratio, 1)} (${f(r.ratio_cpu, 1)})`.padStart(17)}` +
          (argv.includes("--lmerTest") ? ` ${f(r.lmerTest_ms).padStart(20)}` : "") +
          "\n",
      );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
