/**
 * Keeps the compiled bin in step with the sources in a checkout of the kit: the build (build.mjs)
 * lists the source files it bundled in dist-cli/inputs.json with its start time; if one of them has
 * changed since, `belief-kit` rebuilds (about a second) and runs the new build, so that `npm run
 * analyze` never reports numbers of code that has been edited. A copy without src/ skips the check.
 * BELIEF_KIT_NO_REBUILD=1 makes it warn instead.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface Inputs {
  /** Date.now() when the build started. */
  started: number;
  /** Source files bundled, relative to the kit's folder. */
  files: string[];
}

/** The first source changed since the build of the bin at `entry`, or null (fresh, or nothing to compare with). */
export function staleSource(entry: string): string | null {
  const dir = dirname(entry);
  const root = dirname(dir);
  let inputs: Inputs;
  try {
    inputs = JSON.parse(readFileSync(join(dir, "inputs.json"), "utf8")) as Inputs;
  } catch {
    return null;
  }
  if (!existsSync(join(root, "src", "cli", "main.ts"))) return null;
  for (const f of inputs.files) {
    const p = join(root, f);
    if (!existsSync(p) || statSync(p).mtimeMs > inputs.started) return f;
  }
  return null;
}

/** Rebuild and run the new build with the same arguments when a source changed; returns only when fresh. */
export function ensureFresh(entryUrl: string): void {
  const entry = fileURLToPath(entryUrl);
  const changed = staleSource(entry);
  if (!changed) return;
  if (process.env.BELIEF_KIT_NO_REBUILD) {
    process.stderr.write(`belief-kit: warning: ${changed} changed since dist-cli/ was built; this run uses the old build (npm run build:cli)\n`);
    return;
  }
  process.stderr.write(`belief-kit: ${changed} changed since the last build: rebuilding dist-cli/…\n`);
  const build = spawnSync(process.execPath, [join(dirname(dirname(entry)), "src", "cli", "build.mjs"), "--quiet"], { stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) {
    process.stderr.write("belief-kit: the build failed (above); fix it or run the sources with npm run cli -- <command>\n");
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [...process.execArgv, entry, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}
