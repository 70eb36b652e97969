/**
 * belief-kit recovery [<study-dir>] [--n 200] [--seed 1] [--json] [--hierarchical] [--bayes]
 *   [--models single,valence,...] [--synthetic] [--trials 40]
 *
 * Parameter and model recovery of the learning-rate models (src/lib/models/recovery.ts) with the design of a
 * study folder (default data/ketamine-trd): its participant-sessions' (E1, BR) pairs, E2 resimulated.
 * --synthetic uses 56 synthetic designs of --trials trials instead of a study.
 * Prints a readable report, or with --json one JSON document on stdout. Bad input exits 2.
 */
import { existsSync, statSync } from "node:fs";
import { loadStudyFromDir } from "../../lib/study/load.js";
import { StudyValidationError } from "../../lib/study/validate/index.js";
import { designsFromStudy, formatRecovery, runRecovery, syntheticDesigns, type SessionDesign } from "../../lib/models/recovery.js";
import { LS_MODELS, parseModelName } from "../../lib/models/index.js";
import { intFlag, stringFlag, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { DEFAULT_STUDY, NO_SUCH_STUDY } from "../common.js";

/** The defaults, shown by --help and used by run(). */
const N = 200, SEED = 1, TRIALS = 40;

export const command: Command = {
  name: "recovery",
  summary: "parameter and model recovery of the learning-rate models on a study's design",
  description:
    "Simulates participant-sessions from known parameters with the study's own designs (its first estimates and base rates; second estimates resimulated), " +
    "refits them and reports how well the parameters and the generating model are recovered. --synthetic uses 56 synthetic designs instead of a study.",
  positionals: [{ name: "study-dir", description: "the study whose design is used", default: DEFAULT_STUDY }],
  options: [
    { name: "n", value: "N", default: String(N), description: "simulated participant-sessions per model" },
    { name: "seed", value: "S", default: String(SEED), description: "random seed" },
    { name: "models", value: "a,b,…", default: LS_MODELS.join(","), description: "generating and fitted models" },
    { name: "hierarchical", description: "also refit hierarchically (empirical Bayes) and compare by integrated BIC" },
    { name: "bayes", description: "also fit the Bayesian models (variational Laplace) and recover the generating model by Bayesian model selection (what the dashboard shows)" },
    { name: "synthetic", description: "56 synthetic designs of --trials trials instead of a study's" },
    { name: "trials", value: "N", default: String(TRIALS), description: "trials per synthetic design (with --synthetic)" },
    { name: "json", description: "print one JSON document on stdout instead of the report" },
  ],
  examples: [
    { command: "belief-kit recovery data/ketamine-trd --n 200", note: "recovery on the bundled study's design" },
    { command: "belief-kit recovery data/ketamine-trd --n 200 --seed 1 --bayes", note: "the numbers of the dashboard's Learning rates page, with Bayesian model selection" },
    { command: "belief-kit recovery --synthetic --trials 40 --n 100 --json > recovery.json", note: "on synthetic designs with larger estimation errors, as JSON" },
  ],
  isUserError: (e) => e instanceof StudyValidationError,
  async run(args) {
    if (args.positional.length > 1) throw new UsageError(`expected at most one study folder, got ${args.positional.length}: ${args.positional.join(" ")}`);
    const n = intFlag(args, "n", N, 1, 100000);
    const seed = intFlag(args, "seed", SEED, 0);
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
      const trials = intFlag(args, "trials", TRIALS, 1, 10000);
      designs = syntheticDesigns({ n: 56, trials, seed });
      source = `synthetic design (56 x ${trials} trials)`;
    } else {
      if (args.flags.has("trials")) throw new UsageError("--trials only applies with --synthetic");
      const dir = args.positional[0] ?? DEFAULT_STUDY;
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(NO_SUCH_STUDY(dir));
      designs = designsFromStudy(await loadStudyFromDir(dir));
      source = dir;
    }
    const t0 = performance.now();
    const report = runRecovery(designs, { n, seed, models, hierarchical: args.flags.has("hierarchical"), bayes: args.flags.has("bayes") });
    const seconds = (performance.now() - t0) / 1000;
    if (args.flags.has("json")) {
      process.stdout.write(`${JSON.stringify({ source, ...report }, null, 2)}\n`);
    } else {
      process.stdout.write(`Design source: ${source}\n${formatRecovery(report)}\n(${seconds.toFixed(1)} s)\n`);
    }
  },
};
