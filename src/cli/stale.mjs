/**
 * Is the compiled bin older than what it was built from? One check for the build's --if-stale (npm
 * ci's prepare, npx's install of the kit) and for the bin itself (fresh.ts). Plain JavaScript so that
 * build.mjs runs without tsx; typed by stale.d.mts.
 *
 * dist-cli/inputs.json lists, with the time the build started, the kit's own files the build read
 * (its sources, build.mjs, package-lock.json for the bundled packages); the build is stale when one
 * of them has changed or gone since.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The first input of the build in `root`/dist-cli changed since, "(no build)" without one, or null when fresh. */
export function staleInput(root) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(root, "dist-cli", "inputs.json"), "utf8"));
  } catch {
    return "(no build)";
  }
  for (const f of inputs.files) {
    const p = join(root, f);
    if (!existsSync(p) || statSync(p).mtimeMs > inputs.started) return f;
  }
  return null;
}
