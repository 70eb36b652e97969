/**
 * npm run simulate -- [--out data/ketamine-trd] [--participants N] [--seed S]
 *
 * Writes a synthetic study folder from the documented generative model (src/lib/simulate.ts).
 * Without options it reproduces the bundled cohort data/ketamine-trd byte for byte.
 * --participants N scales both groups in the bundled proportion (26:30) for large-cohort benchmarks.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles, type SimulationConfig } from "../lib/simulate.js";
import { intFlag, parseArgs, runMain, stringFlag } from "./args.js";

await runMain(async () => {
  const args = parseArgs(process.argv.slice(2), { values: ["out", "participants", "seed"], booleans: [] });
  const seed = intFlag(args, "seed", DEFAULT_CONFIG.seed, 0);
  const total = intFlag(args, "participants", 0, 2, 1_000_000);
  let config: SimulationConfig = { ...DEFAULT_CONFIG, seed };
  if (total) {
    const nTreatment = Math.max(1, Math.round((total * DEFAULT_CONFIG.nTreatment) / (DEFAULT_CONFIG.nTreatment + DEFAULT_CONFIG.nReference)));
    config = {
      ...config,
      nTreatment,
      nReference: total - nTreatment,
      meta: {
        ...config.meta,
        id: `ketamine-trd-sim-${total}`,
        title: `Synthetic cohort of ${total} participants with the ketamine-trd design`,
      },
    };
  }
  const out = stringFlag(args, "out") ?? (total || seed !== DEFAULT_CONFIG.seed ? `data/${config.meta.id}${seed !== DEFAULT_CONFIG.seed ? `-seed${seed}` : ""}` : "data/ketamine-trd");
  const { study } = simulateStudy(config);
  const files = studyToFiles(study);
  await mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(out, name), text);
  process.stderr.write(
    `wrote ${out}: ${study.participants.length} participants, ${study.trials.length} trials, ${study.clinical.length} clinical scores (synthetic, seed ${seed})\n`,
  );
});
