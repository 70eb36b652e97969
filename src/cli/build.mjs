#!/usr/bin/env node
/**
 * Builds the `belief-kit` bin: src/cli/main.ts and everything it imports from src/ bundled by
 * esbuild into dist-cli/ (ES modules, split so that each command loads only its own code: the
 * figure renderer and its packages are not read by `belief-kit analyze`). Plain JavaScript so that
 * it runs without tsx (npm ci runs it as `prepare`); about a second. With --if-stale (prepare) it
 * does nothing when the build is fresh (stale.mjs): npx runs `prepare` when it installs the kit,
 * and must not swap a build under commands that are running.
 *
 * Packages are bundled too (one file to read instead of hundreds), except those that read their
 * own files at run time or are large and only needed for figures: they stay in node_modules.
 */
import { build } from "esbuild";
import { chmodSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { staleInput } from "./stale.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(root, "dist-cli");
export const EXTERNAL = ["jsdom", "playwright-core", "@resvg/resvg-wasm", "dejavu-fonts-ttf", "esbuild"];

const quiet = process.argv.includes("--quiet");
if (process.argv.includes("--if-stale") && staleInput(root) === null) {
  if (!quiet) process.stderr.write("dist-cli/ is up to date\n");
  process.exit(0);
}

// Built next to dist-cli/ and swapped in, so that a bin running meanwhile finds a whole build.
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
const started = Date.now();
const t0 = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: { "belief-kit": "src/cli/main.ts" },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  // CommonJS packages bundled into ES modules may call require() for Node's own modules.
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "none",
  define: { BELIEF_KIT_BUILD: "true" },
  metafile: true,
  logLevel: "warning",
});
// What freshness is checked against (stale.mjs): the kit's own sources it bundled, this script,
// and the lock file (which fixes the bundled packages).
const files = [...new Set([...Object.keys(result.metafile.inputs).filter((f) => !f.includes("node_modules/")), "src/cli/build.mjs", "src/cli/stale.mjs", "package-lock.json"])].sort();
writeFileSync(join(tmp, "inputs.json"), JSON.stringify({ started, files }, null, 1) + "\n");
chmodSync(join(tmp, "belief-kit.js"), 0o755);
rmSync(out, { recursive: true, force: true });
try {
  renameSync(tmp, out);
} catch (e) {
  // Another build (a second bin that found the same change) swapped its own in meanwhile: keep it.
  rmSync(tmp, { recursive: true, force: true });
  if (staleInput(root) !== null) throw e;
}
if (!quiet) process.stderr.write(`built dist-cli/belief-kit.js in ${(performance.now() - t0).toFixed(0)} ms\n`);
