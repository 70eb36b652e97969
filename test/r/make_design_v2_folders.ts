/**
 * Writes the study folders of test/lib/task/simulate-design.test.ts DESIGNS to test/fixtures/designs-v2/<name>/,
 * the input of test/r/designs_v2_reference.R. Run: npx tsx test/r/make_design_v2_folders.ts && Rscript test/r/designs_v2_reference.R
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { simulateDesign } from "../../src/lib/task/simulate-design.js";
import { studyToFiles } from "../../src/lib/task/simulate.js";
import { DESIGNS } from "../fixtures/designs-v2/designs.js";

for (const [name, config] of Object.entries(DESIGNS)) {
  const dir = `test/fixtures/designs-v2/${name}`;
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(studyToFiles(simulateDesign(config).study))) writeFileSync(`${dir}/${file}`, text!);
  process.stderr.write(`wrote ${dir}\n`);
}
