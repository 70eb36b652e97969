/**
 * npm run recovery -- [<study-dir>] [--n 200] [--seed 1] [--json] [--hierarchical]
 *   [--models single,valence,...] [--synthetic] [--trials 40]
 *
 * Parameter and model recovery of the learning-rate models (src/lib/models/recovery.ts) with the design of a
 * study folder (default data/ketamine-trd): its participant-sessions' (E1, BR) pairs, E2 resimulated.
 * --synthetic uses 56 synthetic designs of --trials trials instead of a study.
 * Prints a readable report, or with --json one JSON document on stdout. Bad input exits 2.
 */
import { existsSync, statSync } from "node:fs";
import { loadStudyFromDir } from "../lib/study/load.js";
import { StudyValidationError } from "../lib/study/validate/index.js";
import { designsFromStudy, formatRecovery, runRecovery, syntheticDesigns, type SessionDesign } from "../lib/models/recovery.js";
import { LS_MODELS, parseModelName } from "../lib/models/index.js";
import { intFlag, parseArgs, runMain, stringFlag, UsageError } from "./args.js";

await runMain(
  async () => {
    const args = parseArgs(process.argv.slice(2), { values: ["n", "seed", "models", "trials"], booleans: ["json", "hierarchical", "synthetic"] });
    if (args.positional.length > 1) throw new UsageError(`expected at most one study folder, got ${args.positional.length}: ${args.positional.join(" ")}`);
    const n = intFlag(args, "n", 200, 1, 100000);
    const seed = intFlag(args, "seed", 1, 0);
    const modelsFlag = stringFlag(args, "models");
    let models: string[] = [...LS_MODELS];
    if (modelsFlag !== undefined) {
      try {
        models = modelsFlag.split(",").map((m) => parseModelName(m.trim()));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    }
    let designs: SessionDesign[];
    let source: string;
    if (args.flags.has("synthetic")) {
      if (args.positional.length > 0) throw new UsageError("--synthetic takes no study folder");
      const trials = intFlag(args, "trials", 40, 1, 10000);
      designs = syntheticDesigns({ n: 56, trials, seed });
      source = `synthetic design (56 x ${trials} trials)`;
    } else {
      if (args.flags.has("trials")) throw new UsageError("--trials only applies with --synthetic");
      const dir = args.positional[0] ?? "data/ketamine-trd";
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such study folder (expected a folder with study.json, participants.csv, trials.csv, clinical.csv)`);
      designs = designsFromStudy(await loadStudyFromDir(dir));
      source = dir;
    }
    const t0 = performance.now();
    const report = runRecovery(designs, { n, seed, models, hierarchical: args.flags.has("hierarchical") });
    const seconds = (performance.now() - t0) / 1000;
    if (args.flags.has("json")) {
      process.stdout.write(`${JSON.stringify({ source, ...report }, null, 2)}\n`);
    } else {
      process.stdout.write(`Design source: ${source}\n${formatRecovery(report)}\n(${seconds.toFixed(1)} s)\n`);
    }
  },
  (e) => e instanceof StudyValidationError,
);
