/**
 * vitest globalSetup: builds the `belief-kit` bin (dist-cli/) from the sources before any test
 * runs, so that the command-line tests always run the code under test, however vitest is started.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const build = fileURLToPath(new URL("../../src/cli/build.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [build, "--quiet"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building dist-cli/ failed:\n${r.stderr}`);
}
