/**
 * Keeps the compiled bin in step with the sources in a checkout of the kit: if an input of the
 * build (stale.mjs) has changed since, `belief-kit` rebuilds (about a second) and runs the new
 * build, so that `npm run analyze` never reports numbers of code that has been edited. A copy
 * without src/ skips the check. BELIEF_KIT_NO_REBUILD=1 makes it warn instead.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { staleInput } from "./stale.mjs";

/** Rebuild and run the new build with the same arguments when an input changed; returns only when fresh. */
export function ensureFresh(entryUrl: string): void {
  const entry = fileURLToPath(entryUrl);
  const root = dirname(dirname(entry));
  // A copy of the bin without the sources (or without a build record) has nothing to compare with.
  if (!existsSync(join(root, "src", "cli", "build.mjs")) || !existsSync(join(root, "dist-cli", "inputs.json"))) return;
  const changed = staleInput(root);
  if (!changed) return;
  if (process.env.BELIEF_KIT_NO_REBUILD) {
    process.stderr.write(`belief-kit: warning: ${changed} changed since dist-cli/ was built; this run uses the old build (npm run build:cli)\n`);
    return;
  }
  process.stderr.write(`belief-kit: ${changed} changed since the last build: rebuilding dist-cli/…\n`);
  const build = spawnSync(process.execPath, [join(root, "src", "cli", "build.mjs"), "--quiet"], { stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) {
    process.stderr.write("belief-kit: the build failed (above); fix it or run the sources with npm run cli -- <command>\n");
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [...process.execArgv, entry, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
