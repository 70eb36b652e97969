/**
 * Framework data loader: bundles the power Web Worker (src/workers/power-worker.ts and the src/lib
 * modules it imports) into one self-contained ES module, served as text; the page "Plan a study" starts
 * it from a Blob URL. esbuild comes with Framework; nothing is fetched.
 * Like every loader, it is cached: after changing src/lib, run `npm run clean`.
 */
import { build } from "esbuild";

const result = await build({
  entryPoints: [new URL("../workers/power-worker.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  write: false,
  legalComments: "none",
});
process.stdout.write(result.outputFiles[0].text);
